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
      万元: { value: "1000000000", text: "10万亿元" },
      亿元: { value: "100000", text: "10万亿元" },
      元: { value: "10000000000000", text: "10万亿元" },
      "": { value: "1000000000", text: "10万亿元" },
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

/** A Chinese question when `value` (canonical) is beyond the bounds for the indicator and zone. */
export function plausibilityProblem(
  ind: IndicatorDef,
  value: string,
  raw: string,
  reference: ValueReference | undefined,
): string | undefined {
  const rule = PLAUSIBILITY_RULES[ind.kind];
  const d = Decimal.tryParse(value);
  if (!rule || !d) return undefined;
  const unit = ind.kind === "count" ? ind.unit || "个" : "";
  const ceiling = rule.ceiling[ind.unit] ?? rule.ceiling[""]!;
  const ask = (why: string) =>
    `「${ind.label}」读到${quote(raw)}，${why}，本次未保存。请核实数字和单位，例如：${exampleFor(ind)}`;
  if (d.gt(ceiling.value)) return ask(`超出一个经开区可能的范围（不超过${ceiling.text}${unit}）`);
  const known = [reference?.target, ...(reference?.history ?? [])]
    .map((s) => (s === undefined ? undefined : Decimal.tryParse(s)))
    .filter((x): x is Decimal => x?.gte(rule.minReference) === true);
  if (known.length === 0) return undefined;
  const largest = known.reduce((a, b) => (b.gt(a) ? b : a));
  if (!d.gt(largest.times(rule.factor))) return undefined;
  const what =
    reference?.target !== undefined && Decimal.parse(reference.target).eq(largest)
      ? "年度目标"
      : "已确认的数";
  return ask(
    `是该经开区${what}（${largest.toString()}${ind.kind === "money" ? ind.unit || "万元" : unit}）的${Number(rule.factor).toLocaleString("en-US")}倍以上，不大可能`,
  );
}
