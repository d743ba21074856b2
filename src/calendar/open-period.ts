import type { Period, Quarter } from "../domain/period.js";
import { local, localDate } from "../time/clock.js";

/**
 * The quarter open for reporting at an instant: the most recent quarter that has ended
 * (Asia/Shanghai). From 1 April Q1 is open, from 1 July Q2, …, and from 1 January until
 * 31 March the previous year's Q4. Reports after the deadline are still accepted (marked late)
 * until the next quarter opens.
 */
export function openPeriodAt(at: Date): Period {
  const date = localDate(at); // once per message: the cheap formatter, not dayjs' tz()
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const ended = Math.floor((month - 1) / 3); // quarters of this year already over
  if (ended === 0) return { year: year - 1, quarter: 4 };
  return { year, quarter: ended as Quarter };
}

/** First and last local date ("YYYY-MM-DD") of a quarter. */
export function quarterDates(p: Period): { start: string; end: string } {
  const startMonth = (p.quarter - 1) * 3;
  const start = local(new Date(Date.UTC(p.year, startMonth, 1, 4))).startOf("month");
  return {
    start: start.format("YYYY-MM-DD"),
    end: start.add(2, "month").endOf("month").format("YYYY-MM-DD"),
  };
}
