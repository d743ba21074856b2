import type { AssessmentModel, GroupAssessment } from "../assessment/assessment-model.js";
import { Decimal } from "../domain/decimal.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import { valueText } from "./format.js";

/** "一档不低于8%、二档不低于4%、三档不低于1%、四档低于1%": the bands as the circular states them. */
export function gradeBandsText(bands: AssessmentModel["thresholds"]["gradeBands"]): string {
  const sorted = [...bands].sort((a, b) => Decimal.parse(b.minSharePct).cmp(Decimal.parse(a.minSharePct)));
  const pct = (s: string) => `${Decimal.parse(s).toString()}%`;
  return sorted
    .map((b, i) =>
      Decimal.parse(b.minSharePct).isZero() && i > 0
        ? `${b.grade}低于${pct(sorted[i - 1]!.minSharePct)}`
        : `${b.grade}不低于${pct(b.minSharePct)}`,
    )
    .join("、");
}

/**
 * The grade rule of a group as the circular states it (settings.assessment.gradeBasis and bands), and
 * whether its grades are 暂定. Models stored before the basis was recorded were graded on the
 * reported total.
 */
export function gradeRuleText(
  m: AssessmentModel,
  g: GroupAssessment,
  ph: CircularPhrases,
): { rule: string; provisional: string | false } {
  const h = g.headline;
  if (!h) return { rule: "", provisional: false };
  const basis = m.thresholds.gradeBasis ?? "reportedTotal";
  const view = {
    label: h.label,
    target: valueText(h.groupTarget, h.unit),
    bands: gradeBandsText(m.thresholds.gradeBands),
  };
  const rule = phrase(
    basis === "groupTarget" ? ph.grades.basisGroupTarget : ph.grades.basisReportedTotal,
    view,
  );
  const provisional =
    basis === "reportedTotal" && (g.gradesProvisional ?? h.reportedCount < g.zoneIds.length)
      ? phrase(ph.grades.provisional, { missing: g.zoneIds.length - h.reportedCount })
      : false;
  return { rule, provisional };
}
