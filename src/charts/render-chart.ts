import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";
import { type ChartFont, findChartFont } from "./chart-fonts.js";

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
  const chart = echarts.init(null, null, {
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
  const resvg = new Resvg(svg, {
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
