import { parse } from "csv-parse/sync";
import { decodeText } from "./decode-text.js";
import { type FileLimits, FileRefusal } from "./file-limits.js";
import type { GridCell, SheetGrid } from "./sheet-grid.js";

/** A csv (comma, or tab when the first line has tabs and no commas) as one grid named after the file. */
export function readCsvGrid(
  bytes: Buffer,
  sheetName: string,
  limits: FileLimits,
): { sheet: SheetGrid; encoding: string } {
  const { text, encoding } = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: limits.maxCellChars * 4,
      to_line: limits.maxRows + 1,
    }) as string[][];
  } catch (e) {
    const tooLong = /max_record_size|MAX_RECORD_SIZE/i.test(String((e as { code?: string }).code ?? e));
    throw new FileRefusal(
      tooLong ? "cell_too_long" : "corrupt",
      tooLong
        ? `CSV 文件中有一行超过 ${limits.maxCellChars * 4} 个字符，不予读取。`
        : "CSV 文件格式有误（引号不配对等），无法读取。请在 Excel 中另存为 .xlsx 后再发送。",
    );
  }
  if (records.length > limits.maxRows)
    throw new FileRefusal("too_many_cells", `CSV 文件超过 ${limits.maxRows} 行，不予读取。`);
  const rows: (GridCell | undefined)[][] = records.map((rec, r) => {
    if (rec.length > limits.maxColumns)
      throw new FileRefusal(
        "too_many_cells",
        `CSV 文件第 ${r + 1} 行有 ${rec.length} 列，超过上限 ${limits.maxColumns}。`,
      );
    return rec.map((v, c) => {
      if (v.length > limits.maxCellChars)
        throw new FileRefusal(
          "cell_too_long",
          `CSV 文件第 ${r + 1} 行第 ${c + 1} 列有 ${v.length} 个字符，超过单元格上限，不予读取。`,
        );
      return v.trim() === "" ? undefined : { text: v };
    });
  });
  return { sheet: { name: sheetName, hidden: false, rows, merges: [] }, encoding };
}
