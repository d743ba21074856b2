import type { IndicatorDef } from "../programme/programme.js";
import { figureDoubt, scopeDoubt } from "./figure-scope.js";

/**
 * Figures a careful reader would not take as written: the number the grammar found is only part of
 * what the sender wrote, or not a figure at all. Each answer is the Chinese reason of a question
 * (a bad_number issue naming the field); nothing of it is stored.
 *  - a range: "3至5个", "两到三次", "3-5个", "1-1.2亿元";
 *  - a broken number: digits before it split off by a comma or a space — "8，600万元", "32 000万元" (a
 *    thousands separator in a sentence, which the grammar cannot tell from a list comma);
 *  - a bound or an estimate that is no figure: "超过1亿", "不到1亿", "至少3家", "1亿元以上", "10余次",
 *    "20多次", "2亿多元". (约/左右 mark a rounded figure and are read.)
 *  - a correction inside the value: "原报1.5亿元，现更正为1.55亿元", "由1.5亿改为1.55亿", "3.2亿，更正：3.5亿" —
 *    the first number is the old one; which is meant is asked (a 更正 message gives only the new one).
 */
const NUMBER_CHAR = "0-9零〇一二两三四五六七八九十百千万亿";
const RANGE_BEFORE = new RegExp(`[${NUMBER_CHAR}]\\s*[至到~～\\-—－]\\s*$`);
const RANGE_START = /^[~～\-—－]/;
const ENDS_WITH_NUMBER = new RegExp(`[${NUMBER_CHAR}]\\s*$`);
const SPLIT_DIGITS = /\d[，,\s]+$/;
const BOUND_BEFORE =
  /(超过|超出|逾|不到|不足|不少于|不低于|不超过|不高于|至少|最少|最多|多于|少于|高于|低于|将近|接近|近)\s*$/;
const BOUND_AFTER = /^\s*(以上|以下|以内|之上|之下|多|余|出头|上下)/;
const BOUND_INSIDE = /\d\s*[多余]|[亿万千百十][多余]/;
const CORRECTED_AFTER =
  /^[\s，,；;。→>\-—]*(?:现|现已|已|应|实际)?(?:更正|改正|修改|调整|修正|改)(?:为|成|后为|后|\s*[：:])/;

/**
 * `before`: the text between the field name and the number found; `text`: the number as found;
 * `after`: what follows it on the line. Undefined when the figure is what it says.
 */
export function uncertainFigure(before: string, text: string, after: string): string | undefined {
  if (RANGE_BEFORE.test(before) || (RANGE_START.test(text) && ENDS_WITH_NUMBER.test(before)))
    return "读到的是一个范围，请报送确切数值";
  if (SPLIT_DIGITS.test(before))
    return "数字中间有逗号或空格，无法确定数值，请连写，不加分隔符（如 8600万元）";
  if (CORRECTED_AFTER.test(after))
    return "同一指标写了更正前后两个数值，请只写更正后的数值（如 更正 惠水 进出口1.55亿元）";
  if (BOUND_BEFORE.test(before) || BOUND_AFTER.test(after) || BOUND_INSIDE.test(text))
    return "读到的是约数或上下限（超过、不到、以上、余、多等），请报送确切数值";
  return undefined;
}

/**
 * Words that may stand right before a field name without narrowing it ("全区累计实现出口", "外贸进出口",
 * "其中出口"); anything else attached to the field names a part of it: a product ("茶叶出口", "吉他出口"),
 * a market ("对美出口"), a trade mode ("一般贸易出口", "跨境电商出口").
 */
const FILLER =
  /^(?:嗯|啊|呃|哦|那个|这个|就是|然后|是|呢|其中|实现|完成|累计|外贸|货物|我区|全区|园区|本区|该区|全州|全市|共计|共|合计|总计|总|今年|全年|年度|本年|本季度|当季|季度|上半年|截至目前|截至|目前|以来|同期|的|为|达到|达)/;
