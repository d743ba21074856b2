import { Decimal } from "../domain/decimal.js";

// The ONE number grammar of the product: chat text, pasted tables, spreadsheet cells and roster imports all
// read numbers through scanNumber/readNumber. Longest match, linear in the input (a literal is at most
// MAX_LITERAL characters; longer runs are malformed, never re-scanned).

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const SMALL: Readonly<Record<string, bigint>> = {
  十: 10n,
  拾: 10n,
  百: 100n,
  佰: 100n,
  千: 1000n,
  仟: 1000n,
};
const BIG: Readonly<Record<string, bigint>> = {
  万: 10_000n,
  萬: 10_000n,
  亿: 100_000_000n,
  億: 100_000_000n,
};

/** The longest literal a person types; a longer run of number characters is malformed. */
export const MAX_LITERAL = 40;

export interface NumberToken {
  start: number;
  end: number;
  text: string;
  /** Undefined when the run looks like a number but is none ("3,2", "5600万万", "1亿20"): ask, never guess. */
  value?: Decimal;
  /** Why the run is no number (Chinese, for the user). */
  problem?: string;
  /** Only Chinese numerals (no Arabic digit). */
  chinese: boolean;
  /** Contains 万 or 亿 (a magnitude is part of the number). */
  magnitude: boolean;
  /** The place value of the last written digit (for rounding tolerance): "3.2亿" → 10 000 000. */
  ulp: Decimal;
}

const isAsciiDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isFullDigit = (c: string | undefined) => c !== undefined && c >= "０" && c <= "９";
/** Full-width digits and the full-width point ("３．２") fold to ASCII before evaluation. */
const foldDigit = (c: string) =>
  isFullDigit(c) ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : c === "．" ? "." : c;

// The character classes of the grammar as a table by UTF-16 code (the scanners look at every character).
const ASCII_DIGIT = 1;
const FULL_DIGIT = 2;
/** A Chinese digit or 十百千 (CN_DIGIT, SMALL). */
const CN = 4;
/** 万 or 亿 (BIG). */
const MAGNITUDE = 8;
/** A Chinese digit only (CN_DIGIT). */
const CN_DIGIT_ONLY = 16;
const DIGIT = ASCII_DIGIT | FULL_DIGIT;
const CLASS = new Uint8Array(0x10000);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = ASCII_DIGIT;
for (let c = 0xff10; c <= 0xff19; c++) CLASS[c] = FULL_DIGIT;
for (const ch of Object.keys(CN_DIGIT)) CLASS[ch.charCodeAt(0)] = CN | CN_DIGIT_ONLY;
for (const ch of Object.keys(SMALL)) CLASS[ch.charCodeAt(0)] = CN;
for (const ch of Object.keys(BIG)) CLASS[ch.charCodeAt(0)] = MAGNITUDE;
/** The class of s[i] (0 outside the string). */
const classAt = (s: string, i: number) => (i >= 0 && i < s.length ? CLASS[s.charCodeAt(i)]! : 0);

const MINUS = 0x2d; // -
const PLUS = 0x2b; // +
const FULL_MINUS = 0xff0d; // －
const FULL_PLUS = 0xff0b; // ＋
const FU = 0x8d1f; // 负
const POINT = 0x2e; // .
const FULL_POINT = 0xff0e; // ．
const DIAN = 0x70b9; // 点
const COMMA = 0x2c; // ,
const IDEO_STOP = 0x3002; // 。

/** Can a number literal start at s[i]? (digit, Chinese numeral, or a sign/负 followed by one). */
export function numberStartsAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (CLASS[c]! & (DIGIT | CN)) return true;
  if (c === MINUS || c === PLUS || c === FULL_MINUS || c === FULL_PLUS || c === FU) {
    const n = classAt(s, i + 1);
    return (n & DIGIT) !== 0 || (c === FU && (n & CN) !== 0);
  }
  return false;
}

/**
 * The number literal starting at `i` (longest match): Arabic ("1,234.5", "１５"), Chinese ("四千五百万",
 * "零点五", "二〇二三") and mixed magnitude chains ("7亿8千万", "1亿零3百万", "2亿3,400万", "1.2千万",
 * "3亿5" = 3.5亿, "一万二" = 12 000), with an optional sign (-, +, 负). Magnitude characters (万, 亿) are part
 * of the literal; units (元, %, 个) are not. A trailing "点" is not taken (a clock time or a word).
 */
