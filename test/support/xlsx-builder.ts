import ExcelJS from "exceljs";

/** A cell value, or a number with an Excel number format (e.g. 0.25 shown as "25%" with "0%"). */
export type TestCell = string | number | Date | null | { value: number; numFmt: string };

/** A hand-made workbook (plain exceljs, independent of the roster writer): sheet name → rows, header first. */
export async function buildXlsx(sheets: Record<string, TestCell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) {
      const row = ws.addRow(
        r.map((c) => (c !== null && typeof c === "object" && "numFmt" in c ? c.value : c)),
      );
      r.forEach((c, i) => {
        if (c !== null && typeof c === "object" && "numFmt" in c) row.getCell(i + 1).numFmt = c.numFmt;
      });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
