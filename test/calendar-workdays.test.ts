import { execFileSync } from "node:child_process";
import cd from "chinese-days";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  createWorkCalendar,
  daysBetween,
  formatChineseDate,
  holidayDataCovers,
  holidayDataYears,
  nthWorkdayAfter,
  workdayOnOrBefore,
  workdaysBetween,
} from "../src/calendar/workdays.js";

const isoDate = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** Arbitrary valid calendar dates in [from, to] years. */
const dateIn = (from: number, to: number) =>
  fc
    .integer({ min: 0, max: (to - from + 1) * 366 - 1 })
    .map((n) => addDays(`${from}-01-01`, n))
    .filter((d) => Number(d.slice(0, 4)) <= to);

describe("work calendar (chinese-days)", () => {
  const cal = createWorkCalendar();

  it("National Day 2023: 1–6 October off, the make-up Saturday and Sunday 7–8 October are workdays", () => {
    for (let d = 1; d <= 6; d++) expect(cal.isWorkday(isoDate(2023, 10, d))).toBe(false);
    expect(cal.isWorkday("2023-10-07")).toBe(true); // Saturday
    expect(cal.isWorkday("2023-10-08")).toBe(true); // Sunday
    expect(cal.isWorkday("2023-10-09")).toBe(true);
    expect(cal.isWorkday("2023-09-29")).toBe(false); // 中秋
  });

  it("2023's weekend deadlines are not workdays; Sunday 23 April 2023 is a make-up workday", () => {
    expect(cal.isWorkday("2023-04-22")).toBe(false);
    expect(cal.isWorkday("2023-07-15")).toBe(false);
    expect(cal.isWorkday("2023-10-15")).toBe(false);
    expect(cal.isWorkday("2023-04-23")).toBe(true);
    expect(cal.isWorkday("2024-01-01")).toBe(false); // 元旦
    expect(cal.isWorkday("2024-01-15")).toBe(true);
  });

  it("moves to the previous workday and counts workdays across holidays", () => {
    expect(workdayOnOrBefore(cal, "2023-04-22")).toBe("2023-04-21");
    expect(workdayOnOrBefore(cal, "2023-10-15")).toBe("2023-10-13");
    expect(workdayOnOrBefore(cal, "2023-10-08")).toBe("2023-10-08");
    expect(workdayOnOrBefore(cal, "2023-10-06")).toBe("2023-09-28");
    expect(nthWorkdayAfter(cal, "2023-09-30", 1)).toBe("2023-10-07");
    expect(nthWorkdayAfter(cal, "2023-04-22", 1)).toBe("2023-04-23");
    expect(nthWorkdayAfter(cal, "2023-12-31", 1)).toBe("2024-01-02");
    expect(nthWorkdayAfter(cal, "2023-04-22", 6)).toBe("2023-04-28");
    expect(nthWorkdayAfter(cal, "2023-04-22", 7)).toBe("2023-05-04"); // 29 Apr – 3 May off
    expect(workdaysBetween(cal, "2023-04-21", "2023-04-22")).toBe(0);
    expect(workdaysBetween(cal, "2023-09-28", "2023-10-08")).toBe(2);
  });

  it("date helpers", () => {
    expect(addDays("2023-12-31", 1)).toBe("2024-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(daysBetween("2023-04-19", "2023-04-22")).toBe(3);
    expect(daysBetween("2024-01-15", "2024-01-12")).toBe(-3);
    expect(formatChineseDate("2023-04-22")).toBe("4月22日（星期六）");
    expect(() => cal.isWorkday("2023-02-30")).toThrow(/2023-02-30/);
    expect(() => cal.isWorkday("22.4.2023")).toThrow(/YYYY-MM-DD/);
  });

  it("agrees with chinese-days' own isWorkday on every covered year (property)", () => {
    fc.assert(
      fc.property(dateIn(2004, 2026), (d) => cal.isWorkday(d) === cd.isWorkday(d)),
      { numRuns: 2000 },
    );
  });
});

describe("years without holiday data", () => {
  it("coverage is read from the package's data: 2004–2026", () => {
    const years = holidayDataYears();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(holidayDataCovers(2023)).toBe(true);
    expect(holidayDataCovers(2027)).toBe(false);
    expect(holidayDataCovers(2003)).toBe(false);
  });

  it("falls back to Monday–Friday and reports each uncovered year once", () => {
    const seen: number[] = [];
    const cal = createWorkCalendar({ onUncoveredYear: (y) => seen.push(y) });
    expect(cal.covers(2030)).toBe(false);
    // 1 October 2030 is a Tuesday: a holiday in reality, but there is no data for 2030
    expect(cal.isWorkday("2030-10-01")).toBe(true);
    expect(cal.isWorkday("2030-10-05")).toBe(false); // Saturday
    expect(cal.isWorkday("2030-10-07")).toBe(true);
    expect(cal.isWorkday("2031-01-01")).toBe(true); // Wednesday
    expect(cal.isWorkday("2023-10-02")).toBe(false); // covered year unaffected
    expect(seen).toEqual([2030, 2031]);
    fc.assert(
      fc.property(dateIn(2027, 2045), (d) => {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        return cal.isWorkday(d) === (weekday >= 1 && weekday <= 5);
      }),
      { numRuns: 500 },
    );
  });
});

describe("process time zone", () => {
  it("gives the same answers west of UTC, where chinese-days alone goes wrong", () => {
    const code = `
      import { createWorkCalendar } from "./src/calendar/workdays.ts";
      const cal = createWorkCalendar();
      const days = ["2023-04-22", "2023-04-23", "2023-10-06", "2023-10-07", "2023-10-08", "2024-01-15"];
      console.log(JSON.stringify({ ours: days.map((d) => cal.isWorkday(d)) }));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: process.cwd(),
      env: { ...process.env, TZ: "America/New_York" },
      encoding: "utf8",
    });
    const { ours } = JSON.parse(out.trim().split("\n").at(-1)!) as { ours: boolean[] };
    expect(ours).toEqual([false, true, false, true, true, true]);
  });
});
