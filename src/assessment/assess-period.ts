import { GROUP_CODES } from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import { type Period, periodKey, periodLabel } from "../domain/period.js";
import type { Programme } from "../programme/programme.js";
import type { ConfirmedReport } from "../reports/confirmed-reports.js";
import { assessGroup, type GroupRules } from "./assess-group.js";
import { assessZone, indexZoneTargets, isAssessedIndicator, zonesInScope } from "./assess-zones.js";
import type { AssessmentModel, PrefectureProgress } from "./assessment-model.js";
import { parseGradeBands } from "./grade-bands.js";

export interface AssessmentInput {
  programme: Programme;
  period: Period;
  /** The latest confirmed revision per zone (listLatestConfirmed), as read at `builtAt`. */
  reports: ConfirmedReport[];
  builtAt: Date;
}

/** Expected time-progress of a quarter: the programme's, else 25/50/75/100 %. */
export function expectedProgressPct(p: Programme, quarter: number): Decimal {
  return p.quarters.find((q) => q.quarter === quarter)?.expectedProgressPct ?? Decimal.of(quarter * 25);
}

function setting(name: string, raw: string): Decimal {
  const d = Decimal.tryParse(raw);
  if (!d || d.isNegative()) {
    throw new Error(`考核阈值 settings.assessment.${name} 不是非负数：读到 "${raw}"，例如 "0.5"`);
  }
  return d;
}

export function groupRulesFor(p: Programme, period: Period): GroupRules {
  const a = p.settings.assessment;
  const expectedPct = expectedProgressPct(p, period.quarter);
  return {
    thresholds: {
      expectedPct,
      severePct: expectedPct.times(setting("severeShareOfExpected", a.severeShareOfExpected)),
    },
    atRiskBelowPct: setting("atRiskBelowPct", a.atRiskBelowPct),
    atRiskApplies: period.quarter >= 3,
    gradeBands: parseGradeBands(a.gradeBands),
    gradeBasis: a.gradeBasis,
  };
}

/**
 * Assesses a period from the programme and the confirmed reports: pure, no I/O, exact arithmetic.
 * Zones without a confirmed report are 未报送; every figure is kept unrounded.
 */
export function assessPeriod(input: AssessmentInput): AssessmentModel {
  const { programme: p, period } = input;
  if (p.year !== period.year) throw new Error(`programme ${p.year} cannot assess ${periodKey(period)}`);
  const rules = groupRulesFor(p, period);
  const reportOf = new Map(input.reports.map((r) => [r.zoneId, r]));
  const scope = zonesInScope(p);
  const targets = indexZoneTargets(p);
  const zones = scope.map((z) => assessZone(p, targets, z, reportOf.get(z.id), rules.thresholds));
  const groups = GROUP_CODES.flatMap((code) => {
    const members = zones.filter((z) => z.groups.includes(code));
    return members.length === 0 ? [] : [assessGroup(p, code, members, rules)];
  });
  const prefectures: PrefectureProgress[] = p.prefectures.flatMap((pf) => {
    const own = zones.filter((z) => z.prefectureCode === pf.code);
    if (own.length === 0) return [];
    return [
      {
        code: pf.code,
        name: pf.name,
        shortName: pf.shortName,
        zoneIds: own.map((z) => z.zoneId),
        submitted: own.filter((z) => z.submitted).map((z) => z.zoneId),
        late: own.filter((z) => z.submitted && z.late).map((z) => z.zoneId),
        missing: own.filter((z) => !z.submitted).map((z) => z.zoneId),
      },
    ];
  });
  const a = p.settings.assessment;
  return {
    version: 1,
    year: period.year,
    quarter: period.quarter,
    periodKey: periodKey(period),
    periodLabel: periodLabel(period),
    programmeTitle: p.title,
    isSample: p.isSample,
    builtAt: input.builtAt.toISOString(),
    deadline: p.quarters.find((q) => q.quarter === period.quarter)?.deadline ?? null,
    thresholds: {
      expectedPct: rules.thresholds.expectedPct.toString(),
      severeShareOfExpected: Decimal.parse(a.severeShareOfExpected).toString(),
      severePct: rules.thresholds.severePct.toString(),
      atRiskBelowPct: rules.atRiskBelowPct.toString(),
      atRiskApplies: rules.atRiskApplies,
      gradeBands: rules.gradeBands.map((b) => ({ grade: b.grade, minSharePct: b.minSharePct.toString() })),
      gradeBasis: rules.gradeBasis,
    },
    indicators: p.indicators
      .filter(isAssessedIndicator)
      .map((i) => ({ key: i.key, label: i.label, unit: i.unit, kind: i.kind, required: i.required })),
    zones,
    groups,
    prefectures,
    totals: {
      zones: zones.length,
      submitted: zones.filter((z) => z.submitted).length,
      late: zones.filter((z) => z.submitted && z.late).length,
      missing: zones.filter((z) => !z.submitted).length,
    },
  };
}
