import { describe, expect, it } from "vitest";
import { localDate } from "../src/time/clock.js";

/** The time-zone database's answer, the way localDate computed it before its fixed-offset fast path. */
const viaIntl = (at: Date) => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
};

describe("localDate (Asia/Shanghai)", () => {
  it("agrees with the time-zone database around local midnights, year ends and the DST years", () => {
    const instants: Date[] = [];
    // every local midnight ± 1 ms from 1985 (DST 1986–1991) to 2040, sampled every 17 days
    for (let t = Date.UTC(1985, 0, 1) - 8 * 3_600_000; t < Date.UTC(2040, 0, 1); t += 17 * 86_400_000) {
      for (const d of [-1, 0, 1, 3_600_000, -3_600_000]) instants.push(new Date(t + d));
    }
    instants.push(new Date("2023-12-31T15:59:59.999Z"), new Date("2023-12-31T16:00:00.000Z"));
    for (const at of instants) expect(localDate(at), at.toISOString()).toBe(viaIntl(at));
  });

  it("turns the date at 16:00 UTC", () => {
    expect(localDate(new Date("2023-04-21T15:59:59.999Z"))).toBe("2023-04-21");
    expect(localDate(new Date("2023-04-21T16:00:00.000Z"))).toBe("2023-04-22");
  });
});
