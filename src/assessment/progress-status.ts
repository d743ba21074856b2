import { z } from "zod";
import { Decimal } from "../domain/decimal.js";

/**
 * How an indicator (or a zone, or a group total) stands against its annual target at a quarter.
 * `no_target` covers an absent or zero target: there is nothing to measure against, so the figure
 * is shown but neither praised nor criticised.
 */
export const PROGRESS_STATUSES = [
  "exceeded",
  "on_track",
  "behind",
  "severely_behind",
  "not_submitted",
  "no_target",
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];
export const progressStatusSchema = z.enum(PROGRESS_STATUSES);

export const PROGRESS_LABELS: Record<ProgressStatus, string> = {
  exceeded: "超额完成",
  on_track: "进度正常",
  behind: "进度滞后",
  severely_behind: "严重滞后",
  not_submitted: "未报送",
  no_target: "无目标",
};

/** WeCom markdown colour per status (info = green, warning = orange-red, comment = grey). */
export const PROGRESS_COLORS: Record<ProgressStatus, "info" | "warning" | "comment"> = {
  exceeded: "info",
  on_track: "info",
  behind: "warning",
  severely_behind: "warning",
  not_submitted: "comment",
  no_target: "comment",
};

/** Worse statuses first; used to pick a zone's overall status from its indicators. */
const SEVERITY: ProgressStatus[] = [
  "not_submitted",
  "severely_behind",
  "behind",
  "on_track",
  "exceeded",
  "no_target",
];

export function worstStatus(statuses: ProgressStatus[]): ProgressStatus {
  for (const s of SEVERITY) if (statuses.includes(s)) return s;
  return "no_target";
}

export function isOnTrack(s: ProgressStatus): boolean {
  return s === "exceeded" || s === "on_track";
}

export function isBehind(s: ProgressStatus): boolean {
  return s === "behind" || s === "severely_behind";
}

export interface Thresholds {
  /** Expected time-progress of the quarter in percent, e.g. 50. */
  expectedPct: Decimal;
  /** Below this percentage a figure is 严重滞后 (expected × severeShareOfExpected). */
  severePct: Decimal;
}

/**
 * value / target ≥ pct / 100, decided exactly on the integer units (no rounding):
 * with u(x) = x × 10^6, value/target ≥ pct/100 ⇔ 100 · 10^6 · u(value) ≥ u(pct) · u(target) for target > 0.
 */
export function ratioAtLeastPct(value: Decimal, target: Decimal, pct: Decimal): boolean {
  const scale = Decimal.of(1).units;
  return 100n * scale * value.units >= pct.units * target.units;
}

/**
 * Status of one cumulative figure: 超额完成 when value ≥ target; 进度正常 when completion ≥ expected;
 * 严重滞后 when completion < expected × severe share; otherwise 进度滞后. Boundaries are exact.
 */
export function classifyProgress(
  value: Decimal | undefined,
  target: Decimal | undefined,
  t: Thresholds,
): ProgressStatus {
  if (value === undefined) return "not_submitted";
  if (target === undefined || target.isZero() || target.isNegative()) return "no_target";
  if (value.gte(target)) return "exceeded";
  if (ratioAtLeastPct(value, target, t.expectedPct)) return "on_track";
  if (!ratioAtLeastPct(value, target, t.severePct)) return "severely_behind";
  return "behind";
}
