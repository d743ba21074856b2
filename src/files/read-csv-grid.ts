import chardet from "chardet";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { type FileLimits, FileRefusal } from "./file-limits.js";
import type { GridCell, SheetGrid } from "./sheet-grid.js";

/**
 * Decodes a csv as a Chinese Excel or WPS may have saved it: a BOM decides (UTF-8, UTF-16); valid
 * UTF-8 is UTF-8; otherwise chardet's guess among the Chinese encodings (GB18030 — the superset of
 * GBK and GB2312 — or Big5), GB18030 when it has none.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString("utf8"), encoding: "UTF-8 (BOM)" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), "utf16le"), encoding: "UTF-16LE" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(bytes.subarray(2), "utf16be"), encoding: "UTF-16BE" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8" };
  } catch {
    const guess = chardet.detect(bytes.subarray(0, 64 * 1024));
    const encoding = guess === "Big5" ? "Big5" : "GB18030";
    return { text: iconv.decode(bytes, encoding), encoding };
  }
}

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
