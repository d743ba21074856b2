import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { PROGRESS_LABELS } from "../assessment/progress-status.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import type { CircularMeta } from "./circular-view.js";
import { DASH, moneyNumber, pctNumber, valueText, yoyText } from "./format.js";
import { A4_LANDSCAPE, excelWidth, headerText, sheetWidths } from "./xlsx-layout.js";
import { buildNotSubmittedTable, buildZoneTable, type Cell, type Table } from "./zone-table.js";

const BOLD = { bold: true } as const;
const THIN = { style: "thin" } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Excel forbids []:*?/\ in sheet names and allows 31 characters. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31);
}

/** Numbers are numbers; a missing figure is an empty cell (the status column says why), never "—". */
function writeCell(target: ExcelJS.Cell, c: Cell): void {
  if (c.num !== undefined) {
    target.value = c.num;
    if (c.numFmt) target.numFmt = c.numFmt;
  } else if (c.text !== DASH && c.text !== "") {
    target.value = c.text;
  }
  target.border = BORDER;
  target.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
}

const colLetter = (n: number): string =>
  n <= 26 ? String.fromCharCode(64 + n) : colLetter(Math.floor((n - 1) / 26)) + colLetter(((n - 1) % 26) + 1);

type Sheet = ExcelJS.Worksheet;

/** One line of an 11 pt bold header label, in points. */
const HEADER_LINE_PT = 15;

/** Whether header column `i` (0-based) lies under a band of several columns. */
function spannedByBand(bands: NonNullable<Table["bands"]>, i: number): boolean {
  let col = 0;
  for (const b of bands) {
    if (i < col + b.span) return b.span > 1;
    col += b.span;
  }
  return false;
}

const CENTER = { horizontal: "center", vertical: "middle", wrapText: true } as const;

/**
 * Row 1 title (merged), row 2 optional sample note, then the header (one row, or two with the
 * table's bands: a quota label over its 数量 and 完成率, the other headers merged down) and the rows;
 * the header frozen and filtered, printed A4 landscape one page wide with the header repeated. A 合计
 * row below the filter range sums the numeric columns with SUBTOTAL(109, …) (so a filter sums what
 * it shows), each formula carrying the assessment's exact total as its cached result.
 * Streamed: each row is committed (written out) as soon as it is filled.
 */
