import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/decimal.js";
import type { Period, Quarter } from "../src/domain/period.js";
import { formatReportTemplate } from "../src/parsing/format-template.js";
import { MAX_INPUT_LENGTH, parseReport, parseReportStrict } from "../src/parsing/parse-report.js";
import type { ParsedReport } from "../src/parsing/parsed-report.js";
import { buildValueSchema } from "../src/parsing/report-schema.js";
import type { IndicatorDef, ZoneDef } from "../src/programme/programme.js";
import { SAMPLE_INDICATORS, SAMPLE_ZONES, sampleParseContext } from "./support/sample-parse-context.js";

const ctx = sampleParseContext();

/** Fragments that drive the parser down its real paths when glued together at random. */
const FRAGMENTS = [
  ...SAMPLE_ZONES.flatMap((z) => [z.name, z.shortName, ...z.aliases]),
  ...SAMPLE_INDICATORS.flatMap((i) => [i.label, ...i.aliases]),
  "同比",
  "增长",
  "下降",
  "百分之",
  "凤冈经开区",
  "各经开区",
  "一季度",
  "上半年",
  "前三季度",
  "1-3月",
  "1-4月",
  "Q1",
  "Q5",
  "2023年",
  "全年目标",
  "截至3月底",
  "3.2亿元",
  "32000万元",
  "3.2",
  "1,234.5",
  "3,2",
  "１５",
  "十五",
  "两",
  "一千二百万",
  "零点五亿",
  "二〇二三",
  "万万",
  "亿",
  "万元",
  "元",
  "美元",
  "12.5%",
  "-3.1%",
  "-",
  "个",
  "次",
  "家",
  "场",
  "无",
  "：",
  ":",
  "，",
  "；",
  "。",
  "、",
  "（万元）",
  "(",
  ")",
  "【",
  "】",
  "\n",
  "\n\n",
  " ",
  "一、",
  "1.",
  "联系人：",
  "单位：万元",
  "说明：",
  "以上",
  "商務(wù)",
  "經開區",
  "進出口",
  "\u0000",
  "\uD800",
  "😀",
];

function checkInvariants(report: ParsedReport): void {
  const zoneIds = new Set(ctx.zones.map((z) => z.id));
  const byKey = new Map(ctx.indicators.map((i) => [i.key, i]));
  for (const s of report.sections) {
    expect(zoneIds.has(s.zoneId)).toBe(true);
    expect(Object.keys(s.values).length).toBeGreaterThan(0);
    for (const [key, v] of Object.entries(s.values)) {
      const ind = byKey.get(key)!;
      expect(v.indicatorKey).toBe(key);
      expect(buildValueSchema(ind).safeParse(v.value).success).toBe(true);
      if (ind.kind !== "text") expect(Decimal.parse(v.value).toString()).toBe(v.value);
    }
  }
  for (const issue of report.issues) expect(issue.message.length).toBeGreaterThan(0);
}

describe("parseReport never throws", () => {
  it("on arbitrary unicode strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        checkInvariants(parseReportStrict(s, ctx));
      }),
      { numRuns: 200 },
    );
  });

  it("on random sequences of report fragments", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }), (parts) => {
        checkInvariants(parseReportStrict(parts.join(""), ctx));
      }),
      { numRuns: 1500 },
    );
  });

  it("on fragments mixed with arbitrary characters", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: "grapheme", maxLength: 4 })), {
          maxLength: 40,
        }),
        (parts) => {
          checkInvariants(parseReportStrict(parts.join(""), ctx));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses input beyond MAX_INPUT_LENGTH whole (never cut: cutting drops figures)", () => {
    const line = "惠水经开区 一季度 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个\n";
    const long = line.repeat(Math.ceil((MAX_INPUT_LENGTH * 1.5) / line.length));
    const report = parseReport(long, ctx);
    expect(report.sections).toEqual([]);
    expect(report.issues.map((i) => i.code)).toEqual(["too_long"]);
    const junk = "数".repeat(MAX_INPUT_LENGTH);
    expect(parseReport(junk, ctx).issues.map((i) => i.code)).toEqual(["no_data"]);
  });

  it("on non-string input smuggled past the types", () => {
    expect(parseReport(undefined as unknown as string, ctx).issues[0]?.code).toBe("no_data");
  });
});

