import { decodeText } from "../files/decode-text.js";
import type { RawRow, RawSheet } from "./raw-sheet.js";
import { cleanCell } from "./roster-values.js";

/**
 * Decodes a roster csv with the one decoder every uploaded csv goes through (src/files: BOM, strict
 * UTF-8, else chardet's GB18030 or Big5); GB18030 is labelled "GB18030/GBK", as roster reports say.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: string } {
  const d = decodeText(bytes);
  return d.encoding === "GB18030" ? { text: d.text, encoding: "GB18030/GBK" } : d;
}

/** RFC 4180 records (quoted fields may hold commas, quotes "" and line breaks); CRLF or LF. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else field += c;
    i++;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** One csv file = one sheet, named by the caller (from the file name). */
export function readCsv(bytes: Buffer, source: string, sheetName: string): RawSheet {
  const { text, encoding } = decodeCsv(bytes);
  const records = parseCsvRecords(text).map((r) => r.map(cleanCell));
  const headers = records[0] ?? [];
  while (headers.length > 0 && headers.at(-1) === "") headers.pop();
  const rows: RawRow[] = [];
  records.slice(1).forEach((cells, i) => {
    if (cells.some((c) => c !== "")) rows.push({ rowNumber: i + 2, cells });
  });
  return { name: sheetName, source, headers, rows, encoding };
}

/** A csv field, quoted when needed. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with BOM and CRLF, which Excel opens correctly. */
export function formatCsv(rows: (string | number)[][]): Buffer {
  const text = rows.map((r) => r.map((v) => csvField(String(v))).join(",")).join("\r\n");
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\r\n`, "utf8")]);
}
