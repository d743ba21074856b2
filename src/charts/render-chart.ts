import { createRequire } from "node:module";
import type * as ResvgModule from "@resvg/resvg-js";
import type * as EchartsModule from "echarts";
import { type ChartFont, findChartFont } from "./chart-fonts.js";

/**
 * ECharts and resvg load with the first chart, not at start-up (the web console's routes import this
 * module; together they were about a fifth of the bot's start). Both are CommonJS, so a synchronous
 * require keeps these functions synchronous.
 */
const load = createRequire(import.meta.url);
let echartsLib: typeof EchartsModule | undefined;
let resvgLib: typeof ResvgModule | undefined;
const echartsOf = () => {
  echartsLib ??= load("echarts") as typeof EchartsModule;
  return echartsLib;
};
const resvgOf = () => {
  resvgLib ??= load("@resvg/resvg-js") as typeof ResvgModule;
  return resvgLib;
};

/** An ECharts option; kept loose because ECharts' own option type is a large union. */
export type ChartOption = Record<string, unknown>;

export interface ChartSize {
  width: number;
  height: number;
}

/**
 * Renders an ECharts option to an SVG string on the server (ECharts' SSR mode: no DOM, no canvas).
 * Animation is turned off so the SVG holds the final picture.
 */
export function renderChartSvg(option: ChartOption, size: ChartSize): string {
  const chart = echartsOf().init(null, null, {
    renderer: "svg",
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * SVG → PNG with resvg, with one CJK font file (default: the first installed candidate, see
 * chart-fonts.ts). `scale` 2 gives a sharp figure for print.
 */
export function svgToPng(svg: string, opts: { font?: ChartFont; scale?: number } = {}): Buffer {
  const font = opts.font ?? findChartFont();
  const scale = opts.scale ?? 2;
  const resvg = new (resvgOf().Resvg)(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    font: {
      fontFiles: [font.file],
      loadSystemFonts: false,
      ...(font.family ? { defaultFontFamily: font.family, sansSerifFamily: font.family } : {}),
    },
  });
  return resvg.render().asPng();
}
