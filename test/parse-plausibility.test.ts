// Plausibility (#11 point 6): bounds come from the indicator definitions (a ceiling per kind, in the
// indicator's unit) and from the zone's target and confirmed history; beyond them the parser asks and stores
// nothing. Within the ~10 000× band the dialogue's "是否应为万元？" question keeps its place.
import { describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/decimal.js";
import { parseReportStrict } from "../src/parsing/parse-report.js";
import type { ParseContext } from "../src/parsing/parsed-report.js";
import { plausibilityProblem, valueReferences } from "../src/parsing/plausibility.js";
import { sampleParseContext } from "./support/sample-parse-context.js";

const HUISHUI = "Z5227-HUISHUI";
const references = valueReferences(
  [
    { scope: "zone", zoneId: HUISHUI, indicatorKey: "trade_total", value: Decimal.of(100) },
    { scope: "zone", zoneId: HUISHUI, indicatorKey: "projects", value: Decimal.of(10) },
    { scope: "group", groupCode: "foreign_trade", indicatorKey: "trade_total", value: Decimal.of(1_300_000) },
  ],
  [{ zoneId: HUISHUI, values: { trips: "20" } }],
);
const withRefs: ParseContext = { ...sampleParseContext(), references };
const without = sampleParseContext();

function read(text: string, ctx = withRefs) {
  const r = parseReportStrict(text, ctx);
  return {
    values: Object.fromEntries(
      r.sections.flatMap((s) => Object.entries(s.values).map(([k, v]) => [k, v.value])),
    ),
    asked: r.issues.filter((i) => i.code === "implausible_value").map((i) => [i.field, i.message]),
  };
}

describe("plausibility bounds", () => {
  it("the ceiling of the indicator's kind applies with or without references", () => {
    for (const text of [
      "惠水经开区 进出口5000000亿元",
      "惠水经开区 进出口99999999999999999999亿元",
      "惠水经开区 进出口1.5万亿元",
      "惠水经开区 进出口20000亿元",
    ]) {
      const r = read(text, without);
      expect(r.values).toEqual({});
      expect(r.asked).toHaveLength(1);
      expect(r.asked[0]![1]).toContain("超出一个经开区可能的范围（不超过1万亿元）");
    }
  });

  it("a money figure far beyond the zone's target is asked about, not stored", () => {
    // target 100万元: 5000亿元 is 500 000× — no 万/亿 mix-up explains it
    const r = read("惠水经开区 进出口5000亿元，包装招商项目3个");
    expect(r.values).toEqual({ projects: "3" });
    expect(r.asked).toEqual([
      [
        "trade_total",
        expect.stringContaining("是该经开区年度目标（100万元）的100,000倍以上，不大可能，本次未保存"),
      ],
    ]);
    // without the target the same figure is within the ceiling and read
    expect(read("惠水经开区 进出口5000亿元", without).values).toEqual({ trade_total: "50000000" });
  });

  it("about 10 000× the target is left to the dialogue's 是否应为万元 question", () => {
    expect(read("惠水经开区 进出口100亿元")).toEqual({ values: { trade_total: "1000000" }, asked: [] });
  });

  it("counts: bound by the target (and by confirmed history), in tables too", () => {
    expect(read("惠水经开区 包装招商项目600个").asked).toEqual([
      ["projects", expect.stringContaining("年度目标（10个）的50倍以上")],
    ]);
    expect(read("惠水经开区 包装招商项目300个").values).toEqual({ projects: "300" });
    expect(read("惠水经开区 赴外招商1200次").asked).toEqual([
      ["trips", expect.stringContaining("已确认的数（20次）的50倍以上")],
    ]);
    expect(read("经开区\t包装招商项目\t赴外招商\n惠水\t9000\t3").values).toEqual({ trips: "3" });
    expect(read("经开区\t包装招商项目\t赴外招商\n惠水\t9000\t3", without).values).toEqual({
      projects: "9000",
      trips: "3",
    });
  });

  it("another zone is not bound by this zone's references", () => {
    expect(read("龙里经开区 包装招商项目600个").values).toEqual({ projects: "600" });
  });

  it("a reference of 0 or 1 is no basis for a relative bound", () => {
    const ind = withRefs.indicators.find((i) => i.key === "projects")!;
    expect(plausibilityProblem(ind, "600", "600个", { target: "1" })).toBeUndefined();
    expect(plausibilityProblem(ind, "600", "600个", { target: "0", history: ["1"] })).toBeUndefined();
    expect(plausibilityProblem(ind, "101", "101个", { target: "2" })).toContain("50倍以上");
  });
});
