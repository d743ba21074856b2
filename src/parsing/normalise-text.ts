import * as OpenCC from "opencc-js/t2cn";

const twToCn = OpenCC.Converter({ from: "tw", to: "cn" });
const hkToCn = OpenCC.Converter({ from: "hk", to: "cn" });
/** Plain OpenCC Traditional → Simplified: ~5× faster; used to detect whether a text has Traditional at all. */
const tToCn = OpenCC.Converter({ from: "t", to: "cn" });

/** Simplified text (almost every message) passes the cheap check; Traditional gets the Taiwan and Hong Kong tables. */
function toSimplified(s: string): string {
  return tToCn(s) === s ? s : hkToCn(twToCn(s));
}

/** Full-width punctuation kept as the Chinese form (one canonical character each). */
const CANONICAL_PUNCT: Readonly<Record<string, string>> = {
  ":": "：",
  "：": "：",
  "︰": "：",
  ";": "；",
  "；": "；",
  "，": "，",
  "﹐": "，",
  "、": "、",
  "﹑": "、",
  "。": "。",
  "｡": "。",
};

/** Dashes and minus signs → "-"; tildes → "~". */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const TILDES = /[\u301C\uFF5E\u223C]/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
/** Pinyin gloss after a Han character: "(wù)", "(qū)", "(jì)", also "(wu4)". Needs a tone mark or digit. */
const GLOSS =
  /(?<=[\u3400-\u9FFF])\s?\((?=[a-zü]*(?:[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]|[a-zü][1-5]\)))[a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]{1,6}[1-5]?\)/g;

/**
 * Canonical text for parsing: Traditional → Simplified (OpenCC, Taiwan and Hong Kong forms), full-width ASCII →
 * half-width (digits, letters, ％, （）, ．), colons/semicolons to ： and ；, Chinese ， 、 。 kept, the
 * half-width comma kept (it may be a thousands separator), dashes → "-", pinyin glosses removed
 * ("商務(wù)" → "商务"), CRLF → LF, runs of spaces/tabs collapsed to one space, each line trimmed, more than
 * one blank line in a row collapsed to one. Line structure is kept (sections and text fields depend on it).
 */
export function normaliseText(text: string): string {
  let s = text.replace(/\r\n?/g, "\n").replace(ZERO_WIDTH, "");
  s = foldWidth(s).replace(GLOSS, "");
  s = toSimplified(s);
  return s
    .split("\n")
    .map((line) => line.replace(/[ \t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const FOLDABLE = /[\uFF01-\uFF5E\u3000:;︰﹐﹑｡]/g;

/** Full-width → half-width (ASCII range), except the Chinese punctuation kept in canonical form. */
export function foldWidth(s: string): string {
  return s
    .replace(FOLDABLE, (ch) => {
      const canonical = CANONICAL_PUNCT[ch];
      if (canonical !== undefined) return canonical;
      const code = ch.charCodeAt(0);
      return code === 0x3000 ? " " : String.fromCharCode(code - 0xfee0);
    })
    .replace(DASHES, "-")
    .replace(TILDES, "~");
}
