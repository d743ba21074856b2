import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { type RenderedCircular, renderCircular } from "../src/circulars/render-circular.js";
import { fixtureModel, RENDER_META } from "./support/circular-models.js";

describe("circular xlsx, read back cell by cell", () => {
  let q2: RenderedCircular;
  let q3Sample: RenderedCircular;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    q2 = await renderCircular(fixtureModel(2, false), RENDER_META);
    q3Sample = await renderCircular(fixtureModel(3, true), RENDER_META);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(q2.xlsx as unknown as ArrayBuffer);
  });
  const values = (ws: ExcelJS.Worksheet, row: number) =>
    Array.from((ws.getRow(row).values as unknown[]).slice(1), (v) =>
      v === undefined || v === null ? "" : v,
    );

  it("has the summary, the per-zone sheet, the not-submitted list and the detail", () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(["汇总", "外贸升级经开区", "未报送名单", "指标明细"]);
    const s = wb.getWorksheet("汇总")!;
    const rows = Object.fromEntries(
      Array.from({ length: s.rowCount }, (_, i) => values(s, i + 1)).map((r) => [String(r[0]), r[1]]),
    );
    expect(values(s, 1)[0]).toBe("2023年第二季度经开区培育工作进展汇总");
    expect(rows).toMatchObject({
      发文字号: "黔商函〔2023〕3号",
      数据截至: new Date("2023-07-20T10:00:00Z"), // Shanghai wall-clock time as an Excel date
      "时间进度（%）": 50,
      "应报送经开区（个）": 8,
      "已报送（个）": 6,
      "其中逾期报送（个）": 1,
      "未报送（个）": 2,
      外贸升级经开区: "5/6 已报送",
      "累计进出口（万元）": 450000,
      "全年目标（万元）": 1300000,
      "完成率（%）": 34.6,
      进度状态: "进度滞后",
      同比: "增长7.4%",
      "一档（个）": 1,
      "二档（个）": 2,
    });
  });

  it("per-zone table: 序号/市州/经开区/累计进出口/同比/年度目标/完成率/排名/等次 and the four quotas", () => {
    const ws = wb.getWorksheet("外贸升级经开区")!;
    expect(values(ws, 1)[0]).toBe("2023年第二季度外贸升级经开区进展情况表");
    // Two header rows: each quota's label over its 数量 and 完成率, the other headers merged down;
    // a unit on a line of its own (never cut as 累计进出口（万 / 元）).
    expect(values(ws, 2).slice(8, 13)).toEqual([
      "等次\n（暂定）",
      "包装招商项目",
      "包装招商项目",
      "赴外招商",
      "赴外招商",
    ]);
    expect(ws.getCell("J2").isMerged && ws.getCell("K2").master.address).toBe("J2");
    expect(ws.getCell("A3").master.address).toBe("A2");
    expect(values(ws, 3)).toEqual([
      "序号",
      "市州",
      "经开区",
      "累计进出口\n（万元）",
      "同比\n（%）",
      "年度目标\n（万元）",
      "完成率\n（%）",
      "排名",
      "等次\n（暂定）",
      "数量\n（个）",
      "完成率\n（%）",
      "数量\n（次）",
      "完成率\n（%）",
      "数量\n（家）",
      "完成率\n（%）",
      "数量\n（场）",
      "完成率\n（%）",
      "报送情况",
    ]);
    expect(values(ws, 4)).toEqual([
      1,
      "贵阳",
      "白云经开区",
      200000,
      10,
      400000,
      50,
      1,
      "一档",
      5,
      50,
      8,
      53.3,
      3,
      60,
      2,
      40,
      "已报送",
    ]);
    expect(values(ws, 5)).toEqual([
      2,
      "贵阳",
      "清镇经开区",
      100000,
      -5,
      200000,
      50,
      2,
      "二档",
      10,
      100,
      2,
      13.3,
      0,
      0,
      5,
      100,
      "已报送",
    ]);
    expect(values(ws, 6)).toEqual([
      3,
      "黔南州",
      "惠水经开区",
      100000,
      20,
      100000,
      100,
      2,
      "二档",
      4,
      40,
      6,
      40,
      1,
      20,
      1,
      20,
      "已报送",
    ]);
    expect(values(ws, 7)).toEqual([
      4,
      "铜仁",
      "松桃经开区",
      30000,
      0,
      0,
      "",
      4,
      "三档",
      3,
      30,
      9,
      60,
      2,
      40,
      5,
      100,
      "已报送",
    ]);
    expect(values(ws, 8)).toEqual([
      5,
      "黔南州",
      "龙里经开区",
      20000,
      "",
      100000,
      20,
      5,
      "四档",
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      "逾期报送",
    ]);
    expect(values(ws, 9)).toEqual([
      6,
      "铜仁",
      "大龙经开区",
      "",
      "",
      500000,
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "未报送",
    ]);
    // Missing figures are empty cells, never "".
    expect(values(ws, 8)[4]).toBe("");
    // 合计 below the filtered range: SUBTOTAL formulas cached with the assessment's totals.
    expect(ws.rowCount).toBe(10);
    expect(ws.getCell("A10").value).toBe("合计");
    expect(ws.getCell("D10").value).toEqual({ formula: "SUBTOTAL(109,D4:D9)", result: 450000 });
    expect(ws.getCell("J10").value).toEqual({ formula: "SUBTOTAL(109,J4:J9)", result: 22 });
    expect(ws.getCell("F10").value).toBe(1300000);
    expect(ws.getCell("G10").value).toEqual({ formula: 'IF(F10>0,D10/F10*100,"")', result: 34.6 });
    expect(ws.autoFilter).toBe("A3:R9");
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({
      printTitlesRow: "2:3",
      orientation: "landscape",
      fitToWidth: 1,
      fitToHeight: 0,
      paperSize: 9,
    });
    expect(ws.getCell("G4").numFmt).toBe('0.0"%"');
    expect(ws.getCell("D4").numFmt).toBe("#,##0.00");
  });

  it("the not-submitted list and the detail sheet", () => {
    const ns = wb.getWorksheet("未报送名单")!;
    expect(values(ns, 2)).toEqual(["序号", "市州", "经开区", "所属类别"]);
    expect(values(ns, 3)).toEqual([1, "铜仁", "大龙经开区", "外贸升级经开区"]);
    expect(values(ns, 4)).toEqual([2, "黔南州", "都匀经开区", "省级经开区培育对象"]);
    expect(ns.rowCount).toBe(4);
    const detail = wb.getWorksheet("指标明细")!;
    const songtao = Array.from({ length: detail.rowCount }, (_, i) => values(detail, i + 1)).find(
      (r) => r[1] === "松桃经开区" && r[2] === "进出口",
    );
    expect(songtao).toEqual([
      "铜仁",
      "松桃经开区",
      "进出口",
      "万元",
      "必报",
      30000,
      0,
      "",
      "无目标",
      "已报送",
    ]);
    // An optional figure nobody had to fill (龙里's 同比) is not 未报送.
    const longliYoy = Array.from({ length: detail.rowCount }, (_, i) => values(detail, i + 1)).find(
      (r) => r[1] === "龙里经开区" && r[2] === "进出口同比",
    );
    expect(longliYoy?.slice(4, 10)).toEqual(["选填", "", "", "", "", "逾期报送"]);
  });

  it("the sample workbook says so on every sheet", async () => {
    const s = new ExcelJS.Workbook();
    await s.xlsx.load(q3Sample.xlsx as unknown as ArrayBuffer);
    expect(values(s.getWorksheet("汇总")!, 2)[0]).toBe("（样例数据，非正式名单，仅供演示）");
    for (const name of ["外贸升级经开区", "未报送名单", "指标明细"]) {
      expect(values(s.getWorksheet(name)!, 2)[0]).toBe("（样例数据，非正式名单，仅供演示）");
    }
  });
});
