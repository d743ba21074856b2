import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone.js";
import utc from "dayjs/plugin/utc.js";

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every local date and time in the product is Asia/Shanghai. */
export const TZ = "Asia/Shanghai";

/** Injected wherever "now" matters, so tests and `--now` can move time. */
export interface Clock {
  now(): Date;
  /**
   * Clock milliseconds per timer millisecond, for code that waits on a timer until a clock time
   * (the outbox dispatcher's wake-up). 1 when absent; a bench's scaled clock runs faster.
   */
  readonly rate?: number;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(
  at: Date | string,
): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at);
  return {
    now: () => new Date(t),
    set: (v) => {
      t = new Date(v);
    },
    advance: (ms) => {
      t = new Date(t.getTime() + ms);
    },
  };
}

/** A dayjs in Asia/Shanghai. */
export function local(at: Date | string | number = new Date()): dayjs.Dayjs {
  return dayjs(at).tz(TZ);
}

/** The instant of a local Shanghai date-time, e.g. localInstant("2023-04-21", "09:30"). */
export function localInstant(date: string, time = "00:00"): Date {
  return dayjs.tz(`${date} ${time}`, "YYYY-MM-DD HH:mm", TZ).toDate();
}

/** One formatter for the hot path: dayjs' tz() builds an Intl formatter per call (≈ 40 % of a message's CPU). */
const DATE_PARTS = new Intl.DateTimeFormat("en-US", {
  timeZone: TZ,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/**
 * Shanghai has kept UTC+8 without daylight saving since 1992 (it had DST in 1986–1991): from then on
 * the local date is plain arithmetic; earlier instants go through the time-zone database.
 */
const FIXED_OFFSET_FROM = Date.UTC(1992, 0, 1);
const OFFSET_MS = 8 * 3_600_000;

/** "YYYY-MM-DD" of the instant in Shanghai. */
export function localDate(at: Date): string {
  const t = at.getTime();
  if (t >= FIXED_OFFSET_FROM && t < 253_402_300_800_000 - OFFSET_MS) {
    // ISO text of the shifted instant (years 1992–9999 print as four digits)
    return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
  }
  let y = "";
  let m = "";
  let d = "";
  for (const p of DATE_PARTS.formatToParts(at)) {
    if (p.type === "year") y = p.value;
    else if (p.type === "month") m = p.value;
    else if (p.type === "day") d = p.value;
  }
  return `${y.padStart(4, "0")}-${m}-${d}`;
}

export function formatLocal(at: Date, pattern = "YYYY-MM-DD HH:mm"): string {
  return local(at).format(pattern);
}

export { dayjs };
