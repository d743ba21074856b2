import { headerLines } from "./docx-table-xml.js";
import type { Cell, Table } from "./zone-table.js";

/** How the circular's workbook prints: column widths and header lines (the page set-up is in xlsx-sheet-xml.ts). */

/** Width of text in Excel's column unit (the default font's digit): CJK about 2.1, other characters 1.15. */
export function excelWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) >= 0x2e80 ? 2.1 : 1.15;
  return w;
}

/** A header with its unit on a line of its own ("累计进出口额\n（万元）"), so a wrap never cuts the unit. */
export const headerText = (h: string) => headerLines(h).join("\n");

/**
 * Column widths from content when the rows are at hand (the zone tables), so a zone's name or a
 * figure never wraps: the widest cell (thousands separators counted) or header line, plus padding.
 * Rows streamed from a generator (the detail sheet) keep the table's relative widths.
 */
export function sheetWidths(t: Omit<Table, "rows"> & { rows: Iterable<Cell[]> }): number[] {
  const head = t.headers.map((h) => Math.max(...headerLines(h).map(excelWidth)) + 2.5);
  if (!Array.isArray(t.rows)) return t.widths.map((w, i) => Math.ceil(Math.max(6, w * 1.6, head[i]!)));
  const cellText = (c: Cell | undefined) =>
    c === undefined ? "" : c.num !== undefined && c.numFmt?.includes(",") ? `${c.text},,,` : c.text;
  return t.headers.map((h, i) => {
    let w = Math.max(...headerLines(h).map(excelWidth));
    for (const r of [...(t.rows as Cell[][]), ...(t.total ? [t.total] : [])])
      w = Math.max(w, excelWidth(cellText(r[i])));
    return Math.max(6, Math.ceil(w + 2.5));
  });
}
