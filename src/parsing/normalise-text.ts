import * as OpenCC from "opencc-js/t2cn";

const twToCn = OpenCC.Converter({ from: "tw", to: "cn" });
const hkToCn = OpenCC.Converter({ from: "hk", to: "cn" });
/** Plain OpenCC Traditional → Simplified: ~5× faster; used to detect whether a text has Traditional at all. */
const tToCn = OpenCC.Converter({ from: "t", to: "cn" });

/**
 * Characters whose presence may make tToCn change a text: for each entry of its dictionaries that changes
 * something, the characters where source and replacement differ (all of the source when the lengths
 * differ). A text with none of them is left as it is by tToCn (every dictionary match in it is an identity),
 * so the check is exact and costs one table look-up per character instead of a trie walk and a copy.
 */
const MAY_CHANGE = (() => {
  const bmp = new Uint8Array(0x10000);
  const astral = new Set<number>();
  const mark = (c: string) => {
    const cp = c.codePointAt(0)!;
    if (cp < 0x10000) bmp[cp] = 1;
    else astral.add(cp);
  };
  // Locale.to.cn: dictionary groups of dictionaries, each "from to|from to|…" or [from, to] pairs
  const entries = (d: unknown): [string, string][] => {
    if (typeof d === "string") return d.split("|").map((e) => e.split(" ") as [string, string]);
    if (!Array.isArray(d)) return [];
    if (d.length === 2 && typeof d[0] === "string" && typeof d[1] === "string" && !d[0].includes(" "))
      return [d as [string, string]];
    return d.flatMap(entries);
  };
  for (const [from, to] of entries(OpenCC.Locale.to.cn)) {
    if (from === to || to === undefined) continue;
    const a = [...from];
    const b = [...to];
    if (a.length !== b.length) for (const c of a) mark(c);
    else
      a.forEach((c, i) => {
        if (c !== b[i]) mark(c);
      });
  }
  return { bmp, astral };
})();

/** False only when OpenCC's Traditional → Simplified conversion leaves `s` as it is (see MAY_CHANGE). */
export function mayChange(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x3400) continue; // ASCII, punctuation, kana: no dictionary entry changes them
    if (c >= 0xd800 && c <= 0xdbff) {
      if (MAY_CHANGE.astral.has(s.codePointAt(i)!)) return true;
      i++;
    } else if (MAY_CHANGE.bmp[c]) return true;
  }
  return false;
}

/** Simplified text (almost every message) passes the cheap check; Traditional gets the Taiwan and Hong Kong tables. */
function toSimplified(s: string): string {
  if (!mayChange(s)) return s;
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
  if (PLAIN_CELL.test(text)) return text; // a table cell "32000", "12.5%", "1,000": nothing to normalise
  let s = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  s = foldWidth(s.replace(ZERO_WIDTH, ""));
  if (s.includes("(")) s = s.replace(GLOSS, ""); // a gloss needs a bracket
  s = toSimplified(s);
  return s
    .split("\n")
    .map((line) => line.replace(/[ \t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const PLAIN_CELL = /^[0-9A-Za-z.,%+\-()/#]*$/;

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
