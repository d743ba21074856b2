import type { AssessmentModel } from "../assessment/assessment-model.js";
import { PROGRESS_LABELS } from "../assessment/progress-status.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import type { CircularMeta } from "./circular-view.js";
import { DASH, moneyNumber, pctNumber, valueText, yoyText } from "./format.js";
import { excelWidth, headerText, sheetWidths } from "./xlsx-layout.js";
import { type SheetPart, xlsxPackage } from "./xlsx-package.js";
import {
  colLetter,
  excelDate,
  formulaCellXml,
  numberCellXml,
  SheetXml,
  textCellXml,
} from "./xlsx-sheet-xml.js";
import { XF_KIND, type XfKind, xfIndex } from "./xlsx-styles.js";
import { buildNotSubmittedTable, buildZoneTable, type Cell, type Table } from "./zone-table.js";

/** Excel forbids []:*?/\\ in sheet names and allows 31 characters. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31);
}

/** Numbers are numbers; a missing figure is an empty cell (the status column says why), never "—". */
function cellXml(ref: string, c: Cell, kind: XfKind = XF_KIND.cell): string {
  if (c.num !== undefined) return numberCellXml(ref, xfIndex(kind, c.numFmt), c.num);
  return textCellXml(ref, xfIndex(kind, c.numFmt), c.text === DASH ? "" : c.text);
}

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

type StreamedTable = Omit<Table, "rows"> & { rows: Iterable<Cell[]> };

/**
 * Row 1 title (merged), row 2 optional sample note, then the header (one row, or two with the
 * table's bands: a quota label over its 数量 and 完成率, the other headers merged down) and the rows;
 * the header frozen and filtered, printed A4 landscape one page wide with the header repeated. A 合计
 * row below the filter range sums the numeric columns with SUBTOTAL(109, …) (so a filter sums what
 * it shows), each formula carrying the assessment's exact total as its cached result.
 * The rows are turned into XML as the zip writer reads the part.
 */
function tableSheet(name: string, t: StreamedTable, sampleNote: string | undefined): SheetPart {
  const cols = t.headers.length;
  const headerRow = (sampleNote ? 3 : 2) + (t.bands ? 1 : 0);
  const letters = Array.from({ length: cols }, (_, i) => colLetter(i + 1));
  return {
    name: sheetName(name),
    printTitles: [headerRow - (t.bands ? 1 : 0), headerRow],
    chunks: tableChunks(t, sampleNote, headerRow, letters),
  };
}

