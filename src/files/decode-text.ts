import { createRequire } from "node:module";
import type Chardet from "chardet";
import type Iconv from "iconv-lite";

// chardet and iconv-lite (CommonJS) are required with the first file that is not plain UTF-8, not
// when the bot starts: the web console's roster routes import this decoder.
const require = createRequire(import.meta.url);
let iconvModule: typeof Iconv | undefined;
const iconv = () => {
  iconvModule ??= require("iconv-lite") as typeof Iconv;
  return iconvModule;
};
let chardetModule: typeof Chardet | undefined;
const chardet = () => {
  chardetModule ??= require("chardet") as typeof Chardet;
  return chardetModule;
};

/**
 * Decodes a csv as a Chinese Excel or WPS may have saved it: a BOM decides (UTF-8, UTF-16); valid
 * UTF-8 is UTF-8; otherwise chardet's guess among the Chinese encodings (GB18030 — the superset of
 * GBK and GB2312 — or Big5), GB18030 when it has none.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString("utf8"), encoding: "UTF-8 (BOM)" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv().decode(bytes.subarray(2), "utf16le"), encoding: "UTF-16LE" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv().decode(bytes.subarray(2), "utf16be"), encoding: "UTF-16BE" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8" };
  } catch {
    const guess = chardet().detect(bytes.subarray(0, 64 * 1024));
    const encoding = guess === "Big5" ? "Big5" : "GB18030";
    return { text: iconv().decode(bytes, encoding), encoding };
  }
}
