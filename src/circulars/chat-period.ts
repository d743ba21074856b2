import { openPeriodAt } from "../calendar/open-period.js";
import { type Period, parsePeriodKey, type Quarter } from "../domain/period.js";

const CN: Record<string, Quarter> = { 一: 1, 二: 2, 三: 3, 四: 4, "1": 1, "2": 2, "3": 3, "4": 4 };

/** A period written by the task force in chat: 2023Q2, 2023年二季度, 2023年第二季度, 二季度, Q2 (the open period's year). */
export const CHAT_PERIOD_PATTERN =
  "(?:\\d{4}\\s*-?\\s*[Qq][1-4]|\\d{4}\\s*年\\s*第?\\s*[一二三四1-4]\\s*季度|第?[一二三四1-4]季度|[Qq][1-4])";

/**
 * Parses a chat period (normalised, half-width text); a period without a year takes the year of the
 * period open for reporting at `now` (so "Q4" in January means last year's Q4). Undefined when unreadable.
 */
export function parseChatPeriod(text: string, now: Date): Period | undefined {
  const t = text.trim().replace(/\s+/g, "");
  const key = parsePeriodKey(t);
  if (key) return key;
  const full = /^(\d{4})年第?([一二三四1-4])季度$/.exec(t);
  if (full) return { year: Number(full[1]), quarter: CN[full[2]!]! };
  const bare = /^(?:第?([一二三四1-4])季度|[Qq]([1-4]))$/.exec(t);
  if (bare) return { year: openPeriodAt(now).year, quarter: CN[(bare[1] ?? bare[2])!]! };
  return undefined;
}
