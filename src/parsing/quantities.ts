import type { IndicatorKind } from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import { foldDigits } from "./chinese-number.js";
import { numberStartsAt, scanNumber } from "./number-grammar.js";
import { WAN_LETTERS } from "./unit-words.js";

export type QuantityFailure =
  | "bad_number"
  | "money_without_unit"
  | "negative_count"
  | "not_integer"
  /** "3.1个百分点": a change of a rate, never a rate */
  | "percentage_points";

export type QuantityResult =
  | { ok: true; value: Decimal }
  | { ok: false; reason: QuantityFailure /** Why, in Chinese (without field name). */; detail?: string };

/** A quantity found inside a longer fragment: where it was and what it gave. */
export type FoundQuantity = QuantityResult & { start: number; end: number; text: string };

/** Money unit declared elsewhere (a "（万元）" label, a "单位：万元" line): applies to bare numbers. */
export type MoneyUnit = "元" | "万元" | "亿元";

const WAN = Decimal.of(10_000);
const MONEY_UNIT_YUAN: Readonly<Record<MoneyUnit, Decimal>> = {
  元: Decimal.of(1),
  万元: WAN,
  亿元: Decimal.of(100_000_000),
};

const COUNT_CLASSIFIER = /^\s*(个次|场次|家次|个|次|家|场|项|期|批|户|趟|轮|件|起|所|届)/;
/** People ("培训120人次") are not what a count indicator counts. */
const PEOPLE = /^\s*(人次|人|名|位)/;
const MONEY_SUFFIX = new RegExp(
  `^\\s*(多|余)?\\s*(个)?\\s*(千万|百万|十万|亿|万|千|${WAN_LETTERS})?\\s*(多|余)?\\s*(人民币)?\\s*(美元|美金|港元|港币|欧元|元|块钱|块)?`,
);
const PERCENT_SUFFIX = /^\s*(%|个百分点|百分点)/;
/** "3.1个百分点" is a change of a rate, never a rate. */
const POINTS_SUFFIX = /^\s*个?百分点/;
/** After a number: a date, a time, an ordinal or a part of a code — not a value. */
const NOT_A_VALUE_AFTER = /^\s*(年|月|日|号|时|点|分|秒|季|周|[A-Za-z]|-\d|\/\d)/;
// arrows and emoji too ("同比↓3%", "⬇️3%"): a fall written as a sign must never be stored as a rise
const DECREASE =
  /(下降|减少|降低|回落|下滑|下跌|萎缩|减|降|跌|负增长|负|↓|⬇\uFE0F?|↘\uFE0F?|🔻|▼|📉)了?\s*$/u;
const INCREASE = /(增长|增加|提高|上升|上涨|提升|增|涨|↑|⬆\uFE0F?|↗\uFE0F?|🔺|▲|📈)了?\s*$/u;
const NOTHING = /^(无|暂无|没有|尚无|未开展|零)$/;

interface Literal {
  /** "3,2亿", "5600万万", "1亿20": starts like a number but is none — the number cannot be read safely. */
  malformed?: boolean;
  problem?: string;
  start: number;
  end: number;
  text: string;
  value: Decimal;
  after: string;
  before: string;
  chinese: boolean;
}

/** The number literals of `text`, left to right, by the one grammar (number-grammar.ts). */
function* literals(text: string): Generator<Literal> {
  let i = 0;
  while (i < text.length) {
    if (!numberStartsAt(text, i)) {
      i++;
      continue;
    }
    const tok = scanNumber(text, i)!;
    i = tok.end;
    // the words right before a number (a direction, 百分之, a letter): a bounded window, so that the
    // patterns anchored at its end do not rescan the whole text for every number (linear overall)
    const before = text.slice(Math.max(0, tok.start - 12), tok.start);
    if (tok.value === undefined) {
      // a Chinese word that merely contains numerals ("三五成群", "千万不要") is no attempt at a number;
      // digits with 万 or 亿 are ("五亿三千": ambiguous, asked)
      if (tok.chinese && !/[一二两三四五六七八九][^万亿]*[万亿]/.test(tok.text)) continue;
      yield {
        malformed: true,
        ...(tok.problem ? { problem: tok.problem } : {}),
        start: tok.start,
        end: tok.end,
        text: tok.text,
        value: Decimal.ZERO,
        after: text.slice(tok.end),
        before,
        chinese: false,
      };
      continue;
    }
    // inside an ASCII word or code ("5G", "A1")
    if (/[A-Za-z]$/.test(before)) continue;
    yield {
      start: tok.start,
      end: tok.end,
      text: tok.text,
      value: tok.value,
      after: text.slice(tok.end),
      before,
      chinese: tok.chinese,
    };
  }
}

