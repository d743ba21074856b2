import type { AssessmentModel, Headline } from "../assessment/assessment-model.js";
import { PROGRESS_LABELS, type ProgressStatus } from "../assessment/progress-status.js";
import type { GroupCode } from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import { STATUS_COLORS, TIME_PROGRESS_COLOR } from "./chart-colors.js";
import { CHART_FONT_FAMILY, type ChartFont } from "./chart-fonts.js";
import { type ChartOption, type ChartSize, renderChartSvg, svgToPng } from "./render-chart.js";

/** Figures are exact decimals; charts only need them to one place. */
const num = (s: string | null | undefined): number | null =>
  s == null ? null : Number(Decimal.parse(s).toFixed(1));

const base = (title: string): ChartOption => ({
  textStyle: { fontFamily: CHART_FONT_FAMILY },
  title: { text: title, left: "center", top: 6, textStyle: { fontSize: 15, fontFamily: CHART_FONT_FAMILY } },
});

/** Bars beyond this many make labels unreadable; the caller filters (by prefecture) to see the rest. */
export const MAX_BARS = 40;

export interface CompletionBar {
  name: string;
  completionPct: string | null;
  status: ProgressStatus;
}

/**
 * Completion by zone (%, bars coloured by status) against the quarter's time-progress (a dashed line).
 * Bars above 150 % are drawn at 150 % with the true figure in the label.
 */
export function completionByZoneOption(
  title: string,
  bars: CompletionBar[],
  expectedPct: string,
): ChartOption {
  const shown = bars.slice(0, MAX_BARS);
  const expected = num(expectedPct) ?? 0;
  return {
    ...base(title),
    grid: { left: 48, right: 96, top: 44, bottom: shown.length > 12 ? 72 : 40 },
    xAxis: {
      type: "category",
      data: shown.map((b) => b.name),
      axisLabel: { interval: 0, rotate: shown.length > 12 ? 45 : 0, fontSize: 11 },
    },
    yAxis: {
      type: "value",
      name: "完成率 %",
      max: (v: { max: number }) => Math.max(100, Math.min(150, v.max)),
    },
    series: [
      {
        type: "bar",
        barMaxWidth: 36,
        data: shown.map((b) => {
          const v = num(b.completionPct);
          return {
            value: v === null ? 0 : Math.min(v, 150),
            itemStyle: { color: STATUS_COLORS[b.status] },
            label: {
              show: shown.length <= 20,
              position: "top",
              fontSize: 10,
              formatter: v === null ? PROGRESS_LABELS[b.status] : `${v}%`,
            },
          };
        }),
        markLine: {
          symbol: "none",
          lineStyle: { color: TIME_PROGRESS_COLOR, type: "dashed", width: 2 },
          label: { formatter: `时间进度 ${expected}%`, color: TIME_PROGRESS_COLOR, position: "end" },
          data: [{ yAxis: expected }],
        },
      },
    ],
  };
}

/** The group's aggregate (e.g. 130 亿元) as a gauge in 亿元, with the time-progress marked on the dial. */
export function aggregateGaugeOption(h: Headline, expectedPct: string, title: string): ChartOption {
  const toYi = (wan: string | null) => (wan == null ? 0 : Number(Decimal.parse(wan).div(10_000).toFixed(2)));
  const target = toYi(h.groupTarget);
  const total = toYi(h.total);
  const expected = (num(expectedPct) ?? 0) / 100;
  const pct = num(h.completionPct);
  return {
    ...base(title),
    series: [
      {
        type: "gauge",
        min: 0,
        max: target > 0 ? target : Math.max(total, 1),
        center: ["50%", "56%"],
        radius: "75%",
        splitNumber: 5,
        axisLine: {
          lineStyle: {
            width: 16,
            color: [
              [Math.max(0, Math.min(1, expected)), "#e6edf3"],
              [1, "#d8e8d8"],
            ],
          },
        },
        progress: { show: true, width: 16, itemStyle: { color: STATUS_COLORS[h.status] } },
        pointer: { show: true, length: "60%" },
        axisLabel: { fontSize: 11, distance: 22 },
        title: { show: true, offsetCenter: [0, "88%"], fontSize: 12 },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, "28%"],
          fontSize: 18,
          formatter: `${total} 亿元${pct === null ? "" : `（${pct}%）`}`,
        },
        data: [{ value: total, name: `目标 ${target} 亿元 · 时间进度 ${num(expectedPct)}%` }],
      },
    ],
  };
}

