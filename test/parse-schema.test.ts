import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/decimal.js";
import { suspectWanYuanConfusion } from "../src/parsing/magnitude.js";
import { buildReportSchema, buildValueSchema } from "../src/parsing/report-schema.js";
import { SAMPLE_INDICATORS } from "./support/sample-parse-context.js";

const ind = (key: string) => SAMPLE_INDICATORS.find((i) => i.key === key)!;
const message = (key: string, value: string) => {
  const r = buildValueSchema(ind(key)).safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
};

describe("value schemas built from indicator definitions", () => {
  it("counts are non-negative integers, with a Chinese message naming the field", () => {
    expect(message("projects", "3")).toBeUndefined();
    expect(message("projects", "0")).toBeUndefined();
    expect(message("projects", "-2")).toBe(
      "「包装招商项目」应为不小于0的整数（读到“-2”），例如：包装招商项目：3个",
    );
    expect(message("trips", "2.5")).toBe("「赴外招商」应为不小于0的整数（读到“2.5”），例如：赴外招商：3次");
    expect(message("trips", "三")).toContain("「赴外招商」");
  });

  it("money is a non-negative decimal in 万元", () => {
    expect(message("trade_total", "32000")).toBeUndefined();
    expect(message("trade_total", "0.5")).toBeUndefined();
    expect(message("trade_total", "-1")).toMatch(
      /^「进出口额」应为不小于0的金额.*读到“-1”.*例如：进出口额：3\.2亿元/,
    );
    expect(message("trade_total", "3.2亿")).toContain("读到“3.2亿”");
  });

  it("percentages lie between -100 and 10000", () => {
    expect(message("trade_yoy", "-3.1")).toBeUndefined();
    expect(message("trade_yoy", "-100")).toBeUndefined();
    expect(message("trade_yoy", "10000")).toBeUndefined();
    expect(message("trade_yoy", "-100.1")).toContain("「进出口同比」");
    expect(message("trade_yoy", "20000")).toContain("读到“20000”");
  });

  it("text is non-empty and at most 2000 characters", () => {
    expect(message("work_done", "组织企业参加广交会")).toBeUndefined();
    expect(message("work_done", "  ")).toContain("「主要工作」不能为空");
    expect(message("work_done", "字".repeat(2001))).toContain("不能超过2000字");
  });

  it("agrees with Decimal on arbitrary count strings", () => {
    const schema = buildValueSchema(ind("entities"));
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        expect(schema.safeParse(String(n)).success).toBe(n >= 0);
      }),
    );
  });

  it("builds a whole-report schema keyed by indicator", () => {
    const schema = buildReportSchema(SAMPLE_INDICATORS);
    expect(schema.safeParse({ trade_total: "32000", projects: "3" }).success).toBe(true);
    const bad = schema.safeParse({ trade_total: "32000", projects: "-1", bogus: "1" });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message);
    expect(messages).toContain("「包装招商项目」应为不小于0的整数（读到“-1”），例如：包装招商项目：3个");
    expect(messages.some((m) => m.includes("未知的填报项") && m.includes("bogus"))).toBe(true);
  });
});

describe("suspectWanYuanConfusion", () => {
  const d = (s: string) => Decimal.parse(s);
  it("flags values about 10 000× off the reference either way", () => {
    expect(suspectWanYuanConfusion(d("320000000"), d("32000"))).toBe(true);
    expect(suspectWanYuanConfusion(d("3.2"), d("32000"))).toBe(true);
    expect(suspectWanYuanConfusion(d("64000000"), d("30000"))).toBe(true);
  });

  it("does not flag ordinary growth, or no reference", () => {
    expect(suspectWanYuanConfusion(d("32000"), d("30000"))).toBe(false);
    expect(suspectWanYuanConfusion(d("320000"), d("32000"))).toBe(false);
    expect(suspectWanYuanConfusion(d("32000"), undefined)).toBe(false);
    expect(suspectWanYuanConfusion(d("32000"), d("0"))).toBe(false);
    expect(suspectWanYuanConfusion(d("0"), d("32000"))).toBe(false);
  });

  it("uses the bounds 2000 and 50000", () => {
    expect(suspectWanYuanConfusion(d("2000"), d("1"))).toBe(true);
    expect(suspectWanYuanConfusion(d("1999"), d("1"))).toBe(false);
    expect(suspectWanYuanConfusion(d("50000"), d("1"))).toBe(true);
    expect(suspectWanYuanConfusion(d("50001"), d("1"))).toBe(false);
  });
});