function malformed(lit: Literal): FoundQuantity {
  return found(lit, 0, {
    ok: false,
    reason: "bad_number",
    detail: /[,。]/.test(lit.text)
      ? `数字“${lit.text}”无法识别，小数点请用“.”，千分位逗号请每三位一个`
      : lit.problem && lit.problem !== "无法识别"
        ? `数字“${lit.text}”无法识别：${lit.problem}`
        : `数字“${lit.text}”无法识别`,
  });
}

function found(lit: Literal, extra: number, result: QuantityResult): FoundQuantity {
  const out = result as FoundQuantity; // each result is a fresh object: extended in place, not copied
  out.start = lit.start;
  out.end = lit.end + extra;
  out.text = extra === 0 ? lit.text : lit.text + lit.after.slice(0, extra);
  return out;
}

/**
 * The first money amount in `text`, in 万元: "3.2亿" → 32000, "32000万元" → 32000, "零点五亿" → 5000,
 * "一千二百万" → 1200, "5000元" → 0.5, "3.2个亿" → 32000. A number with no unit uses `defaultUnit` when one was
 * declared, else fails with money_without_unit (never guessed). Undefined when no number is present.
 */
export function findMoney(text: string, defaultUnit?: MoneyUnit): FoundQuantity | undefined {
  let bare: Literal | undefined;
  for (const lit of literals(text)) {
    if (lit.malformed) return malformed(lit);
    if (PERCENT_SUFFIX.test(lit.after)) continue;
    if (COUNT_CLASSIFIER.test(lit.after) && !/^\s*个\s*[亿万]/.test(lit.after)) continue;
    const m = MONEY_SUFFIX.exec(lit.after)!;
    const [all, , ge, mult, , , currency] = m;
    const hasMagnitude = /[万亿]/.test(lit.text) || mult !== undefined;
    if (ge && !mult) continue; // "3个" is a count
    if (currency && currency !== "元" && currency !== "块钱" && currency !== "块") {
      return found(lit, all.length, {
        ok: false,
        reason: "bad_number",
        detail: `金额应以人民币填报（读到外币“${currency}”）`,
      });
    }
    if (!hasMagnitude && !currency) {
      // zero is zero in every unit ("进出口0", "进出口为零"): no unit to ask for
      // — a zero alone, not "零增长" (a rate) or "0家"
      const zero = lit.value.isZero() && /^\s*(?:$|[，,；;。、）)])/.test(lit.after);
      if ((!lit.chinese || zero) && !NOT_A_VALUE_AFTER.test(lit.after) && !isPhoneLike(lit.text) && !bare)
        bare = lit;
      continue;
    }
    // "1.2w万元": w (万) and 万 together — 1.2万万元 (1.2亿元) or a slip? Asked, never guessed.
    if (mult && /^[wW]/.test(mult) && /^\s*[万亿千百]/.test(lit.after.slice(all.length)))
      return found(lit, all.length + /^\s*[万亿千百]+元?/.exec(lit.after.slice(all.length))![0].length, {
        ok: false,
        reason: "bad_number",
        detail: "w 已表示“万”，后面又写了万或亿，无法确定数值，请写成如 1.2亿元 或 12000万元",
      });
    let yuan = lit.value;
    if (mult) yuan = yuan.times(MAGNITUDE[/^[wW]/.test(mult) ? "万" : mult]!);
    return found(lit, all.trimEnd().length, moneyResult(yuan.div(WAN)));
  }
  if (!bare) return undefined;
  if (bare.value.isZero() && /^\s*(?:$|[，,；;。、）)])/.test(bare.after))
    return found(bare, 0, moneyResult(Decimal.ZERO));
  if (defaultUnit)
    return found(bare, 0, moneyResult(bare.value.times(MONEY_UNIT_YUAN[defaultUnit]).div(WAN)));
  return found(bare, 0, { ok: false, reason: "money_without_unit" });
}

const MAGNITUDE: Readonly<Record<string, Decimal>> = {
  千万: Decimal.of(10_000_000),
  百万: Decimal.of(1_000_000),
  十万: Decimal.of(100_000),
  亿: Decimal.of(100_000_000),
  万: WAN,
  千: Decimal.of(1000),
};

function moneyResult(wan: Decimal): QuantityResult {
  if (wan.isNegative()) return { ok: false, reason: "bad_number", detail: "金额不能为负数" };
  return { ok: true, value: wan };
}

/**
 * The first percentage in `text`, in %: "12.5%", "百分之十二点五", "增长12.5%", "下降3.1%" → -3.1, "-3.1%",
 * "增长-3.1%" → -3.1, "负增长3.1%" → -3.1, "持平", "零增长" → 0. A bare number counts as a percentage (the field says %).
 */