export function scanNumber(s: string, i: number): NumberToken | undefined {
  if (!numberStartsAt(s, i)) return undefined;
  let j = i;
  let sign = "";
  const c0 = s.charCodeAt(j);
  if (c0 === MINUS || c0 === FULL_MINUS || c0 === FU) {
    sign = "-";
    j++;
  } else if (c0 === PLUS || c0 === FULL_PLUS) j++;
  const bodyStart = j;
  // what the run holds, for the checks below (Chinese, magnitude, folding, the plain-decimal shortcut)
  let seen = 0;
  let points = 0;
  let other = false; // a comma, 。 or 点
  // the run: digits, Chinese numerals, magnitudes, a decimal point between digits, a thousands comma
  // between digits; stops at anything else (and never runs past MAX_LITERAL + 1)
  while (j < s.length && j - bodyStart <= MAX_LITERAL) {
    const c = s.charCodeAt(j);
    const k = CLASS[c]!;
    if (k & (DIGIT | CN | MAGNITUDE)) {
      seen |= k;
      j++;
      continue;
    }
    if ((c === POINT || c === FULL_POINT || c === DIAN) && j > bodyStart) {
      const n = classAt(s, j + 1);
      const digitNext = c === DIAN ? (n & CN_DIGIT_ONLY) !== 0 : (n & DIGIT) !== 0;
      if (digitNext && !(c === DIAN && classAt(s, j - 1) & DIGIT)) {
        if (c === DIAN) other = true;
        else points++;
        if (c === FULL_POINT) seen |= FULL_DIGIT; // folded with the full-width digits
        j++;
      } else break;
      continue;
    }
    if ((c === COMMA || c === IDEO_STOP) && classAt(s, j - 1) & DIGIT && classAt(s, j + 1) & DIGIT) {
      other = true;
      j++;
      continue;
    }
    break;
  }
  // a bare magnitude ("万", "亿元") or a trailing magnitude after nothing is no number start
  let text = s.slice(bodyStart, j);
  if (text.length === 0) return undefined;
  const tooLong = text.length > MAX_LITERAL;
  const full = s.slice(i, j);
  const chinese = (seen & DIGIT) === 0;
  const magnitude = (seen & MAGNITUDE) !== 0;
  if (tooLong) return { start: i, end: j, text: full, problem: "数字过长", chinese, magnitude, ulp: ONE };
  if (seen & FULL_DIGIT) text = [...text].map(foldDigit).join("");
  let r: Eval;
  if (!other && points <= 1 && (seen & (CN | MAGNITUDE)) === 0) {
    // a plain decimal ("3.2", "32000"): what evaluate gives for it, without splitting it into parts
    const dot = text.indexOf(".");
    r = { value: Decimal.parse(text), ulp: pow10(dot < 0 ? 0 : text.length - dot - 1) };
  } else {
    if (text.includes("。")) {
      return { start: i, end: j, text: full, problem: "小数点请用“.”", chinese, magnitude, ulp: ONE };
    }
    r = evaluate(text);
  }
  if ("problem" in r)
    return { start: i, end: j, text: full, problem: r.problem, chinese, magnitude, ulp: ONE };
  const value = sign === "-" && !r.value.isZero() ? r.value.neg() : r.value;
  return { start: i, end: j, text: full, value, chinese, magnitude, ulp: r.ulp };
}

/** A whole string that must be exactly one number (spreadsheet cells, roster values, period parts). */
export function readNumber(input: string): Decimal | undefined {
  const s = input.trim();
  const t = scanNumber(s, 0);
  return t && t.end === s.length ? t.value : undefined;
}

type Part =
  | { t: "num"; v: Decimal; cn: boolean; zero: boolean; text: string; frac: number }
  | { t: "small"; u: bigint }
  | { t: "big"; u: bigint };

type Eval = { value: Decimal; ulp: Decimal } | { problem: string };

