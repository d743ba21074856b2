// The examples of issue #11, each read right or answered with a precise question; and the table API.
import { describe, expect, it } from "vitest";
import { parseReportStrict, parseTable } from "../src/parsing/parse-report.js";
import type { ParsedReport } from "../src/parsing/parsed-report.js";
import { sampleParseContext } from "./support/sample-parse-context.js";

const ctx = sampleParseContext({ prefectureCode: "5227" });
const values = (r: ParsedReport) =>
  Object.fromEntries(
    r.sections.map((s) => [
      s.zoneId,
      Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v.value])),
    ]),
  );
const parse = (t: string) => parseReportStrict(t, ctx);

describe("issue #11 examples", () => {
  it.each([
    ["惠水经开区 进出口累计7亿8千万元", "78000"],
    ["惠水经开区 进出口累计1亿2000万元", "12000"],
    ["惠水经开区 进出口累计3亿5", "35000"],
    ["惠水经开区 进出口1亿零3百万元", "10300"],
    ["惠水经开区 进出口2亿3,400万元", "23400"],
    ["惠水经开区 进出口四千五百万元", "4500"],
    ["惠水经开区 进出口３．２亿元", "32000"],
  ])("%s → %s 万元", (text, wan) => {
    const r = parse(text);
    expect(values(r)).toEqual({ "Z5227-HUISHUI": { trade_total: wan } });
    expect(r.issues).toEqual([]);
    expect(r.notes).toEqual([]);
  });

  it("asks about an ambiguous magnitude instead of guessing (1亿2000 = 1亿2000万?)", () => {
    const r = parse("惠水经开区 进出口1亿2000元");
    expect(r.sections).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(["bad_number"]);
  });

  it("reads a tab-separated table pasted from Excel", () => {
    const r = parse(
      "各位领导，一季度数据如下：\n经开区\t进出口额(万元)\t包装招商项目\t赴外招商\t引进外贸主体\t人才培训\n惠水\t32000\t3\t4\t1\t2\n龙里\t21000\t2\t5\t1\t1",
    );
    expect(values(r)).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", projects: "3", trips: "4", entities: "1", trainings: "2" },
      "Z5227-LONGLI": { trade_total: "21000", projects: "2", trips: "5", entities: "1", trainings: "1" },
    });
    expect(r.issues).toEqual([]);
    expect(r.sections[0]!.values.trade_total!.where).toBe("第3行 B列");
  });

  it("binds a rate with a direction word after a money figure to its growth field", () => {
    expect(values(parse("惠水经开区 进出口3.2亿元，增长12.5%"))).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", trade_yoy: "12.5" },
    });
    expect(values(parse("惠水经开区 进出口3.2亿元，比上年同期下降3.1%"))).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", trade_yoy: "-3.1" },
    });
  });

  it("binds growth nouns too (增幅/降幅, with 为)", () => {
    expect(values(parse("惠水经开区 进出口 3.2 亿元 增幅 12.5%"))).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", trade_yoy: "12.5" },
    });
    expect(values(parse("惠水经开区 进出口3.2亿元，同比降幅为3%"))).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", trade_yoy: "-3" },
    });
  });

  it("asks whose figures they are when several zones are listed before them", () => {
    for (const text of [
      "惠水、龙里 进出口3.2亿元",
      "惠水和龙里经开区进出口3.2亿元",
      "惠水 龙里 赴外招商4次",
    ]) {
      const r = parse(text);
      expect(r.sections).toEqual([]);
      expect(r.issues.map((i) => [i.code, i.field])).toEqual([["unknown_zone", "zone"]]);
      expect(r.issues[0]!.message).toMatch(/写了2个经开区（「惠水」、「龙里(经开区)?」），无法判断属于哪个/);
    }
    // one zone per clause is no list
    expect(Object.keys(values(parse("惠水 进出口3.2亿元；龙里 进出口2.1亿元")))).toEqual([
      "Z5227-HUISHUI",
      "Z5227-LONGLI",
    ]);
  });

  it("never stores 个百分点 as a rate, and names it back", () => {
    const r = parse("惠水经开区 进出口3.2亿元，同比下降3.1个百分点");
    expect(values(r)).toEqual({ "Z5227-HUISHUI": { trade_total: "32000" } });
    expect(r.notes.map((n) => n.code)).toEqual(["percentage_points"]);
  });

  it("reads short forms from the indicators' aliases (data)", () => {
    const withAliases = sampleParseContext({ prefectureCode: "5227" });
    const r = parseReportStrict("惠水 项目5，赴外7，主体2，培训3", withAliases);
    expect(values(r)).toEqual({
      "Z5227-HUISHUI": { projects: "5", trips: "7", entities: "2", trainings: "3" },
    });
  });

  it("names back a figure it does not collect", () => {
    const r = parse("惠水经开区 进出口3.2亿元，实际利用外资3000万元");
    expect(values(r)).toEqual({ "Z5227-HUISHUI": { trade_total: "32000" } });
    expect(r.notes.map((n) => n.message)).toEqual(["未识别：实际利用外资3000万元（不是填报项，未保存）"]);
  });

  it("asks 您是否指 for a near-miss field (shape-alike 囗/口)", () => {
    const r = parse("惠水经开区 进出囗1.5亿元");
    expect(r.sections).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.suggestion])).toEqual([["unknown_field", "进出口额"]]);
    expect(r.issues[0]!.message).toContain("您是否指 进出口额？");
  });

  it("suggests the nearest zones of the sender's prefecture first", () => {
    for (const text of ["都云经开区 进出口3.2亿元", "都云 进出口3.2亿元"]) {
      const r = parse(text);
      expect(r.issues.map((i) => i.code)).toEqual(["unknown_zone"]);
      expect(r.issues[0]!.message).toMatch(/您是否指 都匀/);
      expect(r.issues[0]!.message).toMatch(/例如：都匀经开区/);
    }
  });

  it("refuses implausible values instead of storing them", () => {
    for (const text of ["惠水经开区 进出口累计99999999999999999999亿元", "惠水经开区 进出口累计5000000亿"]) {
      const r = parse(text);
      expect(r.sections).toEqual([]);
      expect(r.issues.map((i) => i.code)).toEqual(["implausible_value"]);
    }
  });

  it("derives the total from its parts and says so; inconsistent parts are asked about", () => {
    const d = parse("惠水经开区 出口1.2亿元，进口2亿元");
    expect(values(d)["Z5227-HUISHUI"]!.trade_total).toBe("32000");
    expect(d.sections[0]!.values.trade_total!.derived).toBe(true);
    expect(d.notes.map((n) => n.code)).toEqual(["derived_total"]);
    const bad = parse("惠水经开区 进出口3亿元，出口1.2亿元，进口2.5亿元");
    expect(bad.issues.map((i) => i.code)).toEqual(["inconsistent_total"]);
    expect(values(bad)["Z5227-HUISHUI"]!.trade_total).toBeUndefined();
  });
});

