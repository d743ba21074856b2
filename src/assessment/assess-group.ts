import { GROUP_LABELS, type GroupCode } from "../domain/codes.js";
import { completionPct } from "../domain/completion.js";
import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, Programme } from "../programme/programme.js";
import type {
  GradeBasis,
  GroupAssessment,
  GroupLists,
  Headline,
  HeadlineZone,
  QuotaAssessment,
  ZoneAssessment,
} from "./assessment-model.js";
import { type GradeBand, gradeForShare } from "./grade-bands.js";
import {
  classifyProgress,
  isBehind,
  isOnTrack,
  type ProgressStatus,
  ratioAtLeastPct,
  type Thresholds,
} from "./progress-status.js";
import { competitionRanks } from "./rank.js";

export interface GroupRules {
  thresholds: Thresholds;
  atRiskBelowPct: Decimal;
  /** At Q3/Q4 only. */
  atRiskApplies: boolean;
  gradeBands: GradeBand[];
  /** What a grade's share is measured against (settings.assessment.gradeBasis). */
  gradeBasis: GradeBasis;
}

const dec = (s: string | null | undefined): Decimal | undefined => (s == null ? undefined : Decimal.parse(s));

function appliesTo(i: IndicatorDef, code: GroupCode): boolean {
  return i.groups.length === 0 || i.groups.includes(code);
}

/** The growth-rate indicator paired with a headline: "<prefix>_yoy" (trade_total → trade_yoy), else any "*_yoy". */
export function yoyIndicatorFor(p: Programme, headlineKey: string, code: GroupCode): string | undefined {
  const percent = p.indicators.filter((i) => i.kind === "percent" && appliesTo(i, code));
  const prefix = headlineKey.split("_")[0];
  return (percent.find((i) => i.key === `${prefix}_yoy`) ?? percent.find((i) => i.key.endsWith("_yoy")))?.key;
}

function figure(zone: ZoneAssessment, key: string) {
  return zone.indicators.find((i) => i.key === key);
}

function buildHeadline(
  p: Programme,
  code: GroupCode,
  indicator: IndicatorDef,
  groupTarget: Decimal,
  zones: ZoneAssessment[],
  rules: GroupRules,
): Headline {
  const yoyKey = yoyIndicatorFor(p, indicator.key, code);
  const values = zones.map((z) => ({ z, f: figure(z, indicator.key) }));
  const reported = values.filter((v) => v.f?.value != null);
  const total = Decimal.sum(reported.map((v) => Decimal.parse(v.f!.value!)));
  const valueRanks = competitionRanks(values.map((v) => ({ key: v.z.zoneId, value: dec(v.f?.value) })));
  const completionRanks = competitionRanks(
    values.map((v) => ({ key: v.z.zoneId, value: dec(v.f?.completionPct) })),
  );
  let thisYear = Decimal.ZERO;
  let lastYear = Decimal.ZERO;
  let yoyZoneCount = 0;
  const rows: HeadlineZone[] = values.map(({ z, f }) => {
    const value = dec(f?.value);
    const yoy = yoyKey ? dec(figure(z, yoyKey)?.value) : undefined;
    if (value !== undefined && yoy?.gt(-100)) {
      thisYear = thisYear.plus(value);
      lastYear = lastYear.plus(value.times(100).div(yoy.plus(100)));
      yoyZoneCount++;
    }
    return {
      zoneId: z.zoneId,
      value: f?.value ?? null,
      target: f?.target ?? null,
      completionPct: f?.completionPct ?? null,
      status: f?.status ?? "not_submitted",
      sharePct: value !== undefined && total.gt(0) ? value.times(100).div(total).toString() : null,
      targetSharePct:
        value !== undefined && groupTarget.gt(0) ? value.times(100).div(groupTarget).toString() : null,
      yoyPct: yoy?.toString() ?? null,
      valueRank: valueRanks.get(z.zoneId) ?? null,
      completionRank: completionRanks.get(z.zoneId) ?? null,
      grade:
        gradeForShare(value, rules.gradeBasis === "groupTarget" ? groupTarget : total, rules.gradeBands) ??
        null,
    };
  });
  const byRank = rows
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        (a.r.valueRank ?? Number.MAX_SAFE_INTEGER) - (b.r.valueRank ?? Number.MAX_SAFE_INTEGER) || a.i - b.i,
    )
    .map((x) => x.r);
  const groupCompletion = completionPct(total, groupTarget);
  return {
    indicatorKey: indicator.key,
    label: indicator.label,
    unit: indicator.unit,
    yoyIndicatorKey: yoyKey ?? null,
    groupTarget: groupTarget.toString(),
    total: total.toString(),
    completionPct: groupCompletion?.toString() ?? null,
    status: reported.length === 0 ? "not_submitted" : classifyProgress(total, groupTarget, rules.thresholds),
    yoyPct: lastYear.gt(0) ? thisYear.minus(lastYear).times(100).div(lastYear).toString() : null,
    yoyZoneCount,
    reportedCount: reported.length,
    zones: byRank,
  };
}