/** The clause before a count's field name opens with 其中 or a bracket: a part of the count may follow. */
const COUNT_PART_LEAD = /(?:其中|[(（])[^\s，,；;。：:、（）()]*$/;
const LEAD_AFTER_BREAK = /[^\s，,；;。：:、（）()]*$/;

/**
 * `lead`: the text between the previous token (or the line's start) and the field name. The part's
 * name when the field is narrowed to a part of itself ("进出口3.2亿元，其中茶叶出口1.1亿元", "吉他出口1.2亿元"
 * — the zone's 出口额 is not that figure: named back, not stored); undefined for the field itself.
 */
export function partOfField(lead: string): string | undefined {
  let rest = LEAD_AFTER_BREAK.exec(lead)![0];
  for (let m = FILLER.exec(rest); m && m[0] !== ""; m = FILLER.exec(rest)) rest = rest.slice(m[0].length);
  return /^[\u4e00-\u9fff]{1,8}$/.test(rest) ? rest : undefined;
}

// Words around a field that say its figure is not the one the programme asks for (report-parser.ts).
/** A month's own figure (not 截至3月底, not 1-3月): no running total. */
export const SINGLE_MONTH =
  /当月|本月|单月|(?<![\d\-—－~～至到截止]|截至|截止)(?:1[0-2]|[1-9])\s*月(?!\s*[-—－~～至到底末])/;
/** A quarter's or a month's own figure: no running total (after the first quarter). */
export const NOT_CUMULATIVE = new RegExp(`当季|单季|本季度(?!累计)|${SINGLE_MONTH.source}`);
/** The question for a quarter's or a month's own figure, naming the running total asked for (1-6月 in Q2). */
export function notCumulativeRule(quarter: number | undefined): string {
  const to = quarter ? `1-${quarter * 3}月` : "1月至季度末";
  return `读到的是当季或单月的数值，本项报送的是累计数，请报送${to}的累计数`;
}
/** Words of a prefecture-wide figure before the first field of a line. */
export const PREFECTURE_WIDE =
  /(?:全州|全市|全省|全地区|我州|我市|本州|本市)|(?:^|[\s：:，,])(?:合计|总计|汇总)/;
export const COUNT_FIRST = "数字写在了指标名前面，无法确定属于哪一项，请把数字写在指标名后面";
/** "2个" right before a count field's name ("完成3个项目包装"): the figure written first. */
export function countBeforeField(ind: IndicatorDef, lead: string): string | undefined {
  if (ind.kind !== "count") return undefined;
  return /(?:\d+|[一二两三四五六七八九十]+)\s*[个次家场项期批]\s*$/.exec(lead)?.[0];
}

export interface DoubtInput {
  ind: IndicatorDef;
  line: string;
  /** Where the field name starts and the value found after it ends, in `line`. */
  tokStart: number;
  valueEnd: number;
  /** The words between the previous token (or value) and the field name. */
  lead: string;
  /** Where those words start when period mentions count as words. */
  wordsStart: number;
  /**
   * Where the figure's scope starts: after the zone, field or value before it, period mentions and
   * separators included (figure-scope.ts); `wordsStart` when absent.
   */
  scopeStart?: number;
  /** Between the field name and the number; the number as found; what follows it. */
  gapText: string;
  found: string;
  after: string;
  /** The report's quarter, when known (in a first quarter the quarter's own figure is the running total). */
  quarter: number | undefined;
  /** The report's year, when known. */
  year?: number;
}

/**
 * Why the figure found for a field is not to be stored: `part` — the figure of a part of the field (named
 * back); otherwise `detail`, the reason of a question, and `read`, what it quotes.
 */
export function doubtAbout(d: DoubtInput): { part?: string; detail?: string; read: string } | undefined {
  // a trade figure narrowed to a product, market or trade mode ("吉他出口"); a count only after 其中 or in
  // brackets ("项目3个（其中外资项目1个）") — "新增项目" or "签约项目" before a count is the count itself
  const narrowed = d.ind.kind === "money" || (d.ind.kind === "count" && COUNT_PART_LEAD.test(d.lead));
  const part = narrowed ? partOfField(d.lead) : undefined;
  if (part) return { part, read: "" };
  // "本季度进出口3500万元", "3月份进出口1500万元": one quarter's or month's figure where the programme asks
  // for the year's running total — asked (in a first quarter the quarter's own figure is the total)
  const words = d.line.slice(d.wordsStart, d.tokStart);
  if (d.ind.cumulative && (d.quarter === 1 ? SINGLE_MONTH : NOT_CUMULATIVE).test(words))
    return { detail: notCumulativeRule(d.quarter), read: d.line.slice(d.wordsStart, d.valueEnd).trim() };
  const scope = d.scopeStart ?? d.wordsStart;
  const scoped = scopeDoubt(d.ind, d.line.slice(scope, d.tokStart), d.quarter, d.year);
  if (scoped) return { detail: scoped, read: d.line.slice(scope, d.valueEnd).trim() };
  const detail = uncertainFigure(d.gapText, d.found, d.after);
  if (!detail) {
    const around = figureDoubt(d.ind, d.gapText, d.found, d.after, d.quarter);
    return around ? { detail: around, read: d.line.slice(scope, d.valueEnd).trim() } : undefined;
  }
  const bound = BOUND_AFTER.exec(d.after);
  return { detail, read: d.line.slice(d.tokStart, d.valueEnd + (bound ? bound[0].length : 0)).trim() };
}