function* tableChunks(
  t: StreamedTable,
  sampleNote: string | undefined,
  headerRow: number,
  L: string[],
): Generator<string> {
  const cols = L.length;
  const sx = new SheetXml({
    widths: sheetWidths(t),
    frozen: { rows: headerRow, cols: Math.min(3, cols - 1) },
  });
  yield sx.start();
  sx.row(1, textCellXml("A1", xfIndex(XF_KIND.title), t.title));
  sx.merge(1, 1, 1, cols);
  if (sampleNote) {
    sx.row(2, textCellXml("A2", xfIndex(XF_KIND.plain), sampleNote));
    sx.merge(2, 1, 2, cols);
  }
  const HEAD = xfIndex(XF_KIND.header);
  const head = (row: number, col: number, text: string) => textCellXml(`${L[col - 1]}${row}`, HEAD, text);
  // Header heights set, not left to the reader: LibreOffice gives the lower row of a two-row header
  // one line when merged cells span it, and its two-line labels overlap the band above.
  const lines = (h: string) => headerText(h).split("\n").length;
  if (t.bands) {
    let upperCells = "";
    let lowerCells = "";
    let col = 1;
    for (const b of t.bands) {
      upperCells += head(headerRow - 1, col, headerText(b.span === 1 ? t.headers[col - 1]! : b.text));
      for (let i = col; i < col + b.span; i++) {
        if (b.span > 1) {
          if (i > col) upperCells += head(headerRow - 1, i, "");
          lowerCells += head(headerRow, i, headerText(t.headers[i - 1]!));
        } else lowerCells += head(headerRow, i, "");
      }
      if (b.span === 1) sx.merge(headerRow - 1, col, headerRow, col);
      else sx.merge(headerRow - 1, col, headerRow - 1, col + b.span - 1);
      col += b.span;
    }
    const lower = Math.max(1, ...t.headers.filter((_, i) => spannedByBand(t.bands!, i)).map(lines));
    const upper = Math.max(
      1,
      ...t.bands.filter((b) => b.span > 1).map((b) => lines(b.text)),
      ...t.headers.filter((_, i) => !spannedByBand(t.bands!, i)).map((h) => lines(h) - lower),
    );
    sx.row(headerRow - 1, upperCells, HEADER_LINE_PT * upper + 4);
    sx.row(headerRow, lowerCells, HEADER_LINE_PT * lower + 4);
  } else {
    const cells = t.headers.map((h, i) => head(headerRow, i + 1, headerText(h))).join("");
    sx.row(headerRow, cells, HEADER_LINE_PT * Math.max(...t.headers.map(lines)) + 4);
  }
  let row = headerRow;
  const EMPTY: Cell = { text: "" };
  for (const r of t.rows) {
    row++;
    let cells = "";
    for (let i = 0; i < cols; i++) cells += cellXml(`${L[i]}${row}`, r[i] ?? EMPTY);
    const chunk = sx.row(row, cells);
    if (chunk !== undefined) yield chunk;
  }
  sx.autoFilter(headerRow, 1, Math.max(row, headerRow), cols);
  if (t.total) {
    row++;
    const first = headerRow + 1;
    const last = Math.max(first, row - 1);
    const cells = t.total.map((c, i) => {
      const ref = `${L[i]}${row}`;
      if (c.num === undefined || c.formula === "none") return cellXml(ref, c, XF_KIND.total);
      const s = xfIndex(XF_KIND.total, c.numFmt);
      if (c.formula === "ratio" && c.ratioOf) {
        const [n, d] = [L[c.ratioOf[0] - 1], L[c.ratioOf[1] - 1]];
        return formulaCellXml(ref, s, `IF(${d}${row}>0,${n}${row}/${d}${row}*100,"")`, c.num);
      }
      return formulaCellXml(ref, s, `SUBTOTAL(109,${L[i]}${first}:${L[i]}${last})`, c.num);
    });
    sx.row(row, cells.join(""));
  }
  yield sx.end();
}

function summarySheet(m: AssessmentModel, meta: CircularMeta, ph: CircularPhrases): SheetPart {
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
  const sx = new SheetXml({ widths: [28, 40] });
  const xml = [sx.start()];
  rows.forEach(([k, v], i) => {
    const r = i + 1;
    const key = textCellXml(`A${r}`, xfIndex(i === 0 ? XF_KIND.heading : XF_KIND.plain), k);
    // One column read down: every value left-aligned, money with thousands separators.
    const value =
      v instanceof Date
        ? numberCellXml(`B${r}`, xfIndex(XF_KIND.left, "yyyy-mm-dd hh:mm"), excelDate(v))
        : typeof v === "number"
          ? numberCellXml(`B${r}`, xfIndex(XF_KIND.left, /（万元）$/.test(k) ? "#,##0.00" : undefined), v)
          : textCellXml(`B${r}`, xfIndex(XF_KIND.left), v);
    xml.push(sx.row(r, key + value) ?? "");
  });
  xml.push(sx.end());
  return { name: sheetName(ph.xlsx.summarySheet), chunks: xml };
}

function detailSheet(m: AssessmentModel, ph: CircularPhrases): SheetPart {
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
  return tableSheet(
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
 * written as XML text (xlsx-sheet-xml.ts) and zipped as it is produced, the detail rows generated
 * while the zip writer reads them. Excel's styles are a fixed set (xlsx-styles.ts).
 */
export async function renderCircularXlsx(
  m: AssessmentModel,
  meta: CircularMeta,
  ph: CircularPhrases,
  builtAt: Date,
): Promise<Buffer> {
  const note = m.isSample ? ph.sampleNote : undefined;
  const sheets: SheetPart[] = [summarySheet(m, meta, ph)];
  for (const g of m.groups) {
    if (!g.headline) continue;
    sheets.push(
      tableSheet(
        phrase(ph.xlsx.groupSheet, { label: g.label }),
        withStatusColumn(m, g, buildZoneTable(m, g, ph)),
        note,
      ),
    );
  }
  sheets.push(tableSheet(ph.xlsx.notSubmittedSheet, buildNotSubmittedTable(m, ph), note));
  sheets.push(detailSheet(m, ph));
  return xlsxPackage(sheets, { creator: meta.issuer, date: builtAt });
}