const TEXT_WORDS = [
  "组织",
  "企业",
  "参加",
  "广交会",
  "招商",
  "，",
  "。",
  "；",
  "2个",
  "项目",
  "培训",
  "开展",
  "外贸",
  "工作",
  "3.2亿元",
  "一季度",
  "惠水",
];

function valueArb(ind: IndicatorDef): fc.Arbitrary<string> {
  switch (ind.kind) {
    case "money":
      return fc
        .tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.integer({ min: 0, max: 9999 }))
        .map(([i, f]) => Decimal.parse(`${i}.${String(f).padStart(4, "0")}`).toString());
    case "count":
      return fc.nat({ max: 10_000 }).map(String); // PLAUSIBLE_MAX
    case "percent":
      return fc.integer({ min: -10_000, max: 1_000_000 }).map((n) => Decimal.of(n).div(100).toString());
    default:
      return fc.array(fc.constantFrom(...TEXT_WORDS), { minLength: 1, maxLength: 20 }).map((w) => w.join(""));
  }
}

function applies(ind: IndicatorDef, zone: ZoneDef): boolean {
  return ind.groups.length === 0 || ind.groups.some((g) => zone.groups.includes(g));
}

const zoneWithValues = (zone: ZoneDef) =>
  fc
    .record(
      Object.fromEntries(SAMPLE_INDICATORS.filter((i) => applies(i, zone)).map((i) => [i.key, valueArb(i)])),
      { requiredKeys: [] },
    )
    .map((values) => ({ zone, values: consistentTotal(values as Record<string, string>) }));

/** Parts and totals must agree (出口 + 进口 = 进出口, a part never above the total). */
function consistentTotal(v: Record<string, string>): Record<string, string> {
  const parts = [v.export_value, v.import_value].filter((x): x is string => x !== undefined);
  if (parts.length === 0) return v;
  const sum = parts.reduce((a, b) => a.plus(b), Decimal.ZERO);
  return { ...v, trade_total: (parts.length === 2 ? sum : sum.plus(1)).toString() };
}

const templateInput = fc
  .tuple(
    fc.record({ year: fc.integer({ min: 2020, max: 2035 }), quarter: fc.constantFrom<Quarter>(1, 2, 3, 4) }),
    fc.shuffledSubarray(SAMPLE_ZONES, { minLength: 1, maxLength: 6 }),
  )
  .chain(([period, zones]) =>
    fc.tuple(fc.constant(period as Period), fc.tuple(...zones.map(zoneWithValues))),
  );

describe("template round trip", () => {
  it("formatting values as the template and parsing it back gives the same report", () => {
    fc.assert(
      fc.property(templateInput, ([period, zones]) => {
        const text = formatReportTemplate({ period, zones }, SAMPLE_INDICATORS);
        const report = parseReportStrict(
          text,
          sampleParseContext({ openPeriod: { year: 2019, quarter: 4 } }),
        );
        const anyValue = zones.some((z) => Object.keys(z.values).length > 0);
        // a template sent back unfilled is "no data"; otherwise nothing to complain about
        expect(report.issues.map((i) => i.code)).toEqual(anyValue ? [] : ["no_data"]);
        expect(report.period).toEqual(period);
        expect(report.periodSource).toBe("explicit");
        const got = report.sections.map((s) => ({
          zoneId: s.zoneId,
          values: Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v.value])),
        }));
        const expected = zones
          .filter((z) => Object.keys(z.values).length > 0)
          .map((z) => ({ zoneId: z.zone.id, values: z.values }));
        expect(got).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
