import { PROGRESS_LABELS, type ProgressStatus } from "../../src/assessment/progress-status.js";
import { STATUS_COLORS } from "../../src/charts/chart-colors.js";
import { GROUP_LABELS, type GroupCode, ROLE_LABELS, type Role } from "../../src/domain/codes.js";
import { Decimal, formatMoneyWan } from "../../src/domain/completion.js";
import { formatLocal } from "../../src/time/clock.js";

/** Formatting the templates use (`it.h.*`); figures are exact decimal strings, rounded only here. */
export const h = {
  pct(s: string | null | undefined): string {
    return s == null ? "—" : `${Decimal.parse(s).toFixed(1)}%`;
  },
  money(s: string | null | undefined): string {
    return s == null ? "—" : formatMoneyWan(Decimal.parse(s));
  },
  /** A figure in its unit: money as 万元/亿元, counts as they are, percent with %. */
  figure(s: string | null | undefined, unit: string): string {
    if (s == null) return "—";
    if (unit === "万元") return formatMoneyWan(Decimal.parse(s));
    if (unit === "%") return `${Decimal.parse(s).toFixed(1)}%`;
    return `${Decimal.parse(s).toString()}${unit}`;
  },
  status(s: ProgressStatus): string {
    return PROGRESS_LABELS[s];
  },
  color(s: ProgressStatus): string {
    return STATUS_COLORS[s];
  },
  group(g: GroupCode): string {
    return GROUP_LABELS[g];
  },
  role(r: Role): string {
    return ROLE_LABELS[r];
  },
  time(d: Date | string | null | undefined): string {
    return d == null ? "—" : formatLocal(typeof d === "string" ? new Date(d) : d, "YYYY-MM-DD HH:mm");
  },
  json(v: unknown): string {
    return JSON.stringify(v);
  },
};

export const viewHelpers = { h };
