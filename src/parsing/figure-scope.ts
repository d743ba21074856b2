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
  year?: number,
): string | undefined {
  // only the words after the last figure before the field are this figure's ("上年同期3.9亿元，同比增长…")
  const scope = whole.slice(lastFigureEnd(whole));
  // a rate is compared with last year by nature ("比上年同期增长")
  if (ind.kind !== "percent" && LAST_YEAR.test(scope))
    return `读到的可能是去年（上年同期）的数值，本项报送本期数据，请只报送本期的${ind.label}`;
  const y = YEAR.exec(scope);
  const named = y ? (y[1]!.length === 2 ? 2000 + Number(y[1]) : Number(y[1])) : undefined;
  if (named !== undefined && year !== undefined && named !== year)
    return `读到的是${named}年的数值，本期报送${year}年的数据，请只报送本期的${ind.label}`;
  if (ind.kind !== "percent" && SAME_PERIOD.test(scope))
    return `读到“同期”，这可能是上年同期的数值，本项报送本期数据，请只报送本期的${ind.label}`;
  const plan = PLAN.exec(scope)?.[0];
  if (plan) return `读到“${plan}”，这是计划或预计的数值，不是已完成的数值，请报送实际完成的${ind.label}`;
  if (ind.kind === "money" && CHANGE_BEFORE.test(scope))
    return `读到的可能是增加（新增）的数额，不是${ind.label}本身，请报送${ind.label}的累计数值`;
  // periods are blanked only when a qualifier may be there (finding them is the costly part)
  const mayQualify = (ind.kind === "money" && scope.includes("对")) || QUALIFIER.test(scope);
  const words = mayQualify ? blankPeriods(scope) : "";
  const qualifier = mayQualify
    ? ((ind.kind === "money" ? MARKET.exec(words)?.[0] : undefined) ?? QUALIFIER.exec(words)?.[0])
    : undefined;
  if (qualifier)
    return `读到“${qualifier}”，这可能只是${ind.label}的一部分（某一市场、贸易方式、产品或企业），不是全区的数值；如是全区数值，请去掉“${qualifier}”后重新发送`;
  const until = UNTIL_MONTH.exec(scope);
  const month = until ? monthNumber(until[1]!) : undefined;
  if (ind.cumulative && quarter !== undefined && month !== undefined && month < quarter * 3)
    return `读到的是截至${month}月底的累计数，本期报送1-${quarter * 3}月的累计数，请报送截至${quarter * 3}月底的数值`;
  return undefined;
}

/**
 * What the figure itself and the words right around it say (gap: between the field name and the figure;
 * after: what follows the figure): a change rather than the amount ("增加5000万元", "增长5600万元"), a
 * rate in 倍 ("增长1.2倍" is 120 %, not 1.2 %), a foreign currency ("$800万", "800万日元", "（美元）"), a
 * bracket that says whose, which period's or what kind of figure it is ("（仅3月）", "（截至2月底）",
 * "（目标数）", "（预计）", "（2022年）"), a row of several columns ("进出口\t4800\t5600"). Found by the
 * adversarial review of 2026-12-08.
 */
