import type ExcelJS from "exceljs";
import { Decimal } from "../domain/decimal.js";
import type { RawRow, RawSheet } from "./raw-sheet.js";
import { cleanCell } from "./roster-values.js";

/**
 * Whether an Excel number format shows the value as a percentage (the cell holds 0.25 for "25%").
 * A % in quotes or escaped with a backslash is a literal sign and does not scale, e.g. 0.0"%".
 */
export function isPercentFormat(numFmt: string | undefined): boolean {
  return numFmt?.replace(/"[^"]*"|\\./g, "").includes("%") === true;
}

/**
 * Text of an exceljs cell value: numbers exactly (no exponent), dates as YYYY-MM-DD, formulas by their
 * result. A number shown as a percentage reads as it is shown: 0.25 in a "0%" cell is "25%".
 */
export function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return cleanCell(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    const exact =
      Number.isInteger(value) && Math.abs(value) < 1e21 ? Decimal.of(BigInt(value)) : Decimal.of(value);
    return isPercentFormat(numFmt) ? `${exact.times(100).toString()}%` : exact.toString();
  }
  if (typeof value === "boolean") return value ? "是" : "否";
  if (value instanceof Date) {
    const p = (n: number) => String(n).padStart(2, "0");
    return `${value.getUTCFullYear()}-${p(value.getUTCMonth() + 1)}-${p(value.getUTCDate())}`;
  }
  if (typeof value === "object") {
    if ("richText" in value) return cleanCell(value.richText.map((r) => r.text).join(""));
    if ("formula" in value || "sharedFormula" in value)
      return cellText((value as { result?: ExcelJS.CellValue }).result ?? null, numFmt);
    if ("text" in value) return cellText((value as { text: ExcelJS.CellValue }).text);
    if ("error" in value) return String((value as { error: unknown }).error);
  }
  return cleanCell(String(value));
}

/** Reads every worksheet: row 1 is the header, following non-empty rows are data. */
export async function readXlsx(buffer: Buffer, source: string): Promise<RawSheet[]> {
  // loaded with the first roster file, not at start-up
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const sheets: RawSheet[] = [];
  wb.eachSheet((ws) => {
    const width = ws.actualColumnCount > 0 ? ws.columnCount : 0;
    const read = (r: ExcelJS.Row) =>
      Array.from({ length: width }, (_, i) => {
        const cell = r.getCell(i + 1);
        return cellText(cell.value, cell.numFmt);
      });
    const header = read(ws.getRow(1));
    while (header.length > 0 && header.at(-1) === "") header.pop();
    const rows: RawRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber === 1) return;
      const cells = read(row);
      if (cells.some((c) => c !== "")) rows.push({ rowNumber, cells });
    });
    sheets.push({ name: cleanCell(ws.name), source, headers: header, rows });
  });
  return sheets;
}
