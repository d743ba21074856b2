import { describe, expect, it } from "vitest";
import { openPeriodAt } from "../src/calendar/open-period.js";
import { quarterDeadline, reminderPeriodsAt, reportingOpensOn } from "../src/calendar/quarter-deadlines.js";
import { createWorkCalendar } from "../src/calendar/workdays.js";
import { Decimal } from "../src/domain/decimal.js";
import { type Programme, programmeSettingsSchema } from "../src/programme/programme.js";
import { localInstant } from "../src/time/clock.js";

function programme(year: number, deadlines: string[]): Programme {
  return {
    year,
    title: "t",
    isSample: true,
    quarters: deadlines.map((deadline, i) => ({
      quarter: (i + 1) as 1 | 2 | 3 | 4,
      deadline,
      expectedProgressPct: Decimal.parse(String((i + 1) * 25)),
    })),
    indicators: [],
    prefectures: [],
    zones: [],
    targets: [],
    settings: programmeSettingsSchema.parse({}),
  };
}

describe("quarter deadlines", () => {
  const cal = createWorkCalendar();

  it("come from the stored quarters; Q4's lies in January of the next year", () => {
    const p = programme(2023, ["2023-04-22", "2023-07-15", "2023-10-15", "2024-01-15"]);
    expect(quarterDeadline(p, 1)).toBe("2023-04-22");
    expect(quarterDeadline(p, 4)).toBe("2024-01-15");
    // a later notice may move a deadline: it is data
    const moved = programme(2025, ["2025-04-25", "2025-07-15", "2025-10-15", "2026-01-20"]);
    expect(quarterDeadline(moved, 1)).toBe("2025-04-25");
    expect(() => quarterDeadline(programme(2024, ["2024-04-22"]), 3)).toThrow(
      "2024年度方案未设置第3季度的报送截止日期",
    );
  });

  it("reporting opens on the first workday after the quarter", () => {
    expect(reportingOpensOn(cal, { year: 2023, quarter: 1 })).toBe("2023-04-03");
    expect(reportingOpensOn(cal, { year: 2023, quarter: 2 })).toBe("2023-07-03");
    // 1–6 October off, Saturday 7 October is a make-up workday
    expect(reportingOpensOn(cal, { year: 2023, quarter: 3 })).toBe("2023-10-07");
    // 1 January 2024 is 元旦
    expect(reportingOpensOn(cal, { year: 2023, quarter: 4 })).toBe("2024-01-02");
  });

  it("in early January the open period is the previous year's Q4", () => {
    expect(openPeriodAt(localInstant("2024-01-10", "09:30"))).toEqual({ year: 2023, quarter: 4 });
    expect(openPeriodAt(localInstant("2024-01-01", "00:00"))).toEqual({ year: 2023, quarter: 4 });
    expect(openPeriodAt(localInstant("2023-12-31", "23:59"))).toEqual({ year: 2023, quarter: 3 });
    expect(reminderPeriodsAt(localInstant("2024-01-10", "09:30"))).toEqual([
      { year: 2023, quarter: 3 },
      { year: 2023, quarter: 4 },
    ]);
    expect(reminderPeriodsAt(localInstant("2023-04-05", "09:30"))).toEqual([
      { year: 2022, quarter: 4 },
      { year: 2023, quarter: 1 },
    ]);
  });
});
