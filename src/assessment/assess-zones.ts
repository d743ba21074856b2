import { completionPct } from "../domain/completion.js";
import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, Programme, ZoneDef } from "../programme/programme.js";
import { indicatorsForZone } from "../programme/programme.js";
import type { ConfirmedReport } from "../reports/confirmed-reports.js";
import type { IndicatorAssessment, ZoneAssessment } from "./assessment-model.js";
import { classifyProgress, type ProgressStatus, type Thresholds, worstStatus } from "./progress-status.js";

/** Indicators the assessment measures: every kind but free text. */
export function isAssessedIndicator(i: IndicatorDef): boolean {
  return i.kind !== "text";
}

/** Zones that belong to at least one group this year, in roster order (prefecture order, then zone id). */
export function zonesInScope(p: Programme): ZoneDef[] {
  const order = new Map(p.prefectures.map((pf, i) => [pf.code, i]));
  return p.zones
    .filter((z) => z.groups.length > 0)
    .map((z, i) => ({ z, i }))
    .sort(
      (a, b) =>
        (order.get(a.z.prefectureCode) ?? Number.MAX_SAFE_INTEGER) -
          (order.get(b.z.prefectureCode) ?? Number.MAX_SAFE_INTEGER) || a.i - b.i,
    )
    .map((x) => x.z);
}

/** A reported value as an exact decimal; undefined when absent or not a number (free text). */
export function reportedValue(report: ConfirmedReport | undefined, key: string): Decimal | undefined {
  const raw = report?.values[key];
  return raw === undefined ? undefined : Decimal.tryParse(raw);
}

/** Zone targets by zone and indicator (the programme's list is scanned once, not per figure). */
export type ZoneTargets = Map<string, Decimal>;

export function indexZoneTargets(p: Programme): ZoneTargets {
  const index: ZoneTargets = new Map();
  for (const t of p.targets) {
    const key = `${t.zoneId}\u0000${t.indicatorKey}`;
    if (t.scope === "zone" && t.zoneId && !index.has(key)) index.set(key, t.value);
  }
  return index;
}

export function assessIndicator(
  targets: ZoneTargets,
  zone: ZoneDef,
  indicator: IndicatorDef,
  report: ConfirmedReport | undefined,
  t: Thresholds,
): IndicatorAssessment {
  const value = reportedValue(report, indicator.key);
  const target = targets.get(`${zone.id}\u0000${indicator.key}`);
  const completion = value === undefined ? undefined : completionPct(value, target);
  return {
    key: indicator.key,
    value: value?.toString() ?? null,
    target: target?.toString() ?? null,
    completionPct: completion?.toString() ?? null,
    status: classifyProgress(value, target, t),
  };
}

const MEASURED: ProgressStatus[] = ["exceeded", "on_track", "behind", "severely_behind"];

export function assessZone(
  p: Programme,
  targets: ZoneTargets,
  zone: ZoneDef,
  report: ConfirmedReport | undefined,
  t: Thresholds,
): ZoneAssessment {
  const pf = p.prefectures.find((x) => x.code === zone.prefectureCode);
  const indicators = indicatorsForZone(p, zone)
    .filter(isAssessedIndicator)
    .map((i) => assessIndicator(targets, zone, i, report, t));
  const measured = indicators.map((i) => i.status).filter((s) => MEASURED.includes(s));
  return {
    zoneId: zone.id,
    name: zone.name,
    shortName: zone.shortName,
    prefectureCode: zone.prefectureCode,
    prefectureName: pf?.name ?? zone.prefectureCode,
    prefectureShortName: pf?.shortName ?? zone.prefectureCode,
    groups: [...zone.groups],
    submitted: report !== undefined,
    late: report?.late ?? false,
    revisionNo: report?.revisionNo ?? null,
    confirmedAt: report?.confirmedAt.toISOString() ?? null,
    indicators,
    overallStatus: report === undefined ? "not_submitted" : worstStatus(measured),
  };
}