function split(text: string): Part[] | string {
  const parts: Part[] = [];
  let k = 0;
  while (k < text.length) {
    const c = text[k]!;
    if (isAsciiDigit(c)) {
      const m = /^\d+(?:,\d{3})*(?:\.\d+)?/.exec(text.slice(k))!;
      const lit = m[0];
      if (lit.includes(",") && !/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(lit)) return "千分位逗号应每三位一个";
      const plain = lit.replaceAll(",", "");
      const dot = plain.indexOf(".");
      parts.push({
        t: "num",
        v: Decimal.parse(plain),
        cn: false,
        zero: false,
        text: plain,
        frac: dot < 0 ? 0 : plain.length - dot - 1,
      });
      k += lit.length;
      if (text[k] === ",") return "千分位逗号应每三位一个";
      continue;
    }
    if (c === ",") return "千分位逗号应每三位一个";
    const d = CN_DIGIT[c];
    if (d !== undefined) {
      // Chinese decimals: 零点五, 三点一四 (digits after 点 are read one by one)
      if (text[k + 1] === "点") {
        let e = k + 2;
        let frac = "";
        while (e < text.length && CN_DIGIT[text[e]!] !== undefined) frac += String(CN_DIGIT[text[e++]!]);
        parts.push({
          t: "num",
          v: Decimal.parse(`${d}.${frac}`),
          cn: true,
          zero: false,
          text: `${d}.${frac}`,
          frac: frac.length,
        });
        k = e;
        continue;
      }
      parts.push({ t: "num", v: Decimal.of(d), cn: true, zero: d === 0, text: String(d), frac: 0 });
    } else if (SMALL[c] !== undefined) parts.push({ t: "small", u: SMALL[c]! });
    else if (BIG[c] !== undefined) parts.push({ t: "big", u: BIG[c]! });
    else if (c === "点") return "小数点后应有数字";
    else return "无法识别";
    k++;
  }
  return parts;
}

const TEN = Decimal.of(10);
const ONE = Decimal.of(1);
/** 10^-n at the scale of Decimal, remembered per n (decimals are immutable). */
const POW10: Decimal[] = [];
function pow10(n: number): Decimal {
  const known = POW10[n];
  if (known) return known;
  let d = Decimal.of(1);
  for (let k = 0; k < n; k++) d = d.div(TEN);
  if (n <= MAX_LITERAL) POW10[n] = d;
  return d;
}

