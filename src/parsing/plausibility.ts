import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, TargetDef } from "../programme/programme.js";
import { exampleFor, quote } from "./issue-messages.js";

// Plausibility: a value must be possible. Beyond a bound the parser asks and stores nothing. The bounds are
// data: a ceiling per kind of indicator in the indicator's own unit (what one zone can report at all), and
// a bound relative to what is known of the zone — its annual target and its confirmed history.

/** What is known of one zone × indicator (canonical decimal strings: money in the indicator's unit). */
export interface ValueReference {
  target?: string;
  /** Confirmed values of earlier periods (cumulative or not). */
  history?: string[];
}

/** zoneId → indicator key → reference. */
export type ValueReferences = Readonly<Record<string, Readonly<Record<string, ValueReference>>>>;

export interface PlausibilityRule {
  /** The most one zone can report, per unit of the indicator (unit "" = any), with its Chinese wording. */
  ceiling: Readonly<Record<string, { value: string; text: string }>>;
  /**
   * A value above reference × factor (the larger of target and history) is asked about. For money the
   * factor lies above the ~10 000× band in which the dialogue asks "是否应为万元？" (magnitude.ts), so that
   * question keeps its place; beyond it no unit mix-up explains the figure.
   */
  factor: string;
  /** References below this are no basis for a relative bound (a target of 0 or 1). */
  minReference: string;
}

export const PLAUSIBILITY_RULES: Readonly<Partial<Record<IndicatorDef["kind"], PlausibilityRule>>> = {
  money: {
    ceiling: {
      // 1万亿元: above the yearly foreign trade of any zone in China (and more than ten times all of
      // Guizhou's) — a figure of 万亿 size is a slip of unit (1.5万亿 for 1.5亿), asked even without a target
      万元: { value: "100000000", text: "1万亿元" },
      亿元: { value: "10000", text: "1万亿元" },
      元: { value: "1000000000000", text: "1万亿元" },
      "": { value: "100000000", text: "1万亿元" },
    },
    factor: "100000",
    minReference: "1",
  },
  count: {
    ceiling: { "": { value: "10000", text: "10000" } },
    factor: "50",
    minReference: "2",
  },
};

/** References from the programme's zone targets (and, optionally, confirmed values per zone). */
export function valueReferences(
  targets: readonly TargetDef[],
  history: readonly { zoneId: string; values: Readonly<Record<string, string>> }[] = [],
): ValueReferences {
  const out: Record<string, Record<string, ValueReference>> = {};
  const at = (zoneId: string, key: string) => {
    out[zoneId] ??= {};
    out[zoneId][key] ??= {};
    return out[zoneId][key];
  };
  for (const t of targets)
    if (t.scope === "zone" && t.zoneId) at(t.zoneId, t.indicatorKey).target = t.value.toString();
  for (const h of history)
    for (const [key, v] of Object.entries(h.values)) {
      const r = at(h.zoneId, key);
      r.history = [...(r.history ?? []), v];
    }
  return out;
}

/** The largest usable reference (target or confirmed value), parsed once per reference object. */
const largestCache = new WeakMap<ValueReference, { value: Decimal; isTarget: boolean } | null>();
function largestOf(reference: ValueReference, min: string): { value: Decimal; isTarget: boolean } | null {
  const cached = largestCache.get(reference);
  if (cached !== undefined) return cached;
  let best: Decimal | undefined;
  for (const s of [reference.target, ...(reference.history ?? [])]) {
    const x = s === undefined ? undefined : Decimal.tryParse(s);
    if (x?.gte(min) && (!best || x.gt(best))) best = x;
  }
  const out = best
    ? {
        value: best,
        isTarget: reference.target !== undefined && Decimal.tryParse(reference.target)?.eq(best) === true,
      }
    : null;
  largestCache.set(reference, out);
  return out;
}

/** Ceilings and factors as decimals, once. */
const parsedRules = new Map<PlausibilityRule, { ceilings: Map<string, Decimal>; factor: Decimal }>();
function parsedRule(rule: PlausibilityRule) {
  let p = parsedRules.get(rule);
  if (!p) {
    p = {
      ceilings: new Map(Object.entries(rule.ceiling).map(([u, c]) => [u, Decimal.parse(c.value)])),
      factor: Decimal.parse(rule.factor),
    };
    parsedRules.set(rule, p);
  }
  return p;
}

function ask(ind: IndicatorDef, raw: string, why: string): string {
  return `「${ind.label}」读到${quote(raw)}，${why}，本次未保存。请核实数字和单位，例如：${exampleFor(ind)}`;
}

/**
 * A Chinese question when `value` (canonical) is beyond the bounds for the indicator and zone. `parsed`: the
 * value already as a decimal (the parser has it), saving a parse.
 */
export function plausibilityProblem(
  ind: IndicatorDef,
  value: string,
  raw: string,
  reference: ValueReference | undefined,
  parsed?: Decimal,
): string | undefined {
  const rule = PLAUSIBILITY_RULES[ind.kind];
  if (!rule) return undefined;
  const d = parsed ?? Decimal.tryParse(value);
  if (!d) return undefined;
  const unit = ind.kind === "count" ? ind.unit || "个" : "";
  const pr = parsedRule(rule);
  const ceilingKey = rule.ceiling[ind.unit] ? ind.unit : "";
  if (d.gt(pr.ceilings.get(ceilingKey)!))
    return ask(ind, raw, `超出一个经开区可能的范围（不超过${rule.ceiling[ceilingKey]!.text}${unit}）`);
  const largest = reference ? largestOf(reference, rule.minReference) : null;
  if (!largest || !d.gt(largest.value.times(pr.factor))) return undefined;
  const what = largest.isTarget ? "年度目标" : "已确认的数";
  return ask(
    ind,
    raw,
    `是该经开区${what}（${largest.value.toString()}${ind.kind === "money" ? ind.unit || "万元" : unit}）的${Number(rule.factor).toLocaleString("en-US")}倍以上，不大可能`,
  );
}