export function findPercent(text: string, declaredPercent = false): FoundQuantity | undefined {
  let bare: Literal | undefined;
  for (const lit of literals(text)) {
    if (lit.malformed) return malformed(lit);
    const percentWords = /百分之\s*$/.test(lit.before);
    const pct = PERCENT_SUFFIX.exec(lit.after);
    if (!pct && !percentWords) {
      if (
        !bare &&
        !lit.chinese &&
        !NOT_A_VALUE_AFTER.test(lit.after) &&
        !COUNT_CLASSIFIER.test(lit.after) &&
        !/^\s*[万亿元]/.test(lit.after) &&
        !/[万亿]/.test(lit.text)
      )
        bare = lit;
      continue;
    }
    if (pct && POINTS_SUFFIX.test(lit.after)) {
      const r = withDirection(lit, pct[0].length);
      return { ...r, ok: false, reason: "percentage_points" } as FoundQuantity;
    }
    return withDirection(lit, pct ? pct[0].length : 0);
  }
  if (bare) return declaredPercent ? withDirection(bare, 0) : fractionAsked(withDirection(bare, 0));
  const flat = /持平|零增长/.exec(text);
  if (flat)
    return {
      ok: true,
      value: Decimal.ZERO,
      start: flat.index,
      end: flat.index + flat[0].length,
      text: flat[0],
    };
  return undefined;
}

/**
 * A rate written without % and below 1 in size ("同比增长0.125", a cell "-0.03"): 12.5 % as a fraction, or
 * 0.125 %? Asked, never guessed (a rate with % or 百分之, or of 1 and more, is what it says).
 */
function fractionAsked(q: FoundQuantity): FoundQuantity {
  if (!q.ok || q.value.isZero() || q.value.abs().gte(Decimal.of(1))) return q;
  const asPct = q.value.times(Decimal.of(100)).toString();
  return {
    ...q,
    ok: false,
    reason: "bad_number",
    detail: `“${q.text}”没有百分号，是指 ${asPct}% 还是 ${q.value.toString()}%？请写明百分号`,
  } as FoundQuantity;
}

function withDirection(lit: Literal, extra: number): FoundQuantity {
  const words = /百分之\s*$/.exec(lit.before);
  const before = words ? lit.before.slice(0, words.index) : lit.before;
  const down = DECREASE.exec(before);
  let value = lit.value;
  if (down && !value.isNegative()) value = value.neg();
  const result = found(lit, extra, { ok: true, value });
  if (words) {
    result.start -= words[0].length;
    result.text = `${words[0]}${result.text}`;
  }
  const word = down ?? INCREASE.exec(before);
  if (word) {
    result.start -= word[0].length;
    result.text = `${word[0]}${result.text}`;
  }
  // "下降-3%": a decrease written with a minus too — −3 % or a double negative? Asked, never guessed.
  if (down && lit.value.isNegative())
    return {
      ...result,
      ok: false,
      reason: "bad_number",
      detail: "“下降”与负号同时出现，无法确定是增是减，请写 下降3% 或 -3%",
    } as FoundQuantity;
  return result;
}

/**
 * The first count in `text`: "3个", "4次", "1家", "2场", "十五", "两个", "无" → 0. Prefers a number with a
 * classifier; a bare Arabic number is taken next; a Chinese numeral only with a classifier or as the whole text.
 * Fractions fail with not_integer, negatives with negative_count.
 */
export function findCount(text: string): FoundQuantity | undefined {
  const trimmed = text.replace(/^[\s：]+|[\s。.；;，,]+$/g, "");
  if (NOTHING.test(trimmed))
    return { ok: true, value: Decimal.ZERO, start: 0, end: text.length, text: trimmed };
  let bare: Literal | undefined;
  for (const lit of literals(text)) {
    if (lit.malformed) return malformed(lit);
    if (PEOPLE.test(lit.after)) continue;
    const cls = COUNT_CLASSIFIER.exec(lit.after);
    if (cls) return found(lit, cls[0].length, countResult(lit.value));
    const wholeText = lit.text === trimmed;
    if (
      !bare &&
      (!lit.chinese || wholeText) &&
      !/[万亿]/.test(lit.text) &&
      !NOT_A_VALUE_AFTER.test(lit.after) &&
      !PERCENT_SUFFIX.test(lit.after) &&
      !/^\s*[万亿元]/.test(lit.after) &&
      !isPhoneLike(lit.text)
    )
      bare = lit;
  }
  return bare ? found(bare, 0, countResult(bare.value)) : undefined;
}

