import { Decimal } from "./decimal.js";

/** Completion in percent (value / target × 100, exact at 6 places); undefined when the target is absent or zero. */
export function completionPct(value: Decimal, target: Decimal | undefined): Decimal | undefined {
  if (!target || target.isZero()) return undefined;
  return value.times(100).div(target);
}

/** "12.5%" — one decimal, rounded half-up, only for display. */
export function formatPct(pct: Decimal | undefined): string {
  return pct === undefined ? "—" : `${pct.toFixed(1)}%`;
}

/** 万元 → "3.2亿元" when ≥ 1 亿, else "3200万元" (exact, trailing zeros dropped). */
export function formatMoneyWan(wan: Decimal): string {
  if (wan.abs().gte(10_000)) return `${wan.div(10_000).round(4).toString()}亿元`;
  return `${wan.round(2).toString()}万元`;
}

export { Decimal };
