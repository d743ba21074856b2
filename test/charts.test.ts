import { describe, expect, it } from "vitest";
import { assessPeriod } from "../src/assessment/assess-period.js";
import { ChartFontError, findChartFont } from "../src/charts/chart-fonts.js";
import {
  circularChartFigures,
  completionByZoneOption,
  zoneTrendOption,
} from "../src/charts/circular-charts.js";
import { renderChartSvg, svgToPng } from "../src/charts/render-chart.js";
import { circularProgramme, circularReports } from "./support/circular-fixture.js";

const model = assessPeriod({
  programme: circularProgramme(),
  period: { year: 2023, quarter: 2 },
  reports: circularReports(),
  builtAt: new Date("2023-07-20T02:00:00Z"),
});

/** Width and height from the PNG header (IHDR). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("charts (server-side ECharts SVG, resvg PNG)", () => {
  it("completion by zone: a bar per zone coloured by status, the time-progress line labelled", () => {
    const svg = renderChartSvg(
      completionByZoneOption(
        "完成率",
        [
          { name: "白云", completionPct: "50", status: "on_track" },
          { name: "龙里", completionPct: "20", status: "severely_behind" },
          { name: "大龙", completionPct: null, status: "not_submitted" },
        ],
        "50",
      ),
      { width: 600, height: 300 },
    );
    expect(svg.startsWith("<svg")).toBe(true);
    for (const t of ["白云", "龙里", "大龙", "时间进度 50%", "未报送"]) expect(svg).toContain(t);
    expect(svg).toContain("#cf222e"); // 严重滞后 in red
  });

  it("a zone's quarters: completion against each quarter's time-progress", () => {
    const svg = renderChartSvg(
      zoneTrendOption("惠水", [
        { label: "一季度", completionPct: "20", expectedPct: "25" },
        { label: "二季度", completionPct: "100", expectedPct: "50" },
        { label: "三季度", completionPct: null, expectedPct: "75" },
        { label: "四季度", completionPct: null, expectedPct: "100" },
      ]),
      { width: 500, height: 260 },
    );
    for (const t of ["一季度", "四季度", "完成率", "时间进度"]) expect(svg).toContain(t);
  });

  it("a circular's figures as PNG at twice the size, Chinese text drawn with a CJK font", () => {
    const figures = circularChartFigures(model);
    expect(figures.map((f) => f.name)).toEqual(["completion-foreign_trade.png", "gauge-foreign_trade.png"]);
    expect(figures[0]!.caption).toContain("外贸升级经开区进出口完成率");
    expect(pngSize(figures[0]!.png)).toEqual({ width: 1600, height: 800 });
    expect(figures[1]!.svg).toContain("45 亿元（34.6%）");
    // Chinese text adds ink (bytes) only when its glyphs are found: without a CJK font it stays blank
    const text = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-size="24" font-family="sans-serif">外贸升级</text></svg>`;
    const withFont = svgToPng(text, { scale: 1 });
    const blank = svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>`, {
      scale: 1,
    });
    expect(withFont.length).toBeGreaterThan(blank.length + 200);
  });

  it("without a CJK font the error says what to install", () => {
    expect(() => findChartFont(undefined, () => false)).toThrow(ChartFontError);
    expect(() => findChartFont(undefined, () => false)).toThrow(/fonts-noto-cjk.*CHART_FONT_FILE/);
    expect(() => findChartFont("/nope.ttf", () => false)).toThrow(/CHART_FONT_FILE/);
    expect(findChartFont(undefined, (f) => f.includes("wqy")).family).toBe("WenQuanYi Zen Hei");
  });
});
