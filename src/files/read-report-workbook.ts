import { type Period, periodLabel, type Quarter } from "../domain/period.js";
import { tokenizeLine } from "../parsing/line-tokens.js";
import { normaliseText } from "../parsing/normalise-text.js";
import { parseTable } from "../parsing/parse-report.js";
import type { ParseContext, ParsedReport } from "../parsing/parsed-report.js";
import { type CellGrid, cellRef } from "../parsing/read-table.js";
import { type Vocabulary, vocabularyOf } from "../parsing/vocabulary.js";
import { FORM_HEADER_ROW, FORM_MARKER, FORM_MARKER_SHEET, FORM_SHEET } from "./report-form-marker.js";
import type { SheetGrid, SpreadsheetGrid } from "./sheet-grid.js";

/** The bot's own form, recognised by its hidden marker sheet. */
export interface FormMark {
  period: Period;
  prefectureCode: string;
}

/** What a returned workbook reads as: one sheet, parsed by the parser's table reader. */
export interface WorkbookReading {
  /** The marker of the bot's form, when the file is one. */
  mark?: FormMark;
  sheet: string;
  /** The sheet as the table reader's cells (reference columns and 不适用 blanked in the bot's form). */
  cells: CellGrid;
  /** Formulas without a cached result (the value is unknown: asked, never read as empty). */
  uncomputed: string[];
  /** parseTable's result with the context the caller gave (the marker's period wins in our form). */
  parsed: ParsedReport;
}

function readMarker(grid: SpreadsheetGrid): FormMark | undefined {
  const m = grid.sheets.find((s) => s.name === FORM_MARKER_SHEET);
  if (!m || m.rows[0]?.[0]?.text !== FORM_MARKER) return undefined;
  const kv = new Map<string, string>();
  for (const r of m.rows) if (r[0] && r[1]) kv.set(r[0].text, r[1].text);
  const year = Number(kv.get("year"));
  const quarter = Number(kv.get("quarter"));
  const prefectureCode = kv.get("prefecture");
  if (!Number.isInteger(year) || ![1, 2, 3, 4].includes(quarter) || !prefectureCode) return undefined;
  return { period: { year, quarter: quarter as Quarter }, prefectureCode };
}

const NOT_APPLICABLE = /^(?:不适用|不填)$/;
/** A grey reference column of the bot's form ("上季度进出口额（万元）"): shown, never read. */
const REFERENCE_HEADER = /^上季度/;

const UNIT_SUFFIX = /[(（][^)）]*[)）]\s*$/;
/** A lower header cell that only says "the value" of the group above it ("总额（万元）" under "外贸进出口"). */
const GENERIC_VALUE = /^(?:总额|总值|金额|数额|数值|累计|累计值|累计数|本季度|本期|本年累计|完成)$/;

/** The indicator a header cell names on its own (its unit in brackets aside), by the parser's tokenizer. */
function indicatorOf(text: string, vocab: Vocabulary) {
  const name = text.replace(UNIT_SUFFIX, "").replace(/[%：]$/, "");
  const tokens = tokenizeLine(name, vocab);
  const t = tokens.length === 1 ? tokens[0] : undefined;
  return t?.kind === "indicator" && t.start === 0 && t.end === name.length ? t.indicator : undefined;
}

/**
 * The header a lower cell means under a merged group header, or undefined when it names no indicator
 * either way: itself ("包装招商项目（个）" under "招商引资"), the group and itself ("进出口" + "额（万元）"),
 * the group with the lower cell's unit when that cell only says "the value" ("外贸进出口" over
 * "总额（万元）" → "外贸进出口（万元）"), or the group's indicator stem and itself ("进出口额" over "增速"
 * → "进出口增速").
 */
function foldedHeader(group: string, own: string, vocab: Vocabulary): string | undefined {
  if (indicatorOf(own, vocab)) return own;
  const unit = UNIT_SUFFIX.exec(own)?.[0] ?? "";
  const ownName = own.replace(UNIT_SUFFIX, "");
  const groupInd = indicatorOf(group, vocab);
  const candidates = [
    `${group}${own}`,
    ...(GENERIC_VALUE.test(ownName) ? [`${group.replace(UNIT_SUFFIX, "")}${unit}`] : []),
    ...(groupInd ? [`${groupInd.label.replace(/[额值数]$/, "")}${own}`] : []),
  ];
  return candidates.find((c) => indicatorOf(c, vocab));
}

/**
 * A sheet as the table reader's cells. A group header merged over a few columns (not a title over the
 * whole table) is folded into the header row below it (foldedHeader) and cleared from its own row, so
 * the table reader sees one header row; a lower cell that reads no better with the group is left as it
 * is (and named back by the table reader). In the bot's form the grey reference columns and 不适用
 * cells are blanked.
 */