async function addTableSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  t: Omit<Table, "rows"> & { rows: Iterable<Cell[]> },
  sampleNote: string | undefined,
): Promise<void> {
  const cols = t.headers.length;
  const headerRow = (sampleNote ? 3 : 2) + (t.bands ? 1 : 0);
  const ws: Sheet = wb.addWorksheet(sheetName(name), {
    pageSetup: {
      ...A4_LANDSCAPE,
      printTitlesRow: `${headerRow - (t.bands ? 1 : 0)}:${headerRow}`,
    },
    views: [{ state: "frozen", ySplit: headerRow, xSplit: Math.min(3, cols - 1) }],
  });
  ws.columns = sheetWidths(t).map((width) => ({ width }));
  ws.getCell(1, 1).value = t.title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: "center" };
  ws.mergeCells(1, 1, 1, cols);
  if (sampleNote) {
    ws.getCell(2, 1).value = sampleNote;
    ws.mergeCells(2, 1, 2, cols);
  }
  const head = (row: number, col: number, text: string) => {
    const cell = ws.getCell(row, col);
    cell.value = text;
    cell.font = BOLD;
    cell.border = BORDER;
    cell.alignment = CENTER;
  };
  if (t.bands) {
    let col = 1;
    for (const b of t.bands) {
      head(headerRow - 1, col, headerText(b.span === 1 ? t.headers[col - 1]! : b.text));
      for (let i = col; i < col + b.span; i++) {
        if (b.span > 1) head(headerRow, i, headerText(t.headers[i - 1]!));
        else head(headerRow, i, "");
      }
      if (b.span === 1) ws.mergeCells(headerRow - 1, col, headerRow, col);
      else ws.mergeCells(headerRow - 1, col, headerRow - 1, col + b.span - 1);
      col += b.span;
    }
  } else {
    t.headers.forEach((h, i) => {
      head(headerRow, i + 1, headerText(h));
    });
  }
  // Header heights set, not left to the reader: LibreOffice gives the lower row of a two-row header
  // one line when merged cells span it, and its two-line labels overlap the band above.
  const lines = (h: string) => headerText(h).split("\n").length;
  if (t.bands) {
    const lower = Math.max(1, ...t.headers.filter((_, i) => spannedByBand(t.bands!, i)).map(lines));
    const upper = Math.max(
      1,
      ...t.bands.filter((b) => b.span > 1).map((b) => lines(b.text)),
      ...t.headers.filter((_, i) => !spannedByBand(t.bands!, i)).map((h) => lines(h) - lower),
    );
    ws.getRow(headerRow - 1).height = HEADER_LINE_PT * upper + 4;
    ws.getRow(headerRow).height = HEADER_LINE_PT * lower + 4;
  } else {
    ws.getRow(headerRow).height = HEADER_LINE_PT * Math.max(...t.headers.map(lines)) + 4;
  }
  for (let r = 1; r <= headerRow; r++) ws.getRow(r).commit();
  let row = headerRow;
  for (const r of t.rows) {
    const target = ws.getRow(++row);
    for (let i = 0; i < cols; i++) writeCell(target.getCell(i + 1), r[i] ?? { text: "" });
    target.commit();
    // Let the zip writer drain what is committed, so a big sheet is never buffered whole.
    if ((row - headerRow) % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  ws.autoFilter = {
    from: { row: headerRow, column: 1 },
    to: { row: Math.max(row, headerRow), column: cols },
  };
  if (t.total) {
    row++;
    const first = headerRow + 1;
    const last = Math.max(first, row - 1);
    const target = ws.getRow(row);
    t.total.forEach((c, i) => {
      const cell = target.getCell(i + 1);
      const L = colLetter(i + 1);
      if (c.num !== undefined && c.formula !== "none") {
        cell.value =
          c.formula === "ratio" && c.ratioOf
            ? {
                formula: `IF(${colLetter(c.ratioOf[1])}${row}>0,${colLetter(c.ratioOf[0])}${row}/${colLetter(c.ratioOf[1])}${row}*100,"")`,
                result: c.num,
              }
            : { formula: `SUBTOTAL(109,${L}${first}:${L}${last})`, result: c.num };
        if (c.numFmt) cell.numFmt = c.numFmt;
      } else {
        writeCell(cell, c);
      }
      cell.font = BOLD;
      cell.border = BORDER;
      cell.alignment = { horizontal: "center", vertical: "middle" };
    });
    target.commit();
  }
  ws.commit();
}

function addSummarySheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  m: AssessmentModel,
  meta: CircularMeta,
  ph: CircularPhrases,
) {
  const ws = wb.addWorksheet(sheetName(ph.xlsx.summarySheet), { pageSetup: { ...A4_LANDSCAPE } });
  ws.columns = [{ width: 28 }, { width: 40 }];
  const rows: Array<[string, string | number | Date]> = [
    [phrase(ph.xlsx.summaryTitle, { periodLabel: m.periodLabel }), ""],
  ];
  if (m.isSample) rows.push([ph.sampleNote, ""]);
  rows.push(
    ["发文字号", meta.docNumber],
    ["数据截至", shanghaiDate(m.builtAt)],
    ["时间进度（%）", pctNumber(m.thresholds.expectedPct) ?? ""],
    ["应报送经开区（个）", m.totals.zones],
    ["已报送（个）", m.totals.submitted],
    ["其中逾期报送（个）", m.totals.late],
    ["未报送（个）", m.totals.missing],
  );
  for (const g of m.groups) {
    rows.push([g.label, `${g.submittedCount}/${g.zoneIds.length} 已报送`]);
    const h = g.headline;
    if (!h) continue;
    rows.push(
      [`累计${h.label}（${h.unit}）`, moneyNumber(h.total) ?? ""],
      [`全年目标（${h.unit}）`, moneyNumber(h.groupTarget) ?? ""],
      ["完成率（%）", pctNumber(h.completionPct) ?? ""],
      ["进度状态", PROGRESS_LABELS[h.status]],
      ["同比", yoyText(h.yoyPct)],
      ...g.grades.map((x): [string, number] => [`${x.grade}（个）`, x.zoneIds.length]),
    );
  }
  rows.forEach(([k, v], i) => {
    ws.getCell(i + 1, 1).value = k;
    ws.getCell(i + 1, 2).value = v;
    const cell = ws.getCell(i + 1, 2);
    // One column read down: every value left-aligned, money with thousands separators.
    cell.alignment = { horizontal: "left" };
    if (v instanceof Date) cell.numFmt = "yyyy-mm-dd hh:mm";
    else if (typeof v === "number" && /（万元）$/.test(k)) cell.numFmt = "#,##0.00";
    if (i === 0) ws.getCell(1, 1).font = { bold: true, size: 14 };
  });
  ws.commit();
}

