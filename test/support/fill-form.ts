import ExcelJS from "exceljs";

/**
 * Fills the bot's form as a bureau would in a spreadsheet program (exceljs stands in for Excel): the
 * given zone's row, by the headers it shows; everything else (hidden marker sheet, validation,
 * reference columns) stays as received.
 */
export async function fillForm(
  form: Buffer,
  zoneName: string,
  values: Record<string, number>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(form as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet("填报");
  if (!ws) throw new Error("the form has no 填报 sheet");
  const header = (ws.getRow(3).values as unknown[]).map((v) => String(v ?? ""));
  let row = 0;
  ws.eachRow((r, n) => {
    if (n > 3 && String(r.getCell(1).value ?? "").includes(zoneName)) row = n;
  });
  if (!row) throw new Error(`the form has no row for ${zoneName}`);
  for (const [h, v] of Object.entries(values)) {
    const col = header.indexOf(h);
    if (col < 1) throw new Error(`the form has no column ${h} (has ${header.join(" | ")})`);
    ws.getCell(row, col).value = v;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The values a 惠水 row is filled with in the whole-quarter tests, and what they store as. */
export const HUISHUI_FILLED = {
  "进出口额（万元）": 32000,
  "进出口同比（%）": 12.5,
  "包装招商项目（个）": 3,
  "赴外招商（次）": 4,
  "引进外贸市场主体（家）": 1,
  "人才培训（场）": 2,
};
export const HUISHUI_STORED = { trade_total: "32000", trade_yoy: "12.5", projects: "3", trips: "4" };