export function figureDoubt(
  ind: IndicatorDef,
  gap: string,
  found: string,
  after: string,
  quarter: number | undefined,
): string | undefined {
  if (ind.kind === "money" && CHANGE_GAP.test(gap))
    return `读到的可能是增加（减少）的数额，不是${ind.label}本身，请报送${ind.label}的累计数值`;
  // "出口退税5600万元", "出口订单…", "进出口合同额…": another amount named after the field's words
  const other = ind.kind === "money" ? otherAmountIn(gap) : undefined;
  if (other) return `读到“${other}”，这可能是另一项金额，不是${ind.label}，请只报送${ind.label}的数值`;
  if (ind.kind === "percent" && /^\s*倍/.test(after))
    return `读到“倍”，${found}倍与${found}%不同，请以百分比填报，例如：增长120%`;
  if (ind.kind === "money") {
    const currency = FOREIGN.exec(`${gap.slice(-4)}${found}${after.slice(0, 6)}`)?.[0];
    if (currency) return `金额应以人民币填报（读到外币“${currency}”）`;
  }
  // "进出口（万元）\t4800\t5600" under "指标\t去年同期\t本期": a row of several columns read as prose — which is the field's?
  if (/^\s+[-+]?[\d０-９]/.test(after))
    return `这一行在数值后还有其他列的数值，无法确定哪一列是本期的${ind.label}，请只保留本期数值，例如：${ind.label}3.2亿元`;
  if (ind.kind === "count") {
    const cls = /(个次|场次|家次|个|次|家|场|项|期|批|户|趟|轮|件|起|所|届)$/.exec(found)?.[1];
    const allowed = MEASURES[ind.unit];
    // "人才培训覆盖企业30家", "赴外招商走访企业30家": another thing counted than the field's
    if (cls && allowed && !allowed.includes(cls))
      return `读到“${found}”，量词“${cls}”与${ind.label}的单位“${ind.unit}”不符，可能是其他事项的数量，请只报送${ind.label}的${ind.unit}数`;
    // "时长30小时", "30天": no count of the field
    if (!cls && /^\s*(?:小时|天|分钟|周|公里|平方米|亩|吨)/.test(after))
      return `读到“${found}${/^\s*(\S{1,3})/.exec(after)?.[1] ?? ""}”，不是${ind.label}的${ind.unit}数，请只报送${ind.label}的数量`;
  }
  const tag = BRACKET_TAG.exec(after)?.[1];
  // a bracket with a figure of its own ("（上年同期2800万元）", "（本季度新增2个）") is read apart (a note)
  if (tag && TAG_WORDS.test(tag) && !new RegExp(FIGURE.source).test(tag) && !sameQuarterTag(tag, quarter))
    return `读到括号中的“${tag}”，无法确定这是不是本期的${ind.label}，请只报送本期数值，例如：${ind.label}3.2亿元`;
  return undefined;
}

/** A bracket with a period of the report's own quarter only ("（1-3月）", "（一季度）" in Q1) is no doubt. */
function sameQuarterTag(tag: string, quarter: number | undefined): boolean {
  if (quarter === undefined || /仅|当月|单月|本月|截至|截止|目标|计划|预计|同期|去年|上年/.test(tag))
    return false;
  const m = findPeriodMentions(tag);
  return m.length === 1 && m[0]!.quarter === quarter && tag.replace(m[0]!.text, "").trim() === "";
}

/** A year named before the field ("2022年进出口", "22年", "截至2022年底"): compared with the report's year. */
const YEAR = /(?<![\d.])(20\d{2}|\d{2})\s*年/;
/** 同期 without 今年/本年: last year's same period. */
const SAME_PERIOD = /(?<!今年|本年|本期)同期/;
/** Plans, targets and estimates before the field ("拟赴外招商", "将开展人才培训", "预计进出口"). */
const PLAN = /拟|(?<![现即])将|计划|预计|预期|目标|力争|争取|有望/;
/** A change named before a money field ("新增进出口…", "净增"). */
const CHANGE_BEFORE = /新增|净增|增量|增加|减少/;
/** A change between a money field and its figure ("进出口增加5000万元", "比上季度增加…"). */
const CHANGE_GAP = /增加|净增|增量|增长|新增|减少|下降|提高|扩大/;
/** Words that may stand between a money field's name and its figure ("进出口总额为…", "累计实现…"). */
const MONEY_GAP_WORDS =
  /^(?:总额|金额|总值|额度|额|值|累计|合计|共计|总计|共|计|为|是|达到|达|实现|完成|约|近|的|本期|本年|今年|当期|应为|應為|改为|改為|更正为|更正為|修改为|调整为|现为|为止)/;

/** What is left of the gap once the words above and punctuation are taken off (a CJK word), or undefined. */
function otherAmountIn(gap: string): string | undefined {
  let rest = gap.replace(/[\s：:，,（）()]/g, "");
  for (let m = MONEY_GAP_WORDS.exec(rest); m && m[0] !== ""; m = MONEY_GAP_WORDS.exec(rest))
    rest = rest.slice(m[0].length);
  return /^[\u4e00-\u9fff]{1,8}$/.test(rest) ? rest : undefined;
}

/** The measure words each count unit may be written with (a count in another is asked). */
const MEASURES: Record<string, string[]> = {
  个: ["个", "项"],
  次: ["次", "批", "趟", "轮", "场"],
  家: ["家", "个", "户"],
  场: ["场", "期", "次", "班", "批", "场次"],
};
const FOREIGN = /美元|美金|日元|欧元|港元|港币|英镑|韩元|卢布|澳元|加元|新台币|US\$|\$|USD/;
const BRACKET_TAG = /^\s*[（(]([^（()）]{1,14})[）)]/;
const TAG_WORDS = /月|季|年|截至|截止|当月|同期|目标|计划|预计|预测|初步|估算|估计/;

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
