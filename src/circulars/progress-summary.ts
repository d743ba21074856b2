import type { AssessmentModel, ZoneAssessment } from "../assessment/assessment-model.js";
import { PROGRESS_LABELS, type ProgressStatus } from "../assessment/progress-status.js";
import { joinNames, localDateTime, pctText, valueText } from "./format.js";

/**
 * 进度 2023Q2 for the task force: submissions at a glance, per prefecture (submitted / late / missing,
 * each zone with its headline status), then each group's headline total against its target.
 */
export function progressSummary(m: AssessmentModel): string {
  const headlineStatus = new Map<string, ProgressStatus>();
  for (const g of m.groups) for (const r of g.headline?.zones ?? []) headlineStatus.set(r.zoneId, r.status);
  const zoneById = new Map(m.zones.map((z) => [z.zoneId, z]));
  const named = (ids: string[], withStatus: boolean) =>
    joinNames(
      ids.map((id) => {
        const z = zoneById.get(id) as ZoneAssessment;
        const s = headlineStatus.get(id);
        return withStatus && s ? `${z.name}（${PROGRESS_LABELS[s]}）` : z.name;
      }),
    );
  const lines = [
    `【${m.periodLabel}报送进度】${m.isSample ? "（样例数据）" : ""}`,
    `截至 ${localDateTime(m.builtAt)}${m.deadline ? `，截止日期 ${m.deadline}` : ""}，时间进度 ${pctText(m.thresholds.expectedPct)}`,
    `应报 ${m.totals.zones} 个经开区：已报 ${m.totals.submitted} 个（逾期 ${m.totals.late} 个），未报 ${m.totals.missing} 个。`,
  ];
  for (const p of m.prefectures) {
    lines.push(
      "",
      `${p.shortName}（${p.zoneIds.length}个）：已报 ${p.submitted.length}，逾期 ${p.late.length}，未报 ${p.missing.length}`,
    );
    if (p.submitted.length) lines.push(`  已报：${named(p.submitted, true)}`);
    if (p.late.length) lines.push(`  逾期：${named(p.late, false)}`);
    if (p.missing.length) lines.push(`  未报：${named(p.missing, false)}`);
  }
  for (const g of m.groups) {
    const h = g.headline;
    if (!h) continue;
    lines.push(
      "",
      `${g.label}${h.label}：累计 ${valueText(h.total, h.unit)}，为全年目标 ${valueText(h.groupTarget, h.unit)} 的 ${pctText(h.completionPct)}，${PROGRESS_LABELS[h.status]}。`,
    );
    if (g.lists.behind.length) lines.push(`  进度滞后：${named(g.lists.behind, false)}`);
  }
  return lines.join("\n");
}
