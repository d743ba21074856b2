import { DASH } from "./format.js";
import { headerText, sheetWidths } from "./xlsx-layout.js";
import type { SheetPart } from "./xlsx-package.js";
import { colLetter, formulaCellXml, numberCellXml, SheetXml, textCellXml } from "./xlsx-sheet-xml.js";
import { XF_KIND, type XfKind, xfIndex } from "./xlsx-styles.js";
import type { Cell, Table } from "./zone-table.js";

/**
 * One table sheet of the circular's workbook (the per-zone sheets, 未报送名单, 指标明细) as a streamed part:
 * title, header (with its bands), rows and a 合计 row, turned into XML in chunks (xlsx-sheet-xml.ts) as the
 * zip writer reads the part, so the biggest sheet is never held whole. The workbook is put together in
 * render-xlsx.ts.
 */

/** Excel forbids []:*?/\\ in sheet names and allows 31 characters. */
export function sheetName(name: string): string {
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

export type StreamedTable = Omit<Table, "rows"> & { rows: Iterable<Cell[]> };

/**
 * Row 1 title (merged), row 2 optional sample note, then the header (one row, or two with the
 * table's bands: a quota label over its 数量 and 完成率, the other headers merged down) and the rows;
 * the header frozen and filtered, printed A4 landscape one page wide with the header repeated. A 合计
 * row below the filter range sums the numeric columns with SUBTOTAL(109, …) (so a filter sums what
 * it shows), each formula carrying the assessment's exact total as its cached result.
 * The rows are turned into XML as the zip writer reads the part.
 */
export function tableSheet(name: string, t: StreamedTable, sampleNote: string | undefined): SheetPart {
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
