import { formatMoneyWan } from "../domain/completion.js";
import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";

/** A canonical value as the contact reads it: "32000万元（3.2亿元）", "3个", "12.5%", text as is. */
export function displayValue(ind: Pick<IndicatorDef, "kind" | "unit">, value: string): string {
  switch (ind.kind) {
    case "money": {
      const d = Decimal.tryParse(value);
      if (!d) return value;
      const wan = `${d.toString()}万元`;
      return d.abs().gte(10_000) ? `${wan}（${d.div(10_000).round(6).toString()}亿元）` : wan;
    }
    case "percent":
      return `${value}%`;
    case "count":
      return `${value}${ind.unit}`;
    case "text":
      return value.length > 80 ? `${value.slice(0, 78)}……` : value;
  }
}

/** Short form for inline mentions: money as "3.2亿元" / "3200万元", the rest as displayValue. */
export function displayShort(ind: Pick<IndicatorDef, "kind" | "unit">, value: string): string {
  const d = ind.kind === "money" ? Decimal.tryParse(value) : undefined;
  return d ? formatMoneyWan(d) : displayValue(ind, value);
}

/** An example of the right form for a field, used in every error message about it. */
export function exampleFor(ind: Pick<IndicatorDef, "kind" | "unit" | "label">, zone?: ZoneDef): string {
  const z = zone ? `${zone.shortName} ` : "";
  switch (ind.kind) {
    case "money":
      return `${z}${ind.label}3.2亿元（或 32000万元）`;
    case "percent":
      return `${z}${ind.label}12.5%（下降写 -3.1%）`;
    case "count":
      return `${z}${ind.label}3${ind.unit}`;
    case "text":
      return `${z}${ind.label}：……`;
  }
}
