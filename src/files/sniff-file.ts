import { createRequire } from "node:module";
import type XLSXModule from "xlsx";
import { ACCEPTED_FILES, type FileLimits, FileRefusal, formatBytes } from "./file-limits.js";
import type { SpreadsheetKind } from "./sheet-grid.js";
import { checkZipBounds, readZipDirectory, verifyDeclaredSizes } from "./zip-directory.js";

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const notSpreadsheet = (what: string) =>
  new FileRefusal("not_spreadsheet", `收到的文件${what}，不是电子表格，无法读取。请发送${ACCEPTED_FILES}。`);

const encrypted = () =>
  new FileRefusal(
    "encrypted",
    "文件已加密（设置了打开密码），无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后重新保存再发送。",
  );

/** Well-known non-spreadsheet formats, named back to the sender. */
const OTHER_FORMATS: [Buffer, string][] = [
  [Buffer.from("%PDF"), "是 PDF 文档"],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), "是 PNG 图片"],
  [Buffer.from([0xff, 0xd8, 0xff]), "是 JPEG 图片"],
  [Buffer.from("GIF8"), "是 GIF 图片"],
  [Buffer.from("#!AMR"), "是 AMR 语音"],
  [Buffer.from("Rar!"), "是 RAR 压缩包"],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), "是 7z 压缩包"],
  [Buffer.from([0x1f, 0x8b]), "是 gzip 压缩包"],
];

export interface SniffedFile {
  kind: SpreadsheetKind;
}

/**
 * Decides what a file is by its content (never by its name) and refuses it before any parsing work
 * when it is empty, larger than the limit, not a spreadsheet, encrypted or a zip bomb. A zip must be a
 * workbook ([Content_Types].xml + xl/workbook.xml); an OLE2 container must hold a Workbook/Book stream
 * without EncryptedPackage or a FILEPASS record; anything else must be text (csv).
 */
export function sniffFile(bytes: Buffer, limits: FileLimits): SniffedFile {
  if (bytes.length === 0) throw new FileRefusal("empty", "收到的文件是空的（0 字节）。请检查后重新发送。");
  if (bytes.length > limits.maxBytes)
    throw new FileRefusal(
      "too_large",
      `文件大小 ${formatBytes(bytes.length)}，超过上限 ${formatBytes(limits.maxBytes)}。请只保留报送用的工作表后再发送。`,
    );
  if (bytes.subarray(0, 8).equals(OLE2)) return sniffOle2(bytes, limits);
  if (bytes.subarray(0, 4).equals(ZIP)) {
    const entries = readZipDirectory(bytes);
    if (!entries)
      throw new FileRefusal(
        "corrupt",
        "文件已损坏或不完整（压缩包没有目录），无法读取。请重新保存后再发送。",
      );
    const names = new Set(entries.map((e) => e.name));
    if (!names.has("[Content_Types].xml") || !names.has("xl/workbook.xml")) {
      if (names.has("word/document.xml")) throw notSpreadsheet("是 Word 文档");
      if (names.has("ppt/presentation.xml")) throw notSpreadsheet("是 PowerPoint 演示文稿");
      throw notSpreadsheet("是压缩包");
    }
    checkZipBounds(entries, limits);
    verifyDeclaredSizes(bytes, entries);
    return { kind: "xlsx" };
  }
  for (const [magic, what] of OTHER_FORMATS)
    if (bytes.subarray(0, magic.length).equals(magic)) throw notSpreadsheet(what);
  if (!looksLikeText(bytes)) throw notSpreadsheet("不是文本或 Excel 格式");
  return { kind: "csv" };
}

interface CfbEntry {
  name: string;
  content?: Uint8Array | number[];
}

function sniffOle2(bytes: Buffer, limits: FileLimits): SniffedFile {
  let cfb: { FileIndex: CfbEntry[] };
  try {
    // SheetJS loads with the first legacy .xls, not at start-up (CommonJS: a synchronous require)
    cfb = (createRequire(import.meta.url)("xlsx") as typeof XLSXModule).CFB.read(bytes, { type: "buffer" });
  } catch {
    throw new FileRefusal("corrupt", "文件已损坏，无法读取（Office 文件结构不完整）。请重新保存后再发送。");
  }
  const byName = (n: string) => cfb.FileIndex.find((e) => e.name === n);
  // an encrypted xlsx/docx is an OLE2 container with EncryptedPackage + EncryptionInfo streams
  if (byName("EncryptedPackage") || byName("EncryptionInfo")) throw encrypted();
  const stream = byName("Workbook") ?? byName("Book");
  if (!stream?.content) {
    if (byName("WordDocument")) throw notSpreadsheet("是 Word 文档（.doc）");
    if (byName("PowerPoint Document")) throw notSpreadsheet("是 PowerPoint 演示文稿（.ppt）");
    throw notSpreadsheet("是 Office 文件但不含工作簿");
  }
  const globals = scanBiffGlobals(Buffer.from(stream.content as Uint8Array));
  if (globals.filePass) throw encrypted();
  if (globals.sheets > limits.maxSheets)
    throw new FileRefusal(
      "too_many_sheets",
      `工作簿有 ${globals.sheets} 个工作表，超过上限 ${limits.maxSheets} 个。请只保留报送用的工作表后再发送。`,
    );
  return { kind: "xls" };
}

/** Reads the BIFF record headers of the workbook globals (up to the first EOF record). */
export function scanBiffGlobals(stream: Buffer): { filePass: boolean; sheets: number } {
  let p = 0;
  let sheets = 0;
  while (p + 4 <= stream.length) {
    const type = stream.readUInt16LE(p);
    const len = stream.readUInt16LE(p + 2);
    if (type === 0x002f) return { filePass: true, sheets };
    if (type === 0x0085) sheets++;
    if (type === 0x000a) break;
    p += 4 + len;
  }
  return { filePass: false, sheets };
}

/** Text has no NUL bytes and few control characters (tab, CR, LF, FF aside). */
function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  if (sample[0] === 0xff && sample[1] === 0xfe) return true; // UTF-16LE BOM
  if (sample[0] === 0xfe && sample[1] === 0xff) return true;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= sample.length / 100;
}