/** Evaluates the parts of one literal with the usual rules of Chinese numerals, strictly. */
function evaluate(text: string): Eval {
  const parts = split(text);
  if (typeof parts === "string") return { problem: parts };
  if (parts.length === 0) return { problem: "无法识别" };
  // "二〇二三", "一九": Chinese digits read one by one (years, codes); "三五" (three or five) is no number
  if (parts.every((p) => p.t === "num" && p.cn)) {
    if (parts.length === 1) {
      const only = parts[0] as { v: Decimal; frac: number };
      return { value: only.v, ulp: pow10(only.frac) };
    }
    if (parts.length < 3 && !parts.some((p) => p.t === "num" && p.zero)) return { problem: "无法识别" };
    if (parts.some((p) => p.t === "num" && p.text.includes("."))) return { problem: "无法识别" };
    return {
      value: Decimal.parse(parts.map((p) => (p as { text: string }).text).join("")),
      ulp: Decimal.of(1),
    };
  }
  let total = Decimal.ZERO; // completed 亿 groups
  let wan = Decimal.ZERO; // completed 万 group within the current 亿 group
  let section = Decimal.ZERO; // below 万
  let current: Decimal | undefined;
  let currentPart: Extract<Part, { t: "num" }> | undefined;
  let lastSmall = 100_000n; // small units within a section must decrease
  let seenWan = false;
  let seenYi = false;
  let lastUnit = 1n; // magnitude of the unit just written, for "一万二" / "3亿5"
  let zeroGap = false; // a 零 was written since the last unit: "一百零五"
  // since the last 万/亿: a small unit (千, 百, 十) and a 零 — "五亿三千" (no 万, no 零) is ambiguous
  let smallSinceBig = false;
  let zeroSinceBig = false;
  let ulp = Decimal.of(1);
  // a decimal before 万 or 亿 ends the number: "1.2亿3400万" is 1.2亿 + 3400万 = 1.54亿 only if one adds up
  // (or a typo of 1.234亿?) — asked, never summed
  let fracBig = false;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    // (万亿 is one magnitude: "1.5万亿")
    if (fracBig && !(p.t === "big" && parts[k - 1]?.t === "big"))
      return { problem: `“${text}”小数后不能再接数位，请写成一个数，例如 1.234亿 或 12340万` };
    if (p.t === "num") {
      if (current !== undefined) return { problem: "无法识别" }; // "三五百", "3 5"
      if (p.zero && k > 0) {
        zeroGap = true;
        zeroSinceBig = true;
        continue;
      }
      current = p.v;
      currentPart = p;
      continue;
    }
    if (p.t === "small") {
      if (current === undefined) {
        if (p.u !== 10n || k > 0) return { problem: "无法识别" }; // "百", "万百"; "十五" is fine
        current = Decimal.of(1);
      }
      if (p.u >= lastSmall) return { problem: "数位顺序有误" };
      if (currentPart && !currentPart.cn && !current.isInteger() && p.u !== 1000n) {
        // "1.5百" is unusual but exact; allowed
      }
      section = section.plus(current.times(Decimal.of(p.u)));
      ulp = pow10(currentPart?.frac ?? 0).times(Decimal.of(p.u));
      current = undefined;
      currentPart = undefined;
      lastSmall = p.u;
      lastUnit = p.u;
      zeroGap = false;
      smallSinceBig = true;
      continue;
    }
    // 万 or 亿
    const pending = section.plus(current ?? Decimal.ZERO);
    const fracHere = currentPart?.frac ?? 0;
    if (fracHere > 0) fracBig = true;
    if (p.u === 10_000n) {
      if (seenWan) return { problem: "数位顺序有误" }; // "3万5万"
      if (pending.isZero() && current === undefined) return { problem: "无法识别" }; // bare 万
      wan = pending.times(10_000);
      ulp = (current !== undefined ? pow10(fracHere) : ulp).times(10_000);
      seenWan = true;
    } else {
      if (seenYi && !(seenWan === true && pending.isZero() && current === undefined))
        return { problem: "数位顺序有误" };
      if (pending.isZero() && current === undefined && wan.isZero()) return { problem: "无法识别" };
      if (seenWan && pending.isZero() && current === undefined && parts[k - 1]?.t === "big") {
        // 万亿: a trillion
        total = total.plus(wan).times(100_000_000);
        ulp = ulp.times(100_000_000);
      } else {
        if (seenWan) return { problem: "数位顺序有误" }; // "3万5亿"
        total = total.plus(pending).times(100_000_000);
        ulp = (current !== undefined ? pow10(fracHere) : ulp).times(100_000_000);
      }
      wan = Decimal.ZERO;
      seenWan = false;
      seenYi = true;
    }
    section = Decimal.ZERO;
    current = undefined;
    currentPart = undefined;
    lastSmall = 100_000n;
    lastUnit = p.u;
    zeroGap = false;
    smallSinceBig = false;
    zeroSinceBig = false;
  }
  // "五亿三千", "3亿2千": said aloud these mean 5亿3千万 — read literally they are 5亿 and 3 000 元. Neither
  // reading is certain, so it is asked (with 万 or 零 it is not: "5亿3千万", "1亿零500").
  if (seenYi && !seenWan && smallSinceBig && !zeroSinceBig)
    return { problem: `“${text}”末尾的数位不明确，请写完整（如5亿3千万）` };
  if (current !== undefined) {
    const last = currentPart!;
    if (lastUnit > 1n && !zeroGap) {
      // shorthand: "一万二" = 12 000, "两千五" = 2 500, "3亿5" = 3.5亿 — one digit only; "1亿20" is ambiguous
      // "3千500", "1万2000": exactly the digits the unit leaves are a plain continuation
      const places = lastUnit.toString().length - 1;
      if (last.cn && last.frac > 0 && lastUnit === 10n) {
        // "十二点五" = 12.5
        section = section.plus(current);
        ulp = pow10(last.frac);
      } else if (!last.cn && last.frac === 0 && last.text.length === places && lastUnit <= 10_000n) {
        section = section.plus(current);
        ulp = Decimal.of(1);
      } else if (last.text.length !== 1 || last.frac !== 0) {
        return { problem: `“${text}”末尾的数位不明确，请写完整（如1亿2000万）` };
      } else {
        const place = lastUnit / 10n;
        section = section.plus(current.times(place.toString()));
        ulp = Decimal.of(place.toString());
      }
    } else {
      section = section.plus(current);
      ulp = lastUnit > 1n ? Decimal.of(1) : pow10(last.frac);
    }
  }
  return { value: total.plus(wan).plus(section), ulp };
}
