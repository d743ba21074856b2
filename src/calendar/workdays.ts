import { createRequire } from "node:module";
import cd from "chinese-days";
import { z } from "zod";

/**
 * Mainland-China workdays from `chinese-days` (public holidays are not workdays; make-up workdays on a
 * weekend are). The package holds the State Council's arrangements for a fixed range of years and,
 * for a year it lacks, silently answers Monday–Friday. Coverage is therefore read from the package's
 * data, and a year without data falls back to Monday–Friday explicitly, reported through `onUncoveredYear`.
 */
export interface WorkCalendar {
  /** `date` is a local date "YYYY-MM-DD". */
  isWorkday(date: string): boolean;
  /** True when the holiday data covers the year (otherwise Monday–Friday is assumed). */
  covers(year: number): boolean;
}

const dataSchema = z.object({
  holidays: z.record(z.string(), z.string()),
  workdays: z.record(z.string(), z.string()),
});
type HolidayData = z.infer<typeof dataSchema>;

let data: HolidayData | undefined;
let coveredYears: Set<number> | undefined;
let libraryTrusted: boolean | undefined;

function holidayData(): HolidayData {
  data ??= dataSchema.parse(createRequire(import.meta.url)("chinese-days/dist/chinese-days.json"));
  return data;
}

/** Years the package has holiday data for (each year has at least 元旦). */
export function holidayDataYears(): number[] {
  if (!coveredYears) {
    const d = holidayData();
    coveredYears = new Set(
      [...Object.keys(d.holidays), ...Object.keys(d.workdays)].map((k) => Number(k.slice(0, 4))),
    );
  }
  return [...coveredYears].sort((a, b) => a - b);
}

export function holidayDataCovers(year: number): boolean {
  holidayDataYears();
  return coveredYears!.has(year);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): { year: number; weekday: number } {
  const m = DATE.exec(date);
  if (!m) throw new Error(`expected a local date YYYY-MM-DD, got "${date}"`);
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (utc.toISOString().slice(0, 10) !== date) throw new Error(`not a calendar date: "${date}"`);
  return { year: Number(m[1]), weekday: utc.getUTCDay() };
}

function isMondayToFriday(date: string): boolean {
  const { weekday } = parseDate(date);
  return weekday >= 1 && weekday <= 5;
}

function fromData(date: string): boolean {
  const d = holidayData();
  if (d.workdays[date]) return true;
  if (d.holidays[date]) return false;
  return isMondayToFriday(date);
}

/**
 * chinese-days computes dates with the process's local time zone and gives wrong answers west of UTC.
 * Checked once against its own data on known days; when it disagrees, the data is read directly.
 */
const PROBES = ["2023-04-22", "2023-04-23", "2023-10-06", "2023-10-07", "2023-10-09", "2024-02-18"];

function trustLibrary(): boolean {
  libraryTrusted ??= PROBES.every((d) => cd.isWorkday(d) === fromData(d));
  return libraryTrusted;
}

export function createWorkCalendar(opts: { onUncoveredYear?: (year: number) => void } = {}): WorkCalendar {
  const reported = new Set<number>();
  return {
    covers: holidayDataCovers,
    isWorkday(date: string): boolean {
      const { year } = parseDate(date);
      if (!holidayDataCovers(year)) {
        if (!reported.has(year)) {
          reported.add(year);
          opts.onUncoveredYear?.(year);
        }
        return isMondayToFriday(date);
      }
      return trustLibrary() ? cd.isWorkday(date) : fromData(date);
    },
  };
}

/** The warning for a year without holiday data (logged once per process and year by the reminder run). */
export function uncoveredYearWarning(year: number): string {
  const years = holidayDataYears();
  return `节假日数据（chinese-days）不含${year}年（仅有${years[0]}–${years.at(-1)}年），按周一至周五计算工作日；请升级 chinese-days 以纳入国务院公布的放假安排`;
}

/** Adds days to a local date "YYYY-MM-DD" (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  parseDate(date);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  parseDate(from);
  parseDate(to);
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The date itself when it is a workday, else the closest earlier workday. */
export function workdayOnOrBefore(cal: WorkCalendar, date: string): string {
  let d = date;
  for (let i = 0; i < 60 && !cal.isWorkday(d); i++) d = addDays(d, -1);
  return d;
}

/** The `n`-th workday strictly after `date` (n ≥ 1). */
export function nthWorkdayAfter(cal: WorkCalendar, date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (cal.isWorkday(d)) left--;
  }
  return d;
}

/** Workdays strictly after `from` up to and including `to`. */
export function workdaysBetween(cal: WorkCalendar, from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (cal.isWorkday(d)) n++;
  return n;
}

const WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"] as const;

/** "4月22日（星期六）" */
export function formatChineseDate(date: string): string {
  const { weekday } = parseDate(date);
  const [, m, d] = date.split("-").map(Number);
  return `${m}月${d}日（${WEEKDAYS[weekday]}）`;
}
