import { formatMoneyWan, formatPct } from "../domain/completion.js";
import { Decimal } from "../domain/decimal.js";
import { formatLocal } from "../time/clock.js";

/** Display helpers: the only place figures are rounded (half-up, one decimal for rates). */
const dec = (s: string | null | undefined): Decimal | undefined => (s == null ? undefined : Decimal.parse(s));

export const DASH = "—";

/** "48.6%" or "—". */
export function pctText(s: string | null | undefined): string {
  return formatPct(dec(s));
}

/** "增长12.5%" / "下降3.1%" / "持平" (also when it shows as 0.0%, e.g. 0.04 or −0.04) / "—". */
export function yoyText(s: string | null | undefined): string {
  const d = dec(s)?.round(1);
  if (d === undefined) return DASH;
  if (d.isZero()) return "持平";
  return d.isNegative() ? `下降${formatPct(d.abs())}` : `增长${formatPct(d)}`;
}

/** A figure in its unit for prose: money as 亿元/万元, others "12个". */
export function valueText(s: string | null | undefined, unit: string): string {
  const d = dec(s);
  if (d === undefined) return DASH;
  if (unit === "万元") return formatMoneyWan(d);
  if (unit === "%") return formatPct(d);
  return `${d.round(2).toString()}${unit}`;
}

/** A figure for a table cell in the column's unit (money rounded to 0.01 万元 for display). */
export function cellNumberText(s: string | null | undefined): string {
  const d = dec(s);
  return d === undefined ? DASH : d.round(2).toString();
}

/** A rate rounded for display, as a number (Excel cells); undefined when absent. */
export function pctNumber(s: string | null | undefined): number | undefined {
  const d = dec(s);
  return d === undefined ? undefined : Number(d.toFixed(1));
}

export function moneyNumber(s: string | null | undefined): number | undefined {
  const d = dec(s);
  return d === undefined ? undefined : Number(d.round(2).toString());
}

/** "2023年7月20日" (Asia/Shanghai) — the 成文日期 form of GB/T 9704 (Arabic digits). */
export function chineseDate(iso: string): string {
  return formatLocal(new Date(iso), "YYYY年M月D日");
}

export function localDateTime(iso: string): string {
  return formatLocal(new Date(iso), "YYYY-MM-DD HH:mm");
}

/** "甲、乙、丙" */
export function joinNames(names: string[]): string {
  return names.join("、");
}
