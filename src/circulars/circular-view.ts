import type {
  AssessmentModel,
  GroupAssessment,
  Headline,
  QuotaAssessment,
  ZoneAssessment,
} from "../assessment/assessment-model.js";
import { PROGRESS_COLORS, PROGRESS_LABELS } from "../assessment/progress-status.js";
import type { TemplateView } from "../templates/render-template.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import { chineseDate, DASH, joinNames, localDateTime, pctText, valueText, yoyText } from "./format.js";
import { gradeRuleText } from "./grade-rule.js";

/** What a rendered circular says about itself besides the figures. */
export interface CircularMeta {
  /** 0 while a draft (numbers are assigned at approval). */
  number: number;
  /** The document number, or a placeholder for a draft. */
  docNumber: string;
  /** false for a draft: the documents carry no number yet. */
  numbered?: boolean;
  issuer: string;
}

const CN_QUARTER = ["", "一季度", "二季度", "三季度", "四季度"];

type NameList = { count: number; names: string } | false;

function nameList(ids: string[], zoneById: Map<string, ZoneAssessment>): NameList {
  if (ids.length === 0) return false;
  return { count: ids.length, names: joinNames(ids.map((id) => zoneById.get(id)?.name ?? id)) };
}

function headlineView(h: Headline, zoneById: Map<string, ZoneAssessment>): TemplateView {
  const rows = h.zones.map((r) => {
    const z = zoneById.get(r.zoneId)!;
    return {
      rank: r.valueRank ?? DASH,
      completionRank: r.completionRank ?? DASH,
      zoneName: z.name,
      prefecture: z.prefectureShortName,
      submitted: z.submitted,
      late: z.late,
      valueText: valueText(r.value, h.unit),
      targetText: valueText(r.target, h.unit),
      completion: pctText(r.completionPct),
      share: pctText(r.sharePct),
      yoyText: yoyText(r.yoyPct),
      hasYoy: r.yoyPct !== null,
      statusLabel: PROGRESS_LABELS[r.status],
      statusColor: PROGRESS_COLORS[r.status],
      grade: r.grade ?? "",
    };
  });
  const ranked = rows.filter((r) => r.submitted);
  return {
    label: h.label,
    unit: h.unit,
    totalText: valueText(h.total, h.unit),
    targetText: valueText(h.groupTarget, h.unit),
    completion: pctText(h.completionPct),
    statusLabel: PROGRESS_LABELS[h.status],
    statusColor: PROGRESS_COLORS[h.status],
    reportedCount: h.reportedCount,
    yoy: h.yoyPct === null ? false : { text: yoyText(h.yoyPct), zoneCount: h.yoyZoneCount },
    rows,
    ranked,
    top: ranked.slice(0, 3),
    bottom: ranked.length > 6 ? ranked.slice(-3) : [],
  };
}

function quotaView(q: QuotaAssessment, zoneById: Map<string, ZoneAssessment>): TemplateView {
  return {
    label: q.label,
    unit: q.unit,
    totalText: valueText(q.total, q.unit),
    metCount: q.metZoneIds.length,
    met: nameList(q.metZoneIds, zoneById),
    onTrack: nameList(q.onTrackZoneIds, zoneById),
    behind: nameList(q.behindZoneIds, zoneById),
    zero: nameList(q.zeroZoneIds, zoneById),
  };
}

function groupView(
  m: AssessmentModel,
  g: GroupAssessment,
  zoneById: Map<string, ZoneAssessment>,
  ph: CircularPhrases,
): TemplateView {
  const gradeRule = gradeRuleText(m, g, ph);
  const grades = g.grades.map((x) => ({
    grade: x.grade,
    count: x.zoneIds.length,
    names: x.zoneIds.length ? joinNames(x.zoneIds.map((id) => zoneById.get(id)!.name)) : "无",
  }));
  return {
    code: g.code,
    label: g.label,
    zoneCount: g.zoneIds.length,
    submittedCount: g.submittedCount,
    missingCount: g.lists.notSubmitted.length,
    headline: g.headline ? headlineView(g.headline, zoneById) : false,
    onTrack: nameList(g.lists.onTrack, zoneById),
    behind: nameList(g.lists.behind, zoneById),
    severelyBehind: nameList(g.lists.severelyBehind, zoneById),
    notSubmitted: nameList(g.lists.notSubmitted, zoneById),
    late: nameList(g.lists.late, zoneById),
    atRisk: nameList(g.lists.atRisk, zoneById),
    zeroValue: nameList(g.lists.zeroValue, zoneById),
    quotas: g.quotas.map((q) => quotaView(q, zoneById)),
    grades,
    hasGrades: grades.some((x) => x.count > 0),
    gradeRule: gradeRule.rule,
    gradesProvisional: gradeRule.provisional ? { note: gradeRule.provisional } : false,
  };
}

/** The data the circular templates (templates/circular.md.tpl, circular.docx.tpl) are filled with. */
export function buildCircularView(m: AssessmentModel, meta: CircularMeta, ph: CircularPhrases): TemplateView {
  const zoneById = new Map(m.zones.map((z) => [z.zoneId, z]));
  const tables = m.groups
    .filter((g) => g.headline)
    .map((g, i) => ({
      index: i + 1,
      code: g.code,
      label: g.label,
      title: phrase(ph.tableTitle, { periodLabel: m.periodLabel, label: g.label }),
    }))
    // GB/T 9704 8: a single attachment is marked 附件, several 附件1, 附件2…
    .map((t, _i, all) => ({ ...t, mark: all.length > 1 ? `附件${t.index}` : "附件" }));
  return {
    periodKey: m.periodKey,
    periodLabel: m.periodLabel,
    year: m.year,
    quarterName: CN_QUARTER[m.quarter]!,
    programmeTitle: m.programmeTitle,
    isSample: m.isSample,
    sampleNote: m.isSample ? ph.sampleNote : "",
    number: meta.number,
    docNumber: meta.docNumber,
    issuer: meta.issuer,
    addressee: ph.addressee,
    dateText: chineseDate(m.builtAt),
    builtAtText: localDateTime(m.builtAt),
    deadline: m.deadline ?? DASH,
    expectedPct: pctText(m.thresholds.expectedPct),
    atRiskApplies: m.thresholds.atRiskApplies,
    atRiskBelowPct: pctText(m.thresholds.atRiskBelowPct),
    totals: { ...m.totals },
    notSubmittedAll: nameList(
      m.zones.filter((z) => !z.submitted).map((z) => z.zoneId),
      zoneById,
    ),
    lateAll: nameList(
      m.zones.filter((z) => z.submitted && z.late).map((z) => z.zoneId),
      zoneById,
    ),
    groups: m.groups.map((g) => groupView(m, g, zoneById, ph)),
    tables,
    hasTables: tables.length > 0,
    attachmentNames: joinNames(tables.map((t) => (tables.length > 1 ? `${t.index}. ${t.title}` : t.title))),
  };
}
