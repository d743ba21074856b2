import { Decimal } from "../domain/decimal.js";

const DIGITS: Readonly<Record<string, number>> = {
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
const SMALL_UNITS: Readonly<Record<string, bigint>> = {
  十: 10n,
  拾: 10n,
  百: 100n,
  佰: 100n,
  千: 1000n,
  仟: 1000n,
};
const BIG_UNITS: Readonly<Record<string, bigint>> = {
  万: 10_000n,
  萬: 10_000n,
  亿: 100_000_000n,
  億: 100_000_000n,
};

/** Every character that can be part of a number literal read by parseChineseNumber. */
export const NUMBER_CHARS = "0123456789.,零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億点";
const CN_DIGIT_CHARS = "零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖";

/** The longest literal accepted; longer strings are not numbers a person types. */
const MAX_LENGTH = 40;

type Token =
  | { t: "num"; v: Decimal; cn: boolean; zero: boolean }
  | { t: "point" }
  | { t: "small"; u: bigint }
  | { t: "big"; u: bigint };

/**
 * Reads a number written with Arabic digits, Chinese numerals or both: "15", "１５", "十五", "两", "一千二百万"
 * (= 12 000 000), "零点五", "二〇二三", "3.2亿" (= 320 000 000), "32000万", "1,234.5", "一万二" (= 12 000),
 * "负3.1". Returns undefined for anything that is not exactly one number. Magnitude characters (万, 亿) multiply;
 * units such as 元 or % are not part of the number.
 */
export function parseChineseNumber(input: string): Decimal | undefined {
  let s = foldDigits(input).trim();
  if (s.length === 0 || s.length > MAX_LENGTH) return undefined;
  let negative = false;
  if (s[0] === "-" || s[0] === "+" || s[0] === "负") {
    negative = s[0] !== "+";
    s = s.slice(1).trim();
  }
  const value = parseUnsigned(s);
  if (!value) return undefined;
  return negative && !value.isZero() ? value.neg() : value;
}

function parseUnsigned(s: string): Decimal | undefined {
  if (/^\d+(?:\.\d+)?$/.test(s)) return Decimal.parse(s);
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) return Decimal.parse(s.replaceAll(",", ""));
  const tokens = tokenize(s);
  if (!tokens || tokens.length === 0) return undefined;
  if (tokens.length > 1 && tokens.every((t) => t.t === "num" && t.cn)) {
    // "二〇二三": digits read one by one; "三五" (= "three or five") is no number
    if (tokens.length < 3 && !tokens.some((t) => t.t === "num" && t.zero)) return undefined;
    return Decimal.parse(tokens.map((t) => (t.t === "num" ? t.v.toString() : "")).join(""));
  }
  return evaluate(tokens);
}

function tokenize(s: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const arabic = /^\d+(?:,\d{3})*(?:\.\d+)?/.exec(s.slice(i));
    if (arabic) {
      const text = arabic[0];
      if (/,/.test(text) && !/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) return undefined;
      tokens.push({ t: "num", v: Decimal.parse(text.replaceAll(",", "")), cn: false, zero: false });
      i += text.length;
      continue;
    }
    const digit = DIGITS[ch];
    if (digit !== undefined) tokens.push({ t: "num", v: Decimal.of(digit), cn: true, zero: digit === 0 });
    else if (ch === "点" || ch === ".") tokens.push({ t: "point" });
    else if (SMALL_UNITS[ch] !== undefined) tokens.push({ t: "small", u: SMALL_UNITS[ch]! });
    else if (BIG_UNITS[ch] !== undefined) tokens.push({ t: "big", u: BIG_UNITS[ch]! });
    else return undefined;
    i += 1;
  }
  return tokens;
}

function evaluate(tokens: Token[]): Decimal | undefined {
  let total = Decimal.ZERO;
  let section = Decimal.ZERO;
  let current: Decimal | undefined;
  let seenUnit = false;
  let lastUnit = 0n; // magnitude of the unit just before `current`, for "一万二" / "两千五"
  let shorthandOk = false;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.t === "num") {
      if (current !== undefined) return undefined; // "三五百"
      if (tok.zero && seenUnit) {
        lastUnit = 0n; // "一百零五": 零 only separates
        shorthandOk = false;
        continue;
      }
      current = tok.v;
      shorthandOk = tok.cn && lastUnit >= 10n;
    } else if (tok.t === "point") {
      let frac = "";
      while (k + 1 < tokens.length) {
        const next = tokens[k + 1]!;
        if (next.t !== "num") break;
        const digits = next.v.toString();
        if (!/^\d+$/.test(digits) || (next.cn && digits.length !== 1)) return undefined;
        frac += digits;
        k += 1;
      }
      if (frac === "") return undefined;
      const whole = current ?? Decimal.ZERO;
      if (!whole.isInteger()) return undefined;
      current = Decimal.parse(`${whole.toString()}.${frac}`);
      shorthandOk = false;
    } else if (tok.t === "small") {
      if (current === undefined) {
        if (tok.u !== 10n) return undefined; // "百" alone is no number; "十五" is
        current = Decimal.of(1);
      }
      section = section.plus(current.times(tok.u.toString()));
      current = undefined;
      seenUnit = true;
      lastUnit = tok.u;
    } else {
      if (current === undefined && section.isZero()) {
        // bare "万", or "万万"; only "万亿" (a trillion) may follow another magnitude directly
        const prev = tokens[k - 1];
        if (!(prev?.t === "big" && prev.u === 10_000n && tok.u === 100_000_000n)) return undefined;
      }
      section = section.plus(current ?? Decimal.ZERO);
      total =
        tok.u === 100_000_000n
          ? total.plus(section).times(tok.u.toString())
          : total.plus(section.times(tok.u.toString()));
      section = Decimal.ZERO;
      current = undefined;
      seenUnit = true;
      lastUnit = tok.u;
    }
  }
  if (current !== undefined) {
    const last = tokens[tokens.length - 1]!;
    const shorthand = shorthandOk && last.t === "num" && last.cn && lastUnit >= 10n;
    section = section.plus(shorthand ? current.times((lastUnit / 10n).toString()) : current);
  }
  return total.plus(section);
}

/** Full-width digits and signs to ASCII; leaves everything else alone. */
export function foldDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF0B\uFF0D\uFF0E\uFF0C]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** True when `ch` is a Chinese numeral digit (not a unit). */
export function isChineseDigit(ch: string): boolean {
  return CN_DIGIT_CHARS.includes(ch);
}
