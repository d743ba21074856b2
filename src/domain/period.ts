export type Quarter = 1 | 2 | 3 | 4;

/** A reporting period: one quarter of a programme year (figures are cumulative from 1 January). */
export interface Period {
  year: number;
  quarter: Quarter;
}

const CN_QUARTER = ["", "一", "二", "三", "四"] as const;

export function periodKey(p: Period): string {
  return `${p.year}Q${p.quarter}`;
}

/** "2023年第一季度" */
export function periodLabel(p: Period): string {
  return `${p.year}年第${CN_QUARTER[p.quarter]}季度`;
}

/** "2023年一季度" — the form bureaus write. */
export function periodShortLabel(p: Period): string {
  return `${p.year}年${CN_QUARTER[p.quarter]}季度`;
}

export function previousQuarter(p: Period): Period | undefined {
  return p.quarter === 1 ? undefined : { year: p.year, quarter: (p.quarter - 1) as Quarter };
}

/** Parses the CLI form "2023Q1" (also "2023q1", "2023-Q1"). */
export function parsePeriodKey(text: string): Period | undefined {
  const m = /^(\d{4})-?[Qq]([1-4])$/.exec(text.trim());
  if (!m) return undefined;
  return { year: Number(m[1]), quarter: Number(m[2]) as Quarter };
}
