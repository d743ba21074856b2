import { AlignmentType, ImageRun, LineRuleType, Paragraph, TextRun } from "docx";
import { titleLines } from "./title-lines.js";

/** A chart of the circular for the Word document: a PNG (drawn at 2× its CSS size) and its caption. */
export interface DocxFigure {
  png: Buffer;
  caption: string;
  /** The group code whose `[[图表 code]]` line of the template places it. */
  group: string;
}

/** Text width of a portrait A4 page under GB/T 9704 margins (156 mm) in CSS pixels at 96 dpi. */
const USABLE_PX = Math.floor(((11906 - 1588 - 1474) / 1440) * 96);

function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString("latin1") !== "PNG") throw new Error("通报图表不是 PNG 图片");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function figureParagraphs(f: DocxFigure, n: number): Paragraph[] {
  const px = pngSize(f.png);
  // Drawn at 2×: the CSS size is half the pixels; shown at ¾ of it, never wider than the text.
  const width = Math.min(USABLE_PX, Math.round((px.width / 2) * 0.75));
  const height = Math.round((width * px.height) / px.width);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { before: 120, after: 0, line: 240, lineRule: LineRuleType.AUTO },
      children: [new ImageRun({ type: "png", data: f.png, transformation: { width, height } })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 60, after: 200, line: 240, lineRule: LineRuleType.AUTO },
      // 四号: 31 characters a line; a longer caption breaks between words, as a title does.
      children: titleLines(`图${n}　${f.caption}`, 31).map(
        (line, i) =>
          new TextRun({
            text: line,
            font: { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "仿宋_GB2312" },
            size: 28,
            ...(i > 0 ? { break: 1 } : {}),
          }),
      ),
    }),
  ];
}

/**
 * Places the figures at their group's `[[图表 code]]` line, numbered 图1, 图2… in document order.
 * A figure whose group has no such line in the template is an error (checkAllPlaced), not dropped.
 */
export function figurePlacer(figures: DocxFigure[], templateName: string) {
  let n = 0;
  const placed = new Set<DocxFigure>();
  const place = (group: string): Paragraph[] =>
    figures
      .filter((f) => f.group === group)
      .flatMap((f) => {
        placed.add(f);
        return figureParagraphs(f, ++n);
      });
  return Object.assign(place, {
    checkAllPlaced(): void {
      const left = figures.filter((f) => !placed.has(f));
      if (left.length > 0)
        throw new Error(
          `模板 ${templateName}：没有放置图表的 [[图表 ${left[0]!.group}]] 行（图表“${left[0]!.caption}”）`,
        );
    },
  });
}