function buildQuota(indicator: IndicatorDef, zones: ZoneAssessment[]): QuotaAssessment {
  const figures = zones.map((z) => ({ z, f: figure(z, indicator.key) }));
  const ids = (pred: (s: ProgressStatus) => boolean) =>
    figures.filter((x) => x.f && pred(x.f.status)).map((x) => x.z.zoneId);
  return {
    indicatorKey: indicator.key,
    label: indicator.label,
    unit: indicator.unit,
    total: Decimal.sum(
      figures.flatMap((x) => (x.f?.value != null ? [Decimal.parse(x.f.value)] : [])),
    ).toString(),
    metZoneIds: ids((s) => s === "exceeded"),
    onTrackZoneIds: ids((s) => s === "on_track"),
    behindZoneIds: ids(isBehind),
    zeroZoneIds: figures.filter((x) => x.f?.value != null && dec(x.f.value)!.isZero()).map((x) => x.z.zoneId),
  };
}

export function assessGroup(
  p: Programme,
  code: GroupCode,
  zones: ZoneAssessment[],
  rules: GroupRules,
): GroupAssessment {
  const target = p.targets.find((t) => t.scope === "group" && t.groupCode === code);
  const headlineIndicator = target ? p.indicators.find((i) => i.key === target.indicatorKey) : undefined;
  const headline =
    target && headlineIndicator
      ? buildHeadline(p, code, headlineIndicator, target.value, zones, rules)
      : null;
  const quotas = p.indicators
    .filter((i) => i.kind === "count" && appliesTo(i, code))
    .filter((i) => i.key !== headline?.indicatorKey)
    .map((i) => buildQuota(i, zones));

  const headlineRow = new Map(headline?.zones.map((r) => [r.zoneId, r]));
  const statusOf = (z: ZoneAssessment): ProgressStatus =>
    headline ? (headlineRow.get(z.zoneId)?.status ?? "not_submitted") : z.overallStatus;
  const pick = (pred: (z: ZoneAssessment) => boolean) => zones.filter(pred).map((z) => z.zoneId);
  const lists: GroupLists = {
    onTrack: pick((z) => z.submitted && isOnTrack(statusOf(z))),
    behind: pick((z) => z.submitted && isBehind(statusOf(z))),
    severelyBehind: pick((z) => z.submitted && statusOf(z) === "severely_behind"),
    notSubmitted: pick((z) => !z.submitted),
    late: pick((z) => z.submitted && z.late),
    atRisk: pick((z) => {
      if (!rules.atRiskApplies || !headline || !z.submitted) return false;
      const row = headlineRow.get(z.zoneId);
      const value = dec(row?.value);
      const zoneTarget = dec(row?.target);
      if (value === undefined || zoneTarget === undefined || !zoneTarget.gt(0)) return false;
      return !ratioAtLeastPct(value, zoneTarget, rules.atRiskBelowPct);
    }),
    zeroValue: pick((z) => {
      const v = headline ? dec(headlineRow.get(z.zoneId)?.value) : undefined;
      return z.submitted && v?.isZero() === true;
    }),
  };
  const grades = headline
    ? rules.gradeBands.map((b) => ({
        grade: b.grade,
        zoneIds: zones.filter((z) => headlineRow.get(z.zoneId)?.grade === b.grade).map((z) => z.zoneId),
      }))
    : [];
  return {
    code,
    label: GROUP_LABELS[code],
    zoneIds: zones.map((z) => z.zoneId),
    submittedCount: zones.filter((z) => z.submitted).length,
    headline,
    quotas,
    lists,
    grades,
    // Among the reported only, a grade can change with every late report.
    ...(headline && rules.gradeBasis === "reportedTotal"
      ? { gradesProvisional: headline.reportedCount < zones.length }
      : {}),
  };
}
