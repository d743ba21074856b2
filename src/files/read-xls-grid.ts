import { createRequire } from "node:module";
import type XLSXModule from "xlsx";
import { type FileLimits, FileRefusal } from "./file-limits.js";
import { isPercentFormat } from "./read-xlsx-grid.js";
import {
  cellPlace,
  type GridCell,
  type MergedRange,
  numberText,
  type SheetGrid,
  timesHundred,
} from "./sheet-grid.js";

/** Reads a legacy .xls (BIFF, already sniffed and bounded) into grids with SheetJS. */
/** SheetJS, loaded with the first .xls (synchronously: it is CommonJS), not at start-up. */
let sheetjs: typeof XLSXModule | undefined;
const xlsx = () => {
  sheetjs ??= createRequire(import.meta.url)("xlsx") as typeof XLSXModule;
  return sheetjs;
};

export function readXlsGrid(bytes: Buffer, limits: FileLimits): SheetGrid[] {
  const XLSX = xlsx();
  let wb: XLSXModule.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: "buffer", cellNF: true, cellDates: false, sheetRows: limits.maxRows + 1 });
  } catch (e) {
    if (/password|encrypt/i.test(String(e)))
      throw new FileRefusal(
        "encrypted",
        "文件已加密（设置了打开密码），无法读取。请取消密码后重新保存再发送。",
      );
    throw new FileRefusal(
      "corrupt",
      "工作簿无法打开（文件结构有误）。请在 Excel 或 WPS 中打开后另存为 .xlsx 再发送。",
    );
  }
  if (wb.SheetNames.length > limits.maxSheets)
    throw new FileRefusal(
      "too_many_sheets",
      `工作簿有 ${wb.SheetNames.length} 个工作表，超过上限 ${limits.maxSheets} 个。`,
    );
  let cells = 0;
  return wb.SheetNames.map((name, index) => {
    const ws = wb.Sheets[name]!;
    const range = ws["!ref"] ? XLSX.utils.decode_range(ws["!ref"]) : undefined;
    if (range && (range.e.r + 1 > limits.maxRows || range.e.c + 1 > limits.maxColumns))
      throw new FileRefusal(
        "too_many_cells",
        `工作表「${name}」超过上限（${limits.maxRows} 行、${limits.maxColumns} 列）。请只保留报送数据后再发送。`,
      );
    const rows: (GridCell | undefined)[][] = [];
    if (range) {
      for (let r = 0; r <= range.e.r; r++) {
        const row: (GridCell | undefined)[] = [];
        for (let c = 0; c <= range.e.c; c++) {
          const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSXModule.CellObject | undefined;
          const g = cell ? gridCellOf(cell) : undefined;
          if (!g) continue;
          if (g.text.length > limits.maxCellChars)
            throw new FileRefusal(
              "cell_too_long",
              `${cellPlace(name, r, c)}有 ${g.text.length} 个字符，超过单元格上限 ${limits.maxCellChars}，不予读取。`,
            );
          if (++cells > limits.maxCells)
            throw new FileRefusal(
              "too_many_cells",
              `工作簿的非空单元格超过 ${limits.maxCells} 个，不予读取。`,
            );
          row[c] = g;
        }
        rows[r] = row;
      }
    }
    const merges: MergedRange[] = (ws["!merges"] ?? []).map((m) => ({
      top: m.s.r,
      left: m.s.c,
      bottom: m.e.r,
      right: m.e.c,
    }));
    // SheetJS keeps a merged range's value in its first cell only; the grid repeats it (as exceljs does)
    for (const m of merges) {
      const master = rows[m.top]?.[m.left];
      if (!master) continue;
      for (let r = m.top; r <= m.bottom; r++) {
        const row = rows[r] ?? [];
        rows[r] = row;
        for (let c = m.left; c <= m.right; c++) row[c] ??= master;
      }
    }
    const hidden = (wb.Workbook?.Sheets?.[index]?.Hidden ?? 0) !== 0;
    return { name, hidden, rows, merges };
  });
}

function gridCellOf(cell: XLSXModule.CellObject): GridCell | undefined {
  if (cell.t === "z" || cell.v === undefined || cell.v === null) return undefined;
  if (cell.t === "n" && typeof cell.v === "number") {
    const fmt = typeof cell.z === "string" ? cell.z : undefined;
    if (fmt && xlsx().SSF.is_date(fmt)) return { text: cell.w ?? String(cell.v) };
    const exact = numberText(cell.v);
    if (isPercentFormat(fmt)) {
      const pct = timesHundred(exact);
      return { text: `${pct}%`, number: pct };
    }
    return { text: exact, number: exact };
  }
  if (cell.t === "b") return { text: cell.v ? "是" : "否" };
  if (cell.t === "e") return { text: cell.w ?? "#ERROR" };
  const text = String(cell.v);
  return text === "" ? undefined : { text };
}