describe("parseTable (cell grids from files)", () => {
  it("reads zones as rows with units in the header, naming sheet, row and column", () => {
    const r = parseTable(
      {
        sheet: "汇总",
        originRow: 2,
        rows: [
          ["序号", "经开区", "进出口额（亿元）", "同比(%)", "实际利用外资（万元）"],
          ["1", "惠水经开区", "3.2", "12.5", "500"],
          ["2", "龙里", "2.1", "-3.1", ""],
          ["", "合计", "5.3", "", ""],
        ],
      },
      ctx,
    );
    expect(values(r)).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", trade_yoy: "12.5" },
      "Z5227-LONGLI": { trade_total: "21000", trade_yoy: "-3.1" },
    });
    expect(r.sections[0]!.values.trade_total!.where).toBe("工作表“汇总” 第3行 C列");
    expect(r.notes.map((n) => n.code).sort()).toEqual(["ignored_column", "ignored_row"]);
  });

  it("reads zones as columns (transposed) with a 单位 column", () => {
    const r = parseTable(
      {
        rows: [
          ["指标", "单位", "惠水", "龙里"],
          ["进出口额", "万元", "32000", "21000"],
          ["人才培训", "场", "2", "1"],
        ],
      },
      ctx,
    );
    expect(values(r)).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", trainings: "2" },
      "Z5227-LONGLI": { trade_total: "21000", trainings: "1" },
    });
  });

  it("asks about an unknown zone row and a money column without a unit", () => {
    const r = parseTable(
      {
        rows: [
          ["经开区", "进出口额"],
          ["都云", "3.2亿元"],
          ["惠水", "32000"],
        ],
      },
      ctx,
    );
    expect(r.issues.map((i) => i.code).sort()).toEqual(["money_without_unit", "unknown_zone"]);
    expect(r.sections).toEqual([]);
  });
});
