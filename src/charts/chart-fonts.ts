import { existsSync } from "node:fs";

/**
 * CJK fonts for PNG rendering. resvg draws text only with fonts it is given; without a CJK font every
 * Chinese label becomes an empty box. We load one font file (not the system font database: scanning
 * it costs seconds), in this order: CHART_FONT_FILE, then the Debian packages fonts-wqy-zenhei and
 * fonts-noto-cjk (`apt-get install fonts-noto-cjk` or `fonts-wqy-zenhei`).
 */
export const CJK_FONT_CANDIDATES: ReadonlyArray<{ file: string; family: string }> = [
  // WenQuanYi first: one file of 17 MB parses in a fraction of the time of Noto's 4-weight collection
  { file: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", family: "WenQuanYi Zen Hei" },
  { file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", family: "Noto Sans CJK SC" },
  { file: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", family: "WenQuanYi Micro Hei" },
  { file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", family: "Noto Sans CJK SC" },
];

export interface ChartFont {
  file: string;
  /** Family name resvg maps the generic sans-serif family to. */
  family: string;
}

export class ChartFontError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChartFontError";
  }
}

/** The font to draw with; throws ChartFontError naming what to install when there is none. */
export function findChartFont(override?: string, exists: (f: string) => boolean = existsSync): ChartFont {
  if (override) {
    if (!exists(override))
      throw new ChartFontError(
        `CHART_FONT_FILE 指向的字体文件不存在：${override}（应为含中文字形的 .ttf/.ttc/.otf）`,
      );
    const known = CJK_FONT_CANDIDATES.find((c) => c.file === override);
    return { file: override, family: known?.family ?? "" };
  }
  const found = CJK_FONT_CANDIDATES.find((c) => exists(c.file));
  if (!found)
    throw new ChartFontError(
      "找不到中文字体，无法生成图表 PNG：请安装 fonts-noto-cjk 或 fonts-wqy-zenhei（apt-get install fonts-noto-cjk），" +
        "或用 CHART_FONT_FILE 指定一个含中文字形的字体文件。",
    );
  return found;
}

/**
 * The CSS font-family list charts are drawn with (browsers pick whichever is installed). Single
 * quotes: ECharts writes it into a double-quoted style attribute as it is.
 */
export const CHART_FONT_FAMILY =
  "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif";
