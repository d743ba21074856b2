import { describe, expect, it } from "vitest";
import { formatReportTemplate, loadReportFormLayout } from "../src/parsing/format-template.js";
import { parseReport } from "../src/parsing/parse-report.js";
import { loadTemplate } from "../src/templates/load-template.js";
import { SAMPLE_INDICATORS, sampleParseContext, sampleZone } from "./support/sample-parse-context.js";

describe("report form template", () => {
  it("is loaded from templates/report-form.json", () => {
    expect(JSON.parse(loadTemplate("report-form.json")).fields.money).toContain("{label}");
    expect(() => loadTemplate("../package.json")).toThrow(/outside templates/);
    expect(() => loadTemplate("no-such-template.txt")).toThrow(
      /template not found: templates\/no-such-template.txt/,
    );
  });

  it("names the quarter and each zone, with only the zone's indicators", () => {
    const text = formatReportTemplate(
      {
        period: { year: 2023, quarter: 2 },
        zones: [{ zone: sampleZone("Z5227-HUISHUI") }, { zone: sampleZone("Z5201-XIUWEN") }],
      },
      SAMPLE_INDICATORS,
    );
    expect(text).toContain("报送期间：2023年二季度");
    expect(text).toContain("【惠水经济开发区】\n进出口额（万元）：\n");
    expect(text).toContain("包装招商项目（个）：\n");
    // 修文 is not a foreign-trade zone in the sample: only the text fields apply
    expect(text).toContain("【修文经济开发区】\n主要工作：\n存在问题：\n下步打算：\n");
  });

  it("pre-fills values that parse back unchanged", () => {
    const values = {
      trade_total: "32000.5",
      trade_yoy: "-3.1",
      projects: "3",
      work_done: "组织企业参加广交会",
    };
    const text = formatReportTemplate(
      { period: { year: 2023, quarter: 1 }, zones: [{ zone: sampleZone("Z5206-SONGTAO"), values }] },
      SAMPLE_INDICATORS,
    );
    expect(text).toContain("进出口额（万元）：32000.5");
    const report = parseReport(text, sampleParseContext());
    expect(report.issues).toEqual([]);
    expect(report.sections).toHaveLength(1);
    expect(
      Object.fromEntries(Object.entries(report.sections[0]!.values).map(([k, v]) => [k, v.value])),
    ).toEqual(values);
  });

  it("uses a layout passed in (editable data, not code)", () => {
    const layout = { ...loadReportFormLayout(), header: ["{periodLabel} 报表"], footer: [] };
    const text = formatReportTemplate(
      { period: { year: 2024, quarter: 3 }, zones: [] },
      SAMPLE_INDICATORS,
      layout,
    );
    expect(text).toBe("2024年第三季度 报表");
  });
});