async function addDetailSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  m: AssessmentModel,
  ph: CircularPhrases,
) {
  const c = ph.columns;
  const labels = new Map(m.indicators.map((i) => [i.key, i]));
  // One row per zone and indicator (the biggest sheet), generated as it is written.
  const rows = function* (): Generator<Cell[]> {
    for (const z of m.zones)
      for (const f of z.indicators) {
        const def = labels.get(f.key);
        const unit = def?.unit ?? "";
        const required = def?.required !== false;
        // An optional figure nobody had to fill is not 未报送: its status stays empty.
        const status = f.value === null && !required ? "" : PROGRESS_LABELS[f.status];
        yield [
          { text: z.prefectureShortName },
          { text: z.name },
          { text: def?.label ?? f.key },
          { text: unit },
          { text: required ? "必报" : "选填" },
          f.value === null ? { text: DASH } : { text: valueText(f.value, unit), num: moneyNumber(f.value)! },
          f.target === null
            ? { text: DASH }
            : { text: valueText(f.target, unit), num: moneyNumber(f.target)! },
          f.completionPct === null
            ? { text: DASH }
            : { text: "", num: pctNumber(f.completionPct)!, numFmt: '0.0"%"' },
          { text: status },
          { text: z.submitted ? (z.late ? "逾期报送" : "已报送") : "未报送" },
        ];
      }
  };
  await addTableSheet(
    wb,
    ph.xlsx.detailSheet,
    {
      title: `${m.periodLabel}${ph.xlsx.detailSheet}`,
      headers: [
        c.prefecture,
        c.zone,
        c.indicator,
        "单位",
        "必报/选填",
        "累计值",
        "年度目标",
        c.completion,
        c.status,
        "报送情况",
      ],
      // The zone column as wide as the longest name (rows are streamed, not measured).
      widths: [
        6,
        m.zones.reduce((w, z) => Math.max(w, excelWidth(z.name) / 1.6 + 1.5), 12),
        12,
        4,
        5,
        8,
        8,
        6,
        6,
        6,
      ],
      rows: rows(),
    },
    m.isSample ? ph.sampleNote : undefined,
  );
}

/** The Shanghai wall-clock time of an instant as an Excel date (Excel dates carry no zone). */
function shanghaiDate(iso: string): Date {
  return new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
}

/** The zone sheet's 报送情况 column (已报送 / 逾期报送 / 未报送), separate from the figures. */
function withStatusColumn(m: AssessmentModel, g: AssessmentModel["groups"][number], t: Table): Table {
  const byId = new Map(m.zones.map((z) => [z.zoneId, z]));
  const status = (id: string) => {
    const z = byId.get(id)!;
    return z.submitted ? (z.late ? "逾期报送" : "已报送") : "未报送";
  };
  const rows = t.rows.map((r, i) => [...r, { text: status(g.headline!.zones[i]!.zoneId) }]);
  const bands = t.bands ? { bands: [...t.bands, { text: "报送情况", span: 1 }] } : {};
  const total = t.total?.map((c, i): Cell => {
    // 完成率 of the 合计 row is total ÷ target, not a sum of rates.
    if (t.headers[i]?.startsWith("完成率") && c.num !== undefined)
      return { ...c, formula: "ratio", ratioOf: [i - 2, i] };
    return c;
  });
  return {
    ...t,
    headers: [...t.headers, "报送情况"],
    ...bands,
    widths: [...t.widths, 6],
    rows,
    ...(total ? { total: [...total, { text: "" }] } : {}),
  };
}

/**
 * The workbook: 汇总, one per-zone sheet per group with a headline figure, 未报送名单, 指标明细 —
 * written with exceljs's streaming writer (rows leave memory as they are committed).
 */
export async function renderCircularXlsx(
  m: AssessmentModel,
  meta: CircularMeta,
  ph: CircularPhrases,
  builtAt: Date,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (b: Buffer) => chunks.push(b));
  // Deflate level 1: the sheets are repetitive XML; level 6 compresses them little better, slower.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: false,
    zip: { zlib: { level: 1 } },
  });
  wb.creator = meta.issuer;
  wb.created = builtAt;
  wb.modified = builtAt;
  const note = m.isSample ? ph.sampleNote : undefined;
  addSummarySheet(wb, m, meta, ph);
  for (const g of m.groups) {
    if (!g.headline) continue;
    await addTableSheet(
      wb,
      phrase(ph.xlsx.groupSheet, { label: g.label }),
      withStatusColumn(m, g, buildZoneTable(m, g, ph)),
      note,
    );
  }
  await addTableSheet(wb, ph.xlsx.notSubmittedSheet, buildNotSubmittedTable(m, ph), note);
  await addDetailSheet(wb, m, ph);
  await wb.commit();
  return Buffer.concat(chunks);
}
