import { describe, expect, it } from "vitest";
import { parseChatPeriod } from "../src/circulars/chat-period.js";
import { chineseNumeral, parseOutline } from "../src/circulars/docx-outline.js";
import { pctText, valueText, yoyText } from "../src/circulars/format.js";
import { renderTemplate, TemplateError } from "../src/templates/render-template.js";

describe("renderTemplate", () => {
  it("fills values, nested paths, lists, conditions and drops standalone tag lines", () => {
    const tpl = [
      "# {{title}}",
      "{{! a comment line disappears }}",
      "{{#rows}}",
      "{{rank}}. {{name}}{{#late}}（逾期）{{/late}} — {{meta.unit}}",
      "{{/rows}}",
      "{{^rows}}",
      "无",
      "{{/rows}}",
      "{{#extra}}",
      "额外：{{note}}",
      "{{/extra}}",
      "end",
    ].join("\n");
    const view = {
      title: "通报",
      meta: { unit: "万元" },
      rows: [
        { rank: 1, name: "甲", late: false },
        { rank: 2, name: "乙", late: true },
      ],
      extra: { note: "注" },
    };
    expect(renderTemplate(tpl, view, "t1")).toBe("# 通报\n1. 甲 — 万元\n2. 乙（逾期） — 万元\n额外：注\nend");
    expect(renderTemplate(tpl, { ...view, rows: [], extra: false }, "t1")).toBe("# 通报\n无\nend");
  });

  it("{{.}} is the current item; numbers and booleans print; null prints nothing", () => {
    expect(
      renderTemplate(
        "{{#xs}}[{{.}}]{{/xs}}|{{n}}|{{b}}|{{z}}",
        { xs: ["a", "b"], n: 0, b: true, z: null },
        "t2",
      ),
    ).toBe("[a][b]|0|true|");
  });

  it("an unknown placeholder is an error naming the template and line", () => {
    expect(() => renderTemplate("ok\n{{missing}}", {}, "circular.md.tpl")).toThrow(
      /模板 circular\.md\.tpl 第2行：占位符 \{\{missing\}\} 没有对应的数据/,
    );
    expect(() => renderTemplate("{{a.b}}", { a: { c: 1 } }, "x")).toThrow(/缺少 b/);
  });

  it("mismatched or unclosed sections are errors", () => {
    expect(() => renderTemplate("{{#a}}x{{/b}}", { a: true }, "x")).toThrow(TemplateError);
    expect(() => renderTemplate("{{#a}}\nx", { a: true }, "x")).toThrow(/没有结束标记/);
    expect(() => renderTemplate("{{list}}", { list: [1] }, "x")).toThrow(/是列表或对象/);
  });

  it("values are not re-read as template syntax (nothing is executed)", () => {
    expect(renderTemplate("{{v}}", { v: "{{constructor}} <font>" }, "x")).toBe("{{constructor}} <font>");
    expect(() => renderTemplate("{{constructor}}", {}, "x")).toThrow(TemplateError);
  });
});

describe("docx outline", () => {
  it("numbers headings 一、（一）1.（1） and resets lower levels", () => {
    const blocks = parseOutline(
      [
        "= 标题",
        "# 甲",
        "## 子",
        "### 细",
        "#### 末",
        "#### 末二",
        "## 子二",
        "# 乙",
        "## 子三",
        "正文",
        "--- 横向",
        "[[表格 foreign_trade]]",
      ].join("\n"),
    );
    expect(blocks).toEqual([
      { kind: "title", text: "标题" },
      { kind: "heading", level: 1, number: "一、", text: "甲" },
      { kind: "heading", level: 2, number: "（一）", text: "子" },
      { kind: "heading", level: 3, number: "1.", text: "细" },
      { kind: "heading", level: 4, number: "（1）", text: "末" },
      { kind: "heading", level: 4, number: "（2）", text: "末二" },
      { kind: "heading", level: 2, number: "（二）", text: "子二" },
      { kind: "heading", level: 1, number: "二、", text: "乙" },
      { kind: "heading", level: 2, number: "（一）", text: "子三" },
      { kind: "body", text: "正文" },
      { kind: "section", landscape: true },
      { kind: "table", ref: "foreign_trade" },
    ]);
  });
  it("writes Chinese numerals up to 99", () => {
    expect([1, 9, 10, 11, 20, 21, 99].map(chineseNumeral)).toEqual([
      "一",
      "九",
      "十",
      "十一",
      "二十",
      "二十一",
      "九十九",
    ]);
  });
});

describe("parseChatPeriod", () => {
  const july = new Date("2023-07-20T02:00:00Z");
  const january = new Date("2024-01-05T02:00:00Z");
  it.each([
    ["2023Q2", { year: 2023, quarter: 2 }],
    ["2023q3", { year: 2023, quarter: 3 }],
    ["2023年二季度", { year: 2023, quarter: 2 }],
    ["2023年第四季度", { year: 2023, quarter: 4 }],
    ["二季度", { year: 2023, quarter: 2 }],
    ["Q1", { year: 2023, quarter: 1 }],
  ])("%s", (text, period) => {
    expect(parseChatPeriod(text, july)).toEqual(period);
  });
  it("a bare quarter in January belongs to last year's open period", () => {
    expect(parseChatPeriod("四季度", january)).toEqual({ year: 2023, quarter: 4 });
    expect(parseChatPeriod("2023Q5", july)).toBeUndefined();
    expect(parseChatPeriod("上周", july)).toBeUndefined();
  });
});

describe("display rounding (the only place figures are rounded)", () => {
  it("rates half-up to one decimal; growth that shows as 0.0% is 持平", () => {
    expect(pctText("34.615385")).toBe("34.6%");
    expect(pctText("53.35")).toBe("53.4%");
    expect(pctText("-0.05")).toBe("-0.1%");
    expect(pctText(null)).toBe("—");
    expect(yoyText("7.388672")).toBe("增长7.4%");
    expect(yoyText("-5")).toBe("下降5.0%");
    expect(yoyText("-0.05")).toBe("下降0.1%");
    expect(yoyText("0.04")).toBe("持平");
    expect(yoyText("-0.04")).toBe("持平");
    expect(yoyText("0")).toBe("持平");
  });
  it("money in 亿元 from 1 亿 up, else 万元; other units as they are", () => {
    expect(valueText("450000", "万元")).toBe("45亿元");
    expect(valueText("123456.78", "万元")).toBe("12.3457亿元");
    expect(valueText("3200.005", "万元")).toBe("3200.01万元");
    expect(valueText("8", "次")).toBe("8次");
  });
});
