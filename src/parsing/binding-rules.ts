import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef } from "../programme/programme.js";
import { scanNumber } from "./number-grammar.js";

/**
 * Binding rules, as data: what a figure written right after another one belongs to. Each rule names the kind
 * of figure it follows, the words that may lead in (a comparison), the direction words with their sign and
 * the unit that must follow; the bound value goes to the `to` field of the preceding figure's indicator.
 * "进出口3.2亿元，增长12.5%" and "…，比上年同期下降3.1%" bind the rate to 进出口同比; a rate followed by
 * 个百分点 is a change of a rate and is never stored as the rate (it is named back).
 */
export interface BindingRule {
  name: string;
  after: IndicatorDef["kind"];
  lead: string[];
  directions: Record<string, 1 | -1>;
  units: string[];
  pointsUnits: string[];
  to: "growth";
}

export const BINDING_RULES: BindingRule[] = [
  {
    name: "growth rate after a money figure",
    after: "money",
    lead: [
      "同比",
      "比上年同期",
      "比去年同期",
      "较上年同期",
      "较去年同期",
      "与上年同期相比",
      "与去年同期相比",
      "比上年",
      "比去年",
      "较上年",
      "较去年",
      "比上年同期相比",
    ],
    directions: {
      增长: 1,
      增加: 1,
      上升: 1,
      提高: 1,
      上涨: 1,
      增: 1,
      增幅: 1,
      增速: 1,
      涨幅: 1,
      下降: -1,
      减少: -1,
      降低: -1,
      回落: -1,
      下滑: -1,
      下跌: -1,
      负增长: -1,
      减: -1,
      降: -1,
      降幅: -1,
      跌幅: -1,
    },
    units: ["%"],
    pointsUnits: ["个百分点", "百分点"],
    to: "growth",
  },
];

/** Words that name a growth rate in an indicator's label or aliases. */
const GROWTH_WORDS = /同比|增速|增幅|增长率/;
const stem = (name: string) => name.replace(/(总额|金额|总值|额|值)$/, "");

/** The percent indicator that is `ind`'s growth rate: its label or an alias starts with `ind`'s stem. */
export function growthFieldOf(ind: IndicatorDef, indicators: IndicatorDef[]): IndicatorDef | undefined {
  const stems = [ind.label, ...ind.aliases].map(stem).filter((s) => s.length >= 2);
  return indicators.find(
    (p) =>
      p.kind === "percent" &&
      [p.label, ...p.aliases].some((n) => GROWTH_WORDS.test(n) && stems.some((s) => n.startsWith(s))),
  );
}

export type Binding =
  | { kind: "rate"; to: IndicatorDef; value: Decimal; start: number; end: number; text: string }
  | { kind: "points"; to: IndicatorDef | undefined; start: number; end: number; text: string };

const SEP = /^[\s，,、；;]*/;

function longest(words: string[], s: string, at: number): string | undefined {
  let best: string | undefined;
  for (const w of words) if (s.startsWith(w, at) && (!best || w.length > best.length)) best = w;
  return best;
}

/** The binding right after position `from` of `line` for a figure of `ind`, if a rule applies. */
export function bindingAfter(
  line: string,
  from: number,
  ind: IndicatorDef,
  indicators: IndicatorDef[],
): Binding | undefined {
  for (const rule of BINDING_RULES) {
    if (rule.after !== ind.kind) continue;
    let i = from + SEP.exec(line.slice(from))![0].length;
    const start = i;
    const lead = longest(rule.lead, line, i);
    if (lead) i += lead.length;
    const dir = longest(Object.keys(rule.directions), line, i);
    if (!dir) continue;
    i += dir.length;
    if (line[i] === "了") i++;
    while (line[i] === " ") i++;
    // "增幅为12.5%", "增长达到12.5%"
    const verb = longest(["为", "达到", "达"], line, i);
    if (verb) i += verb.length;
    while (line[i] === " ") i++;
    const words = line.startsWith("百分之", i);
    if (words) i += 3;
    const num = scanNumber(line, i);
    if (!num?.value) continue;
    let j = num.end;
    while (line[j] === " ") j++;
    const to = rule.to === "growth" ? growthFieldOf(ind, indicators) : undefined;
    const points = longest(rule.pointsUnits, line, j);
    if (points) {
      const end = j + points.length;
      return { kind: "points", to, start, end, text: line.slice(start, end) };
    }
    const unit = words ? "" : longest(rule.units, line, j);
    if (unit === undefined || !to) continue;
    const end = j + unit.length;
    const abs = num.value.abs();
    const value = rule.directions[dir]! < 0 || num.value.isNegative() ? abs.neg() : abs;
    return {
      kind: "rate",
      to,
      value: value.isZero() ? Decimal.ZERO : value,
      start,
      end,
      text: line.slice(start, end),
    };
  }
  return undefined;
}