function countResult(value: Decimal): QuantityResult {
  if (value.isNegative()) return { ok: false, reason: "negative_count" };
  if (!value.isInteger()) return { ok: false, reason: "not_integer" };
  return { ok: true, value };
}

/** A mobile number (1xx xxxx xxxx) or a landline with area code typed without the dash. */
function isPhoneLike(literal: string): boolean {
  return /^1[3-9]\d{9}$/.test(literal) || /^0\d{9,11}$/.test(literal);
}

/**
 * The first quantity of the indicator's kind in `text` (text indicators have none). `declared`: the unit a
 * label or header gives the value ("（万元）" for money; "（%）" for a rate, so a bare 0.5 is 0.5 %).
 */
export function findQuantity(
  kind: IndicatorKind,
  text: string,
  declared?: MoneyUnit | "%",
): FoundQuantity | undefined {
  if (kind === "money") return findMoney(text, declared === "%" ? undefined : declared);
  if (kind === "percent") return findPercent(text, declared === "%");
  if (kind === "count") return findCount(text);
  return undefined;
}

/** What a money label or "单位：…" line declares: "（万元）" → 万元; nothing for a unit of OTHER_UNIT. */
export function declaredMoneyUnit(text: string): MoneyUnit | undefined {
  if (otherMoneyUnit(text)) return undefined;
  const m = /(亿元|万元|元)/.exec(text);
  return m ? (m[1] as MoneyUnit) : undefined;
}

/**
 * A declared unit the reader cannot take as 元, 万元 or 亿元: a foreign currency ("万美元" — its 元 is not
 * the yuan) or a scaled yuan ("千元", "百万元", "千万元", "十万元"). Found by an adversarial review:
 * "进出口（万美元）：800" was stored as 0.08 万元, "（千元）：56000" as 5.6 and "（百万元）：56" as 56. The
 * figures under such a unit are asked about (the field's figure has no unit it can be read in).
 */
export function otherMoneyUnit(text: string): string | undefined {
  return OTHER_UNIT.exec(text)?.[0];
}
const OTHER_UNIT =
  /[千百十](?:万)?元|(?:万|亿)?(?:美元|美金|日元|欧元|港元|港币|英镑|韩元|卢布|澳元|加元|新台币)|US\$|\$|USD/;

/** A plain decimal cell ("32000", "12.5"): the common case of tables, read without the scanners. */
const PLAIN = /^\d{1,9}(?:\.\d{1,12})?$/;

/** A whole string that must be exactly one quantity of the kind ("3.2亿元", "下降3.1%", "3个"). */
function whole(kind: IndicatorKind, text: string, declared?: MoneyUnit | "%"): QuantityResult {
  const defaultUnit = declared === "%" ? undefined : declared;
  const plain = text.trim();
  // same results as the general path below (a bare number: the declared unit, a rate, a count)
  if (PLAIN.test(plain) && kind !== "text") {
    const v = Decimal.parse(plain);
    if (kind === "count") return countResult(v);
    if (kind === "percent") {
      if (declared === "%") return { ok: true, value: v };
      const q = fractionAsked({ ok: true, value: v, start: 0, end: plain.length, text: plain });
      return q.ok
        ? { ok: true, value: v }
        : { ok: false, reason: "bad_number", ...(q.detail ? { detail: q.detail } : {}) };
    }
    if (v.isZero()) return moneyResult(Decimal.ZERO); // zero in every unit
    if (!defaultUnit) return { ok: false, reason: "money_without_unit" };
    return moneyResult(v.times(MONEY_UNIT_YUAN[defaultUnit]).div(WAN));
  }
  const t = foldDigits(text).replace(/\s+/g, " ").trim();
  const q = findQuantity(kind, t, declared);
  if (!q) return { ok: false, reason: "bad_number" };
  const rest = `${t.slice(0, q.start)}${t.slice(q.end)}`.replace(
    /^(同比|累计|约|共|共计|合计|为|达|达到|完成)/,
    "",
  );
  if (rest.replace(/[\s%。，,；]/g, "") !== "") return { ok: false, reason: "bad_number" };
  const { start: _s, end: _e, text: _t, ...result } = q;
  return result;
}

/** Money → 万元 (see findMoney); the whole text must be the amount. */
export function parseMoney(text: string, defaultUnit?: MoneyUnit): QuantityResult {
  return whole("money", text, defaultUnit);
}
/** Percentage → % (see findPercent); the whole text must be the rate. */
export function parsePercent(text: string, declaredPercent = false): QuantityResult {
  return whole("percent", text, declaredPercent ? "%" : undefined);
}
/** Count → non-negative integer (see findCount); the whole text must be the count. */
export function parseCount(text: string): QuantityResult {
  return whole("count", text);
}
