// A prefecture's total broken down by zone after 其中 (src/parsing/prefecture-breakdown.ts, DEFECTS-round2.md C5):
// the zones' parts are stored, the total is named back; any other shape stays a question.
import { describe, expect, it } from "vitest";
import { parseReportStrict } from "../src/parsing/parse-report.js";
import type { ParsedReport } from "../src/parsing/parsed-report.js";
import { sampleParseContext } from "./support/sample-parse-context.js";

const ctx = sampleParseContext({ prefectureCode: "5203" });
const parse = (t: string, c = ctx) => parseReportStrict(t, c);
const values = (r: ParsedReport) =>
  Object.fromEntries(
    r.sections.map((s) => [
      s.zoneId,
      Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v.value])),
    ]),
  );

describe("a prefecture total with its zones after 其中", () => {
  it("stores each zone's part and names the total back", () => {
    const r = parse("全市经开区一季度合计完成进出口5.38亿元，其中湄潭0.56亿元，仁怀4.5亿元，正安0.32亿元。");
    expect(values(r)).toEqual({
      "Z5203-MEITAN": { trade_total: "5600" },
      "Z5203-RENHUAI": { trade_total: "45000" },
      "Z5203-ZHENGAN": { trade_total: "3200" },
    });
    expect(r.issues).toEqual([]);
    expect(r.notes.map((n) => [n.code, n.read])).toEqual([
      ["ignored_row", "全市经开区一季度合计完成进出口5.38亿元"],
    ]);
    expect(r.notes[0]!.message).toContain("全州（市）的合计");
    expect(r.period).toEqual({ year: 2023, quarter: 1 });
    // the raw text of each value writes the field out
    expect(r.sections[1]!.values.trade_total!.raw).toBe("仁怀 进出口额：4.5亿元");
  });

  it.each([
    [
      "全市经开区包装招商项目12个，其中湄潭5个、仁怀7个",
      { "Z5203-MEITAN": { projects: "5" }, "Z5203-RENHUAI": { projects: "7" } },
    ],
    [
      "全市经开区进出口5.38亿元，其中湄潭经开区0.56亿元、仁怀经开区4.5亿元",
      { "Z5203-MEITAN": { trade_total: "5600" }, "Z5203-RENHUAI": { trade_total: "45000" } },
    ],
    [
      "我市经开区进出口额合计5.38亿元，其中：湄潭为0.56亿元；仁怀为4.5亿元",
      { "Z5203-MEITAN": { trade_total: "5600" }, "Z5203-RENHUAI": { trade_total: "45000" } },
    ],
  ])("%s", (text, expected) => {
    const r = parse(text);
    expect(values(r)).toEqual(expected);
    expect(r.issues).toEqual([]);
    expect(r.notes.map((n) => n.code)).toEqual(["ignored_row"]);
  });

  it.each([
    ["parts adding up to more than the total", "全市经开区进出口5.38亿元，其中湄潭5.6亿元，仁怀4.5亿元"],
    ["a rate after the parts", "全市经开区进出口5.38亿元，其中湄潭0.56亿元，仁怀4.5亿元，增长12%"],
    ["parts without a unit", "全市经开区进出口5.38亿元，其中湄潭5600，仁怀45000"],
    ["a field narrowed to a product", "全市经开区吉他出口5亿元，其中湄潭1亿元，仁怀2亿元"],
    ["a single month where the running total is asked", "全市经开区3月进出口5.38亿元，其中湄潭0.56亿元"],
    ["a zone twice", "全市经开区进出口5.38亿元，其中湄潭0.56亿元，湄潭0.3亿元"],
    ["a name that is no zone of the roster", "全市经开区进出口5.38亿元，其中凤冈0.56亿元"],
    ["another field among the parts", "全市经开区进出口5.38亿元，其中湄潭0.56亿元，包装招商项目3个"],
    // found by an adversarial review of the first version
    ["a bound in a part (余)", "全市经开区进出口5.38亿元，其中湄潭5000余万元，仁怀4.5亿元"],
    ["an estimate in a part (多)", "全市经开区进出口5.38亿元，其中湄潭0.5亿多元"],
    ["a target", "全市经开区目标：进出口5.38亿元，其中湄潭0.56亿元"],
    ["a year's target", "全市经开区全年目标 进出口10亿元，其中湄潭2亿元"],
    ["a plan before the period", "全市经开区计划一季度进出口5.38亿元，其中湄潭0.56亿元"],
    ["an estimate before the period", "全市经开区预计一季度进出口5.38亿元，其中湄潭0.56亿元"],
    ["last year's figures", "全市经开区去年一季度进出口5.38亿元，其中湄潭0.56亿元，仁怀4.5亿元"],
    ["last year's figures in brackets", "全市经开区（上年同期）进出口5.38亿元，其中湄潭0.56亿元"],
    ["a market", "全市经开区对美一季度出口5.38亿元，其中湄潭0.56亿元"],
    ["a trade mode", "全市经开区跨境电商 出口5.38亿元，其中湄潭0.56亿元"],
    ["a kind of firm", "全市经开区规上企业一季度进出口5.38亿元，其中湄潭0.56亿元"],
    ["an exclusion", "全市经开区一季度（不含保税区）进出口5.38亿元，其中湄潭0.56亿元"],
    ["the province's total", "全省经开区进出口100亿元，其中遵义5.38亿元"],
    ["a zone of another prefecture", "全州经开区进出口5.38亿元，其中贵阳0.56亿元"],
    ["the prefecture without 经开区 (its counties)", "全市进出口50亿元，其中湄潭3亿元，仁怀20亿元"],
    ["a list going on below", "全市经开区进出口5.38亿元，其中湄潭0.56亿元；\n仁怀4.5亿元"],
    [
      "parts without their own unit under 单位：万元",
      "单位：万元\n全市经开区进出口5.38亿元，其中湄潭0.56，仁怀4.5",
    ],
  ])("asks, storing nothing, on %s", (_why, text) => {
    const r = parse(text);
    expect(r.sections).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(["unknown_zone"]);
    expect(r.issues[0]!.message).toContain("全州（市）的合计数据");
  });

  it("does not give a later figure without a zone to the sender's own zone", () => {
    const own = { ...ctx, defaultZoneId: "Z5203-MEITAN" };
    const r = parse("全市经开区进出口5.38亿元，其中湄潭0.56亿元\n包装招商项目12个", own);
    expect(values(r)).toEqual({ "Z5203-MEITAN": { trade_total: "5600" } });
    expect(Object.keys(r.unassigned ?? {})).toEqual(["projects"]);
    // without the total first, the same line is the sender's zone's
    expect(values(parse("包装招商项目12个", own))).toEqual({ "Z5203-MEITAN": { projects: "12" } });
  });
});
