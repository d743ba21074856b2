import type { Period, Quarter } from "../domain/period.js";
import type { Programme } from "../programme/programme.js";
import { openPeriodAt, quarterDates } from "./open-period.js";
import { nthWorkdayAfter, type WorkCalendar } from "./workdays.js";

/**
 * The stored deadline of a quarter ("YYYY-MM-DD", Asia/Shanghai). Q4's lies in January of the next
 * calendar year. Throws with a Chinese message naming the year and quarter when it is not set up.
 */
export function quarterDeadline(
  programme: Pick<Programme, "year"> & { quarters: { quarter: Quarter; deadline: string }[] },
  quarter: Quarter,
): string {
  const q = programme.quarters.find((x) => x.quarter === quarter);
  if (!q) throw new Error(`${programme.year}年度方案未设置第${quarter}季度的报送截止日期`);
  return q.deadline;
}

/** Local date the quarter's reporting opens: the first workday after the quarter's last day. */
export function reportingOpensOn(cal: WorkCalendar, period: Period): string {
  return nthWorkdayAfter(cal, quarterDates(period).end, 1);
}

function previousPeriod(p: Period): Period {
  return p.quarter === 1
    ? { year: p.year - 1, quarter: 4 }
    : { year: p.year, quarter: (p.quarter - 1) as Quarter };
}

/**
 * The periods whose reminders may be due at an instant: the quarter open for reporting (in January to
 * March the previous programme year's Q4) and the one before it, whose overdue reminders can still run
 * when a stored deadline lies late. Each period's `year` is its programme year.
 */
export function reminderPeriodsAt(at: Date): Period[] {
  const open = openPeriodAt(at);
  return [previousPeriod(open), open];
}