export interface TrendPoint {
  /** "一季度" … */
  label: string;
  completionPct: string | null;
  expectedPct: string;
}

/** One zone's quarters: completion against the time-progress of each quarter. */
export function zoneTrendOption(title: string, points: TrendPoint[]): ChartOption {
  return {
    ...base(title),
    legend: { bottom: 0, data: ["完成率", "时间进度"] },
    grid: { left: 48, right: 24, top: 44, bottom: 48 },
    xAxis: { type: "category", data: points.map((p) => p.label) },
    yAxis: {
      type: "value",
      name: "%",
      max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10),
    },
    series: [
      {
        name: "完成率",
        type: "line",
        data: points.map((p) => num(p.completionPct)),
        connectNulls: false,
        symbolSize: 8,
        label: { show: true, formatter: "{c}%" },
        itemStyle: { color: STATUS_COLORS.on_track },
      },
      {
        name: "时间进度",
        type: "line",
        data: points.map((p) => num(p.expectedPct)),
        lineStyle: { type: "dashed" },
        itemStyle: { color: TIME_PROGRESS_COLOR },
      },
    ],
  };
}

/** Bars for the zones of one group, from its headline figure (e.g. 进出口), in the circular's order. */
export function headlineBars(model: AssessmentModel, code: GroupCode): CompletionBar[] {
  const group = model.groups.find((g) => g.code === code);
  if (!group?.headline) return [];
  const names = new Map(model.zones.map((z) => [z.zoneId, z.shortName]));
  return group.headline.zones.map((r) => ({
    name: names.get(r.zoneId) ?? r.zoneId,
    completionPct: r.completionPct,
    status: r.status,
  }));
}

export interface ChartFigure {
  /** File name, e.g. "completion-foreign_trade.png". */
  name: string;
  /** The group the figure is about. */
  group: GroupCode;
  /** Caption for the docx figure and the chat message. */
  caption: string;
  svg: string;
  png: Buffer;
}

export const FIGURE_SIZE: ChartSize = { width: 800, height: 400 };

/**
 * The figures of a circular as PNG (and the SVG they came from): per group with a headline target
 * the completion by zone against time-progress, and the aggregate gauge. Pure apart from reading
 * the font file. The docx renderer embeds these; the delivery sends them as image messages.
 */
export function circularChartFigures(model: AssessmentModel, opts: { font?: ChartFont } = {}): ChartFigure[] {
  const out: ChartFigure[] = [];
  const expected = model.thresholds.expectedPct;
  for (const g of model.groups) {
    if (!g.headline) continue;
    const caption = `${model.periodLabel}${g.label}${g.headline.label}完成率（虚线为时间进度）`;
    const svg = renderChartSvg(
      completionByZoneOption(caption, headlineBars(model, g.code), expected),
      FIGURE_SIZE,
    );
    out.push({ name: `completion-${g.code}.png`, group: g.code, caption, svg, png: svgToPng(svg, opts) });
    const gCaption = `${g.label}${g.headline.label}合计（目标 ${num(g.headline.groupTarget) === null ? "—" : Decimal.parse(g.headline.groupTarget!).div(10_000).toString()} 亿元）`;
    const gSvg = renderChartSvg(aggregateGaugeOption(g.headline, expected, gCaption), {
      width: 560,
      height: 360,
    });
    out.push({
      name: `gauge-${g.code}.png`,
      group: g.code,
      caption: gCaption,
      svg: gSvg,
      png: svgToPng(gSvg, opts),
    });
  }
  return out;
}
