import type { AssessmentModel, GroupAssessment, ZoneAssessment } from "../assessment/assessment-model.js";
import { GROUP_LABELS } from "../domain/codes.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import { cellNumberText, DASH, moneyNumber, pctNumber } from "./format.js";
import { gradeRuleText } from "./grade-rule.js";

/** One cell: the text shown (docx) and, for figures, the number written to Excel. */
export interface Cell {
  text: string;
  num?: number;
  /** Excel number format for `num`. */
  numFmt?: string;
  /** In a 合计 row of a workbook: "ratio" = cols[0] ÷ cols[1] × 100 (1-based), "none" = the value as is; default SUBTOTAL. */
  formula?: "ratio" | "none";
  ratioOf?: [number, number];
}

/** A cell of the upper header row: over `span` columns; a band of one column is merged down with its header. */
export interface HeaderBand {
  text: string;
  span: number;
}

export interface Table {
  title: string;
  headers: string[];
  /** The upper row of a two-row header (quota label over 数量 and 完成率); absent for a one-row header. */
  bands?: HeaderBand[];
  /** Relative column widths. */
  widths: number[];
  rows: Cell[][];
  /** The 合计 row (same columns; empty text where a total means nothing), when the table has one. */
  total?: Cell[];
}

const PCT_FMT = '0.0"%"';
const MONEY_FMT = "#,##0.00";

function textCell(text: string | number): Cell {
  return { text: String(text) };
}

function numCell(text: string, num: number | undefined, numFmt: string): Cell {
  return num === undefined ? { text: DASH } : { text, num, numFmt };
}

function pctCell(s: string | null | undefined): Cell {
  const n = pctNumber(s);
  return n === undefined ? { text: DASH } : { text: n.toFixed(1), num: n, numFmt: PCT_FMT };
}

function figureCell(s: string | null | undefined, unit: string): Cell {
  if (unit === "万元") return numCell(cellNumberText(s), moneyNumber(s), MONEY_FMT);
  return numCell(cellNumberText(s), moneyNumber(s), "General");
}

function intCell(n: number | null): Cell {
  return n === null ? { text: DASH } : { text: String(n), num: n, numFmt: "0" };
}

/**
 * The per-zone table of a group with a headline figure (the attachment of the circular):
 * 序号 / 市州 / 经开区 / 累计进出口 / 同比 / 年度目标 / 完成率 / 排名 / 等次, then each work quota
 * with its count and completion. Rows in rank order; zones without a report last.
 */
export function buildZoneTable(model: AssessmentModel, group: GroupAssessment, ph: CircularPhrases): Table {
  const h = group.headline;
  if (!h) throw new Error(`group ${group.code} has no headline figure`);
  const zoneById = new Map(model.zones.map((z) => [z.zoneId, z]));
  const c = ph.columns;
  const hv = { label: h.label, unit: h.unit };
  const headers = [
    c.seq,
    c.prefecture,
    c.zone,
    phrase(c.value, hv),
    c.yoy,
    phrase(c.target, hv),
    c.completion,
    c.rank,
    gradeRuleText(model, group, ph).provisional ? ph.grades.provisionalColumn : c.grade,
    ...group.quotas.flatMap((q) => [
      phrase(c.quotaValue, { label: q.label, unit: q.unit }),
      phrase(c.quotaCompletion, { label: q.label, unit: q.unit }),
    ]),
  ];
  const widths = [4, 6, 10, 9, 6, 9, 6, 4, 5, ...group.quotas.flatMap(() => [6, 6])];
  // Two header rows when the work quotas pair a count with its completion under one label.
  const bands: HeaderBand[] | undefined =
    group.quotas.length === 0
      ? undefined
      : [
          ...headers.slice(0, 9).map((text) => ({ text, span: 1 })),
          ...group.quotas.map((q) => ({
            text: phrase(c.quotaBand, { label: q.label, unit: q.unit }),
            span: 2,
          })),
        ];
  const rows = h.zones.map((r, i) => {
    const z = zoneById.get(r.zoneId)!;
    return [
      intCell(i + 1),
      textCell(z.prefectureShortName),
      textCell(z.name),
      figureCell(r.value, h.unit),
      pctCell(r.yoyPct),
      figureCell(r.target, h.unit),
      pctCell(r.completionPct),
      intCell(r.valueRank),
      // 未报送 is a reporting status, not a grade: the cell stays empty.
      textCell(r.grade ?? ""),
      ...group.quotas.flatMap((q) => {
        const f = z.indicators.find((x) => x.key === q.indicatorKey);
        return [figureCell(f?.value, q.unit), pctCell(f?.completionPct)];
      }),
    ];
  });
  const blank = textCell("");
  const total: Cell[] = [
    textCell("合计"),
    blank,
    blank,
    figureCell(h.total, h.unit),
    // Group growth and the group's own annual target are the assessment's, not sums of rows.
    { ...pctCell(h.yoyPct), formula: "none" },
    { ...figureCell(h.groupTarget, h.unit), formula: "none" },
    { ...pctCell(h.completionPct), formula: "none" },
    blank,
    blank,
    ...group.quotas.flatMap((q) => [figureCell(q.total, q.unit), blank]),
  ];
  return {
    title: phrase(ph.tableTitle, { periodLabel: model.periodLabel, label: group.label }),
    headers,
    ...(bands ? { bands } : {}),
    widths,
    rows,
    total,
  };
}

/** Zones without a confirmed report, in roster order: 序号 / 市州 / 经开区 / 所属类别. */
export function buildNotSubmittedTable(model: AssessmentModel, ph: CircularPhrases): Table {
  const missing = model.zones.filter((z: ZoneAssessment) => !z.submitted);
  return {
    title: phrase(ph.xlsx.notSubmittedTitle, { periodLabel: model.periodLabel }),
    headers: [ph.columns.seq, ph.columns.prefecture, ph.columns.zone, ph.columns.groups],
    widths: [6, 10, 16, 30],
    rows: missing.map((z, i) => [
      intCell(i + 1),
      textCell(z.prefectureShortName),
      textCell(z.name),
      textCell(z.groups.map((g) => GROUP_LABELS[g]).join("、")),
    ]),
  };
}
