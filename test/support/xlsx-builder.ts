import ExcelJS from "exceljs";

export type TestCell = string | number | Date | null;

/** A hand-made workbook (plain exceljs, independent of the roster writer): sheet name → rows, header first. */
export async function buildXlsx(sheets: Record<string, TestCell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
