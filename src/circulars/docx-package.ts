import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createDeflateRaw } from "node:zlib";
import JSZip from "jszip";

/**
 * Builds the circular's .docx around placeholders: the docx library writes the small document (text,
 * styles, footers, figures) with one placeholder paragraph per big table; this file copies that
 * package and streams each table's XML chunks into word/document.xml in place of its paragraph,
 * deflating as it goes (native zlib), so the table's text is never held whole in memory — only the
 * compressed package is. The zip written is plain PKZIP 2.0 (deflate, UTF-8 names, no zip64: a
 * circular stays far below 4 GB).
 */
export type PartContent = string | Buffer | Iterable<string>;

interface Entry {
  name: Buffer;
  crc: number;
  size: number;
  data: Buffer[];
  compressedSize: number;
}

async function deflateEntry(name: string, content: PartContent): Promise<Entry> {
  let crc = 0;
  let size = 0;
  const source = function* () {
    const chunks = typeof content === "string" || Buffer.isBuffer(content) ? [content] : content;
    for (const c of chunks) {
      const buf = typeof c === "string" ? Buffer.from(c, "utf8") : c;
      crc = crc32(buf, crc);
      size += buf.length;
      yield buf;
    }
  };
  const data: Buffer[] = [];
  let compressedSize = 0;
  await pipeline(Readable.from(source()), createDeflateRaw({ level: 6 }), async (out) => {
    for await (const b of out as AsyncIterable<Buffer>) {
      data.push(b);
      compressedSize += b.length;
    }
  });
  return { name: Buffer.from(name, "utf8"), crc, size, data, compressedSize };
}

// 1980-01-01 00:00 in DOS time: the package is the same bytes for the same circular.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Entries (in order) → a zip archive. */
export async function writeZip(parts: Array<[string, PartContent]>): Promise<Buffer> {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of parts) {
    const e = await deflateEntry(name, content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.compressedSize, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(e.name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    local.copy(dir, 8, 6, 30); // flags … name length, extra length
    dir.writeUInt16LE(0, 32); // comment length
    dir.writeUInt32LE(offset, 42);
    central.push(dir, e.name);
    out.push(local, e.name, ...e.data);
    offset += 30 + e.name.length + e.compressedSize;
    if (offset > 0xffffffff) throw new Error("docx package over 4 GB");
  }
  const dirSize = central.reduce((a, b) => a + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, ...central, end]);
}

/** The paragraph that holds `marker` (from <w:p…> to </w:p>), as [start, end) in `xml`. */
function paragraphAround(xml: string, marker: string): [number, number] {
  const at = xml.indexOf(marker);
  if (at < 0) throw new Error(`docx package: placeholder ${marker} not found`);
  const open = Math.max(xml.lastIndexOf("<w:p>", at), xml.lastIndexOf("<w:p ", at));
  const close = xml.indexOf("</w:p>", at);
  return [open, close + "</w:p>".length];
}

export interface PackageEdits {
  /** Placeholder text → the XML chunks that replace the paragraph holding it in word/document.xml. */
  tables: Map<string, () => Iterable<string>>;
  /** Text parts to rewrite (by path), given their current text ("" when absent). */
  rewrite?: Map<string, (text: string) => string>;
}

/** Copies the package, splicing the streamed tables into word/document.xml and applying the rewrites. */
export async function splicePackage(docx: Buffer, edits: PackageEdits): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  for (const n of edits.rewrite?.keys() ?? []) if (!names.includes(n)) names.push(n);
  const parts: Array<[string, PartContent]> = [];
  for (const name of names) {
    const rewrite = edits.rewrite?.get(name);
    if (name === "word/document.xml") {
      parts.push([name, documentChunks(await zip.file(name)!.async("string"), edits.tables)]);
    } else if (rewrite) {
      parts.push([name, rewrite((await zip.file(name)?.async("string")) ?? "")]);
    } else {
      parts.push([name, await zip.file(name)!.async("nodebuffer")]);
    }
  }
  return writeZip(parts);
}

function* documentChunks(xml: string, tables: Map<string, () => Iterable<string>>): Generator<string> {
  const spans = [...tables.entries()]
    .map(([marker, chunks]) => ({ span: paragraphAround(xml, marker), chunks }))
    .sort((a, b) => a.span[0] - b.span[0]);
  let at = 0;
  for (const { span, chunks } of spans) {
    yield xml.slice(at, span[0]);
    yield* chunks();
    at = span[1];
  }
  yield xml.slice(at);
}
