import type { SheetRows } from "./roster-rows.js";
import { fixZipTimestamps } from "./zip-timestamps.js";

/** Fixed workbook dates, so that the same content always gives the same file. */
const FIXED_DATE = new Date("2020-01-01T00:00:00Z");

function displayWidth(v: string | number): number {
  let w = 0;
  for (const ch of String(v)) w += ch.charCodeAt(0) <= 0xff ? 1 : 2;
  return w;
}

/** Writes the sheets as an xlsx: bold frozen header, widths from content; byte-for-byte deterministic. */
export async function writeXlsx(sheets: SheetRows[]): Promise<Buffer> {
  // loaded with the first export, not at start-up
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "kaiqu-bot";
  wb.lastModifiedBy = "kaiqu-bot";
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: "frozen", ySplit: 1 }] });
    for (const r of s.rows) ws.addRow(r);
    ws.getRow(1).font = { bold: true };
    const width = Math.max(0, ...s.rows.map((r) => r.length));
    for (let c = 1; c <= width; c++) {
      const widest = Math.max(...s.rows.map((r) => displayWidth(r[c - 1] ?? "")));
      ws.getColumn(c).width = Math.min(60, Math.max(8, widest + 2));
    }
  }
  return fixZipTimestamps(Buffer.from(await wb.xlsx.writeBuffer()));
}
