import { describe, expect, it } from "vitest";
import { parseReportStrict } from "../src/parsing/parse-report.js";
import { findPeriodMentions } from "../src/parsing/periods.js";
import { sampleParseContext } from "./support/sample-parse-context.js";

const first = (s: string) => {
  const m = findPeriodMentions(s)[0];
  return m ? { quarter: m.quarter, year: m.year, problem: m.problem !== undefined } : undefined;
};

describe("period mentions", () => {
  it.each([
    ["2023年一季度", 1, 2023],
    ["2023年第一季度", 1, 2023],
    ["一季度", 1, undefined],
    ["第一季度", 1, undefined],
    ["1季度", 1, undefined],
    ["Q1", 1, undefined],
    ["q2", 2, undefined],
    ["2023Q3", 3, 2023],
    ["2023-Q4", 4, 2023],
    ["1-3月", 1, undefined],
    ["1月至3月", 1, undefined],
    ["一至六月", 2, undefined],
    ["上半年", 2, undefined],
    ["前三季度", 3, undefined],
    ["1-9月", 3, undefined],
    ["1-12月", 4, undefined],
    ["全年", 4, undefined],
    ["2023年全年", 4, 2023],
    ["四季度", 4, undefined],
    ["截至3月底", 1, undefined],
    ["截止2023年6月末", 2, 2023],
    ["二〇二三年第二季度", 2, 2023],
    ["23年三季度", 3, 2023],
  ])("%s → Q%s %s", (text, quarter, year) => {
    expect(first(text)).toEqual({ quarter, year, problem: false });
  });

  it.each(["五季度", "Q5", "1-4月", "4-6月", "1-2月"])("%s is a bad period", (text) => {
    expect(first(text)?.problem).toBe(true);
  });

  it.each(["全年目标", "2023年4月20日", "截至4月20日", "0854-8221234", "下半年将继续", "每季度", "2023年度"])(
    "%s names no period",
    (text) => {
      expect(findPeriodMentions(text)).toEqual([]);
    },
  );

  it("finds several mentions in order without overlaps", () => {
    const found = findPeriodMentions("2023年第一季度（1-3月），上半年进出口，全年目标");
    expect(found.map((m) => m.text)).toEqual(["2023年第一季度", "1-3月", "上半年"]);
  });
});

describe("a single month's or a quarter's own figure for a cumulative field", () => {
  it("is asked, naming the running total the open quarter asks for (C9: 1-6月 in Q2)", () => {
    const ctx = sampleParseContext({ openPeriod: { year: 2023, quarter: 2 } });
    const r = parseReportStrict("凯里经开区4月进出口4000万元，5月进出口3800万元", ctx);
    expect(r.sections.flatMap((s) => Object.keys(s.values))).toEqual([]);
    const asked = r.issues.filter((i) => i.field === "trade_total");
    expect(asked.length).toBeGreaterThan(0);
    for (const i of asked) expect(i.message).toContain("请报送1-6月的累计数");
  });
});
