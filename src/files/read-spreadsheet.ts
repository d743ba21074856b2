import { type FileLimits, FileRefusal } from "./file-limits.js";
import { readXlsGrid } from "./read-xls-grid.js";
import { readXlsxGrid } from "./read-xlsx-grid.js";
import type { SpreadsheetGrid } from "./sheet-grid.js";
import { sniffFile } from "./sniff-file.js";

/**
 * The one entry for an inbound spreadsheet: sniff by content and bound (sniffFile), then convert every
 * sheet to a cell grid — exceljs for .xlsx, SheetJS for .xls, csv-parse for .csv. Throws FileRefusal
 * (with the Chinese reply) for anything it will not read; never returns a partial workbook.
 */
export async function readSpreadsheet(
  bytes: Buffer,
  fileName: string,
  limits: FileLimits,
): Promise<SpreadsheetGrid> {
  const { kind } = sniffFile(bytes, limits);
  let grid: SpreadsheetGrid;
  if (kind === "xlsx") grid = { kind, sheets: await readXlsxGrid(bytes, limits) };
  else if (kind === "xls") grid = { kind, sheets: readXlsGrid(bytes, limits) };
  else {
    // chardet, csv-parse and iconv-lite (~8 MB resident) come with the first CSV, not at start-up
    const { readCsvGrid } = await import("./read-csv-grid.js");
    const base = fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "") || "CSV";
    const { sheet, encoding } = readCsvGrid(bytes, base, limits);
    grid = { kind, encoding, sheets: [sheet] };
  }
  if (grid.sheets.every((s) => s.hidden || s.rows.every((r) => r.every((c) => c === undefined))))
    throw new FileRefusal("empty", "收到的文件没有内容（所有单元格都是空的）。请填写后重新发送。");
  return grid;
}

export { FileRefusal };