export function sheetCells(sheet: SheetGrid, ours: boolean, ctx: ParseContext): CellGrid {
  const vocab = vocabularyOf(ctx);
  const rows = sheet.rows.map((r) => Array.from(r, (c) => (c ? c.text : "")));
  const width = Math.max(0, ...rows.map((r) => r.length));
  for (const m of sheet.merges) {
    if (m.top !== m.bottom || m.right === m.left || m.right - m.left + 1 >= width) continue;
    const below = rows[m.bottom + 1];
    if (!below) continue;
    const group = normaliseText(rows[m.top]![m.left] ?? "").replace(/\s+/g, "");
    if (group === "") continue;
    let header = false;
    for (let c = m.left; c <= m.right; c++) {
      const own = normaliseText(below[c] ?? "").replace(/\s+/g, "");
      if (own === "") continue;
      const folded = foldedHeader(group, own, vocab);
      if (folded === undefined) continue;
      below[c] = folded;
      header = true;
    }
    if (header) for (let c = m.left; c <= m.right; c++) rows[m.top]![c] = "";
  }
  if (ours) {
    const header = rows[FORM_HEADER_ROW - 1] ?? [];
    header.forEach((h, c) => {
      if (!REFERENCE_HEADER.test(h)) return;
      for (const r of rows) if (r.length > c) r[c] = "";
    });
    for (const r of rows) for (let c = 0; c < r.length; c++) if (NOT_APPLICABLE.test(r[c]!.trim())) r[c] = "";
  }
  for (const r of rows) while (r.length < width) r.push("");
  return { sheet: sheet.name, rows };
}

/** A result the table reader found a report in (figures, or a doubt worth asking about). */
function readsAsReport(p: ParsedReport): boolean {
  return p.sections.length > 0 || p.issues.some((i) => i.code !== "no_data" && i.code !== "unknown_field");
}

/**
 * Reads a returned workbook with the same reader as a pasted table (parseTable): the bot's form (its
 * 填报 sheet first; the marker names period and bureau), or a bureau's own sheet — any visible sheet,
 * the first that reads as a report. Title rows, units in headers or cells, zones as rows or columns,
 * extra columns and rows named back are the table reader's; this adds merged group headers and the
 * marker. undefined when no sheet holds a report table.
 */
export function readReportWorkbook(grid: SpreadsheetGrid, ctx: ParseContext): WorkbookReading | undefined {
  const mark = readMarker(grid);
  const visible = grid.sheets.filter((s) => !s.hidden);
  const candidates = mark
    ? [...visible.filter((s) => s.name === FORM_SHEET), ...visible.filter((s) => s.name !== FORM_SHEET)]
    : visible;
  let asked: WorkbookReading | undefined;
  for (const sheet of candidates) {
    const ours = mark !== undefined && sheet.name === FORM_SHEET;
    const cells = sheetCells(sheet, ours, ctx);
    const parsed = withMark(parseTable(cells, ctx), ours ? mark : undefined);
    const uncomputed: string[] = [];
    for (const [r, row] of sheet.rows.entries())
      for (const [k, c] of row.entries()) if (c?.uncomputed) uncomputed.push(cellRef(cells, r, k));
    const reading = { ...(mark ? { mark } : {}), sheet: sheet.name, cells, uncomputed, parsed };
    if (readsAsReport(parsed)) return reading;
    // a table of formulas none of which has a cached value reads as empty: ask about them, never "no table"
    if (uncomputed.length > 0) asked ??= reading;
  }
  return asked;
}

/** Our form's period is its marker's, whatever the title says (the title is text a bureau may edit). */
function withMark(p: ParsedReport, mark: FormMark | undefined): ParsedReport {
  if (!mark) return p;
  return {
    ...p,
    period: mark.period,
    periodSource: "explicit",
    periodText: `报送表（${periodLabel(mark.period)}）`,
    issues: p.issues.filter((i) => i.field !== "period"),
  };
}

/** The question for formulas without a cached result, naming each cell. */
export function uncomputedMessage(cells: string[]): string {
  const shown = cells.slice(0, 5).join("、") + (cells.length > 5 ? ` 等 ${cells.length} 处` : "");
  return `${shown}是公式，但文件里没有保存计算结果，读不到数值。请在 Excel 或 WPS 中打开文件、保存后再发送，或直接填写数值。`;
}

/** The sheet as tab-separated lines (the raw text a revision keeps beside the file's hash). */
export function cellsAsText(cells: CellGrid): string {
  return cells.rows
    .map((r) => r.join("\t").replace(/\t+$/, ""))
    .filter((l) => l !== "")
    .join("\n");
}
