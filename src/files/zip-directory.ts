import { inflateRawSync } from "node:zlib";
import { type FileLimits, FileRefusal, formatBytes } from "./file-limits.js";

/** One entry of a zip archive as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MIB = 1024 * 1024;

const corrupt = () =>
  new FileRefusal("corrupt", "文件已损坏，无法读取（压缩包目录不完整）。请在 Excel 中重新保存后再发送。");

/** The central directory of a zip archive, or undefined when `bytes` has no end-of-central-directory record. */
export function readZipDirectory(bytes: Buffer): ZipEntry[] | undefined {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  let p = bytes.readUInt32LE(eocd + 16);
  // ZIP64 markers: an xlsx of the size we accept never needs them
  if (count === 0xffff || size === 0xffffffff || p === 0xffffffff || p + size > eocd) throw corrupt();
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL) throw corrupt();
    const nameLen = bytes.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags: bytes.readUInt16LE(p + 8),
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      uncompressedSize: bytes.readUInt32LE(p + 24),
      localHeaderOffset: bytes.readUInt32LE(p + 42),
      name: bytes.subarray(p + 46, p + 46 + nameLen).toString("utf8"),
    };
    entries.push(entry);
    p += 46 + nameLen + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return entries;
}

/**
 * Refuses an archive that would cost more than the limits to open, from the central directory alone
 * (nothing is inflated): too many entries, too many worksheets, encrypted entries, ZIP64 sizes, a
 * declared total beyond the limit, or an entry whose compression ratio marks a bomb.
 */
export function checkZipBounds(entries: ZipEntry[], limits: FileLimits): void {
  if (entries.length > limits.maxZipEntries)
    throw new FileRefusal(
      "zip_bomb",
      `文件包含 ${entries.length} 个压缩条目，超过上限 ${limits.maxZipEntries}，不予读取。`,
    );
  const sheets = entries.filter((e) => /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)).length;
  if (sheets > limits.maxSheets)
    throw new FileRefusal(
      "too_many_sheets",
      `工作簿有 ${sheets} 个工作表，超过上限 ${limits.maxSheets} 个。请只保留报送用的工作表后再发送。`,
    );
  let total = 0;
  for (const e of entries) {
    if (e.flags & 0x1)
      throw new FileRefusal(
        "encrypted",
        "文件已加密（设置了打开密码），无法读取。请取消密码后重新保存再发送。",
      );
    if (e.uncompressedSize === 0xffffffff || e.compressedSize === 0xffffffff) throw corrupt();
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > MIB && ratio > limits.maxCompressionRatio)
      throw new FileRefusal(
        "zip_bomb",
        `文件中的“${e.name}”压缩比异常（${Math.round(ratio)} 倍），疑似压缩炸弹，不予读取。`,
      );
  }
  if (total > limits.maxUncompressedBytes)
    throw new FileRefusal(
      "zip_bomb",
      `文件解压后约 ${formatBytes(total)}，超过上限 ${formatBytes(limits.maxUncompressedBytes)}，不予读取。`,
    );
}

/**
 * Inflates every entry with its declared size as a hard output cap (zlib stops at maxOutputLength), so a
 * central directory that lies about sizes cannot make the reader inflate more than was checked.
 */
export function verifyDeclaredSizes(bytes: Buffer, entries: ZipEntry[]): void {
  for (const e of entries) {
    const p = e.localHeaderOffset;
    if (p + 30 > bytes.length || bytes.readUInt32LE(p) !== LOCAL) throw corrupt();
    const start = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
    const data = bytes.subarray(start, start + e.compressedSize);
    if (data.length !== e.compressedSize) throw corrupt();
    if (e.method === 0) {
      if (e.compressedSize !== e.uncompressedSize) throw corrupt();
      continue;
    }
    if (e.method !== 8) throw corrupt();
    let out: Buffer;
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch {
      throw new FileRefusal(
        "zip_bomb",
        `文件中的“${e.name}”解压后大于其声明的大小，疑似压缩炸弹，不予读取。`,
      );
    }
    if (out.length !== e.uncompressedSize) throw corrupt();
  }
}
