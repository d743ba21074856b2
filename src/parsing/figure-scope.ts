import type { IndicatorDef } from "../programme/programme.js";
import { findPeriodMentions } from "./periods.js";

/**
 * The words between a field's zone (or the previous value) and the field name — periods and
 * separators included, unlike the attached lead partOfField looks at — that say the figure after them
 * is not the zone's figure of the open period. Found by an adversarial review: "湄潭经开区去年一季度进出口
 * 5600万元" (last year's Q1), "湄潭经开区（对美）出口…", "跨境电商 出口…", "规上企业一季度进出口…",
 * "一季度（不含保税区）进出口…" (a part), "截至2月底进出口…" (two months of the quarter) were stored as the
 * zone's figure. Each is asked now (uncertain-figures.ts: doubtAbout).
 */
export function scopeDoubt(
  ind: IndicatorDef,
  whole: string,
  quarter: number | undefined,
): string | undefined {
  // only the words after the last figure before the field are this figure's ("上年同期3.9亿元，同比增长…")
  const scope = whole.slice(lastFigureEnd(whole));
  // a rate is compared with last year by nature ("比上年同期增长")
  if (ind.kind !== "percent" && LAST_YEAR.test(scope))
    return `读到的可能是去年（上年同期）的数值，本项报送本期数据，请只报送本期的${ind.label}`;
  const words = blankPeriods(scope);
  const qualifier =
    (ind.kind === "money" ? MARKET.exec(words)?.[0] : undefined) ?? QUALIFIER.exec(words)?.[0];
  if (qualifier)
    return `读到“${qualifier}”，这可能只是${ind.label}的一部分（某一市场、贸易方式、产品或企业），不是全区的数值；如是全区数值，请去掉“${qualifier}”后重新发送`;
  const until = UNTIL_MONTH.exec(scope);
  const month = until ? monthNumber(until[1]!) : undefined;
  if (ind.cumulative && quarter !== undefined && month !== undefined && month < quarter * 3)
    return `读到的是截至${month}月底的累计数，本期报送1-${quarter * 3}月的累计数，请报送截至${quarter * 3}月底的数值`;
  return undefined;
}

/** 去年 / 上年 / 上一年 / 前年 anywhere before the field (right before it, "去年同期进出口…", is read apart). */
const LAST_YEAR = /去年|上年|上一年|前年/;
/** A market before a trade figure ("对美", "对东盟"); 对外 (对外贸易) is the whole. */
const MARKET = /对(?!外)[\u4e00-\u9fff]{1,4}(?=[\s（(）)，,：:]|出口|进口|进出口|$)/;
/** Words that narrow a trade figure or a count to a part of it. */
const QUALIFIER =
  /跨境电商|加工贸易|一般贸易|边境贸易|保税(?:区|物流中心)?|(?:规上|规模以上|重点|外资|民营|国有|龙头|骨干)企业|不含[\u4e00-\u9fff]{1,8}|除[\u4e00-\u9fff]{1,8}外/;
/** "截至2月底", "截止到二月末": the running total up to a month. */
const UNTIL_MONTH = /截(?:至|止)(?:到)?\s*(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:底|末|份)?/;

const FIGURE = /\d[\d.,]*\s*(?:亿元|万元|元|%|％|个|次|家|场|亿|万)/g;

function lastFigureEnd(text: string): number {
  let end = 0;
  for (const m of text.matchAll(FIGURE)) end = m.index + m[0].length;
  return end;
}

function monthNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const digits = "一二三四五六七八九";
  if (text === "十") return 10;
  if (text.startsWith("十")) return 10 + digits.indexOf(text[1]!) + 1;
  const i = digits.indexOf(text);
  return i >= 0 ? i + 1 : undefined;
}

/** The scope with its period mentions blanked ("对美一季度" → "对美   "): a period names no part. */
function blankPeriods(scope: string): string {
  let out = scope;
  for (const p of findPeriodMentions(scope))
    out = `${out.slice(0, p.start)}${" ".repeat(p.end - p.start)}${out.slice(p.end)}`;
  return out;
}
