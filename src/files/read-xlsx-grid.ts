import type ExcelJS from "exceljs";
import { type FileLimits, FileRefusal } from "./file-limits.js";
import {
  cellPlace,
  type GridCell,
  type MergedRange,
  numberText,
  type SheetGrid,
  timesHundred,
} from "./sheet-grid.js";

/** Whether a number format shows the value as a percentage (a quoted or escaped % is a literal sign). */
export function isPercentFormat(numFmt: string | undefined): boolean {
  return numFmt?.replace(/"[^"]*"|\\./g, "").includes("%") === true;
}

function dateText(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
}

/** One exceljs cell value as a grid cell (formulas by their cached result; none cached → uncomputed). */
export function gridCellOf(value: ExcelJS.CellValue, numFmt?: string): GridCell | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value === "" ? undefined : { text: value };
  if (typeof value === "number") {
    const exact = numberText(value);
    if (isPercentFormat(numFmt)) {
      const pct = timesHundred(exact);
      return { text: `${pct}%`, number: pct };
    }
    return { text: exact, number: exact };
  }
  if (typeof value === "boolean") return { text: value ? "是" : "否" };
  if (value instanceof Date) return { text: dateText(value) };
  if (typeof value === "object") {
    if ("richText" in value) return { text: value.richText.map((r) => r.text).join("") };
    if ("formula" in value || "sharedFormula" in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      if (result === undefined || result === null) return { text: "", formula: true, uncomputed: true };
      const inner = gridCellOf(result, numFmt);
      return inner ? { ...inner, formula: true } : { text: "", formula: true };
    }
    if ("error" in value) return { text: String((value as { error: unknown }).error) };
    if ("text" in value) return { text: String((value as { text: unknown }).text) };
  }
  return { text: String(value) };
}

/** "B2:D3" → 0-based range */
export function parseRange(ref: string): MergedRange | undefined {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref.replace(/\$/g, ""));
  if (!m) return undefined;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { top: Number(m[2]) - 1, left: col(m[1]!), bottom: Number(m[4]) - 1, right: col(m[3]!) };
}

/** Reads an xlsx (already sniffed and bounded) into grids with exceljs. */
export async function readXlsxGrid(bytes: Buffer, limits: FileLimits): Promise<SheetGrid[]> {
  // loaded with the first workbook, not when the report handlers load at start-up
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new FileRefusal(
      "corrupt",
      "工作簿无法打开（文件结构有误）。请在 Excel 或 WPS 中打开后另存为 .xlsx 再发送。",
    );
  }
  const sheets: SheetGrid[] = [];
  let cells = 0;
  wb.eachSheet((ws) => {
    if (ws.rowCount > limits.maxRows || ws.columnCount > limits.maxColumns)
      throw new FileRefusal(
        "too_many_cells",
        `工作表「${ws.name}」有 ${ws.rowCount} 行 ${ws.columnCount} 列，超过上限（${limits.maxRows} 行、${limits.maxColumns} 列）。请只保留报送数据后再发送。`,
      );
    const rows: (GridCell | undefined)[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const out: (GridCell | undefined)[] = [];
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        const g = gridCellOf(cell.value, cell.numFmt);
        if (!g) return;
        if (g.text.length > limits.maxCellChars)
          throw new FileRefusal(
            "cell_too_long",
            `${cellPlace(ws.name, rowNumber - 1, colNumber - 1)}有 ${g.text.length} 个字符，超过单元格上限 ${limits.maxCellChars}，不予读取。`,
          );
        if (++cells > limits.maxCells)
          throw new FileRefusal("too_many_cells", `工作簿的非空单元格超过 ${limits.maxCells} 个，不予读取。`);
        out[colNumber - 1] = g;
      });
      rows[rowNumber - 1] = out;
    });
    for (let r = 0; r < rows.length; r++) rows[r] ??= [];
    const merges = ((ws.model as { merges?: string[] }).merges ?? [])
      .map(parseRange)
      .filter((m): m is MergedRange => m !== undefined);
    sheets.push({ name: ws.name, hidden: ws.state !== "visible", rows, merges });
  });
  return sheets;
}
