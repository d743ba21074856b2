import {
  AlignmentType,
  BorderStyle,
  Document,
  type FileChild,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from "docx";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { loadTemplate } from "../templates/load-template.js";
import { renderTemplate, type TemplateView } from "../templates/render-template.js";
import type { CircularPhrases } from "./circular-phrases.js";
import { type DocxFigure, figurePlacer } from "./docx-figures.js";
import { fontFallbackRewrites } from "./docx-fonts.js";
import { type OutlineBlock, parseOutline } from "./docx-outline.js";
import { splicePackage } from "./docx-package.js";
import { TABLE_HALF_POINTS, ZONE_CELL_STYLE, ZONE_HEAD_STYLE, zoneTableXml } from "./docx-table-xml.js";
import { displayWidth, titleLines } from "./title-lines.js";
import { buildZoneTable } from "./zone-table.js";

export const DOCX_TEMPLATE = "circular.docx.tpl";

/**
 * GB/T 9704-2012 layout in Word units: twips (1 mm ≈ 56.7 twips) and half-points for sizes.
 * A4; margins top 37 mm, left 28 mm, right 26 mm, bottom 35 mm; title 二号 (22 pt), body 三号 (16 pt),
 * page numbers 四号 (14 pt); 22 lines a page (fixed line pitch 28.95 pt).
 */
export const GB9704 = {
  page: { width: 11906, height: 16838 },
  margin: { top: 2098, left: 1588, right: 1474, bottom: 1984, header: 851, footer: 1304 },
  fonts: {
    title: "方正小标宋简体",
    body: "仿宋_GB2312",
    heading1: "黑体",
    heading2: "楷体_GB2312",
    pageNumber: "宋体",
    latin: "Times New Roman",
  },
  sizes: { issuerMark: 52, title: 44, body: 32, pageNumber: 28, table: 21 },
  lineExact: 579,
  /** Two characters of 三号 text. */
  indent2: 640,
  red: "C00000",
} as const;

function run(
  text: string,
  font: string,
  size: number,
  extra: { bold?: boolean; color?: string } = {},
): TextRun {
  const latin = font === GB9704.fonts.pageNumber ? font : GB9704.fonts.latin;
  return new TextRun({ text, font: { ascii: latin, hAnsi: latin, eastAsia: font }, size, ...extra });
}

const exact = { line: GB9704.lineExact, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

function para(
  text: string,
  font: string,
  opts: {
    size?: number;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    firstLine?: number;
    right?: number;
    color?: string;
    spacing?: { before?: number; after?: number; line?: number };
    keepNext?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    ...(opts.keepNext ? { keepNext: true, keepLines: true } : {}),
    indent: {
      ...(opts.firstLine ? { firstLine: opts.firstLine } : {}),
      ...(opts.right ? { right: opts.right } : {}),
    },
    spacing: opts.spacing ? { lineRule: LineRuleType.AUTO, line: 240, ...opts.spacing } : exact,
    children: [run(text, font, opts.size ?? GB9704.sizes.body, opts.color ? { color: opts.color } : {})],
  });
}

function blockParagraph(
  b: Exclude<OutlineBlock, { kind: "section" | "table" | "figures" }>,
  layout: { keepNext?: boolean; right?: number } = {},
): Paragraph {
  const f = GB9704.fonts;
  const keepNext = layout.keepNext ?? false;
  switch (b.kind) {
    case "issuerMark":
      return para(b.text, f.title, {
        size: GB9704.sizes.issuerMark,
        align: AlignmentType.CENTER,
        color: GB9704.red,
        spacing: { after: 240, line: 240 },
      });
    case "rule":
      return new Paragraph({
        spacing: { before: 0, after: 560 },
        border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: GB9704.red, space: 1 } },
        children: [],
      });
    case "title":
      // Broken between phrases (title-lines.ts), one w:br per line break.
      return new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: 0, after: 560, line: 360, lineRule: LineRuleType.AUTO },
        children: titleLines(b.text).map(
          (line, i) =>
            new TextRun({
              text: line,
              font: { ascii: GB9704.fonts.latin, hAnsi: GB9704.fonts.latin, eastAsia: f.title },
              size: GB9704.sizes.title,
              ...(i > 0 ? { break: 1 } : {}),
            }),
        ),
      });
    case "heading": {
      const font = b.level === 1 ? f.heading1 : b.level === 2 ? f.heading2 : f.body;
      return para(`${b.number}${b.text}`, font, { firstLine: GB9704.indent2, keepNext });
    }
    case "centered":
      return para(b.text, f.body, { align: AlignmentType.CENTER, keepNext });
    case "right":
      return para(b.text, f.body, {
        align: AlignmentType.RIGHT,
        right: layout.right ?? GB9704.indent2,
        keepNext,
      });
    case "flush":
      return para(b.text, f.body, { align: AlignmentType.LEFT, keepNext });
    case "mark":
      return para(b.text, f.heading1, { align: AlignmentType.LEFT, keepNext });
    case "body":
      return para(b.text, f.body, { firstLine: GB9704.indent2, keepNext });
  }
}

/**
 * Right indents (twips) of the 署名 and the 成文日期 without a seal (GB/T 9704-2012 7.3.5.2): the 署名
 * two characters in from the right, the date's first character two characters right of the 署名's
 * first; a date longer than that moves to two characters in and pushes the 署名 left instead.
 */
export function signatureIndents(issuer: string, date: string): { issuer: number; date: number } {
  const em = GB9704.indent2 / 2;
  const [i, d] = [displayWidth(issuer), displayWidth(date)];
  return d + 2 <= i
    ? { issuer: 2 * em, date: Math.round((2 + i - 2 - d) * em) }
    : { issuer: Math.round((2 + d + 2 - i) * em), date: 2 * em };
}

/**
 * 版记 (GB/T 9704-2012 7.4): 抄送 and 印发机关 + 印发日期 between rules (first and last 0.35 mm,
 * the one between 0.25 mm), 四号 仿宋, on the last page of the document.
 */
function colophon(copyTo: string, printedBy: string, printedOn: string): Table {
  const size = 28;
  const text = (s: string) =>
    new TextRun({
      text: s,
      font: { ascii: GB9704.fonts.latin, hAnsi: GB9704.fonts.latin, eastAsia: GB9704.fonts.body },
      size,
    });
  const none = { style: BorderStyle.NONE, size: 0, color: "auto" };
  const thick = { style: BorderStyle.SINGLE, size: 8, color: "000000" };
  const thin = { style: BorderStyle.SINGLE, size: 6, color: "000000" };
  const width = GB9704.page.width - GB9704.margin.left - GB9704.margin.right;
  const row = (children: Paragraph[], top: typeof thick, bottom: typeof thick) =>
    new TableRow({
      cantSplit: true,
      children: [
        new TableCell({
          width: { size: width, type: WidthType.DXA },
          borders: { top, bottom, left: none, right: none },
          margins: { left: 0, right: 0, top: 60, bottom: 60 },
          children,
        }),
      ],
    });
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: [width],
    layout: TableLayoutType.FIXED,
    borders: {
      top: none,
      bottom: none,
      left: none,
      right: none,
      insideHorizontal: none,
      insideVertical: none,
    },
    rows: [
      row(
        [
          new Paragraph({
            indent: { left: 280, right: 280, hanging: 0 },
            children: [text(`抄送：${copyTo}`)],
          }),
        ],
        thick,
        thin,
      ),
      row(
        [
          new Paragraph({
            indent: { left: 280, right: 280 },
            tabStops: [{ type: TabStopType.RIGHT, position: width - 560 }],
            children: [text(printedBy), new TextRun({ children: [new Tab()] }), text(`${printedOn}印发`)],
          }),
        ],
        thin,
        thick,
      ),
    ],
  });
}

/**
 * The page-number footers; with `colophon` (the last page), the 版记 stands in the footer above the
 * page number, so it sits at the foot of the page in every reader: LibreOffice ignores a section's
 * bottom alignment (w:vAlign) and the bottom position of floating tables and frames.
 */
function footers(colophonTable?: () => Table) {
  const pageNumber = (align: "left" | "right") =>
    new Paragraph({
      alignment: align === "right" ? AlignmentType.RIGHT : AlignmentType.LEFT,
      indent: align === "right" ? { right: 280 } : { left: 280 },
      ...(colophonTable ? { spacing: { before: 240 } } : {}),
      children: [
        new TextRun({
          children: ["— ", PageNumber.CURRENT, " —"],
          font: {
            ascii: GB9704.fonts.pageNumber,
            hAnsi: GB9704.fonts.pageNumber,
            eastAsia: GB9704.fonts.pageNumber,
          },
          size: GB9704.sizes.pageNumber,
        }),
      ],
    });
  const footer = (align: "left" | "right") =>
    new Footer({ children: colophonTable ? [colophonTable(), pageNumber(align)] : [pageNumber(align)] });
  // GB/T 9704: odd pages right, even pages left, one character in from the edge.
  return { default: footer("right"), even: footer("left") };
}

/** Renders templates/circular.docx.tpl with the view into a GB/T 9704-2012 styled Word document. */
export async function renderCircularDocx(
  model: AssessmentModel,
  view: TemplateView,
  ph: CircularPhrases,
  meta: { title: string; issuer: string; copyTo?: string; printedBy?: string; printedOn?: string },
  template = loadTemplate(DOCX_TEMPLATE),
  figures: DocxFigure[] = [],
): Promise<Buffer> {
  const blocks = parseOutline(renderTemplate(template, view, DOCX_TEMPLATE));
  const sections: Array<{ landscape: boolean; colophon?: () => Table; children: FileChild[] }> = [
    { landscape: false, children: [] },
  ];
  // Zone tables are written as XML straight into the package (docx-table-xml.ts): here a placeholder.
  const tables = new Map<string, () => Iterable<string>>();
  const placeFigures = figurePlacer(figures, DOCX_TEMPLATE);
  // The 落款 (署名 and date, the first run of right-aligned lines) is kept on one page with the 附件
  // line and the paragraph before it, so it never stands alone on a page (GB/T 9704 7.3.5).
  const firstRight = blocks.findIndex((b) => b.kind === "right");
  const signature = firstRight >= 0 && blocks[firstRight + 1]?.kind === "right" ? firstRight : -1;
  const indents =
    signature >= 0
      ? signatureIndents(
          (blocks[signature] as { text: string }).text,
          (blocks[signature + 1] as { text: string }).text,
        )
      : undefined;
  const keepFrom = firstRight < 0 ? -1 : firstRight - 2;
  let previous: OutlineBlock | undefined;
  for (const [i, b] of blocks.entries()) {
    const current = sections[sections.length - 1]!;
    const keepNext = keepFrom >= 0 && i >= keepFrom && i < firstRight + 1;
    // GB/T 9704 7.3.5.2 (no seal): the 署名 one empty line below the body or the 附件 line.
    if (b.kind === "right" && previous && previous.kind !== "right")
      current.children.push(para("", GB9704.fonts.body, { keepNext: true }));
    // GB/T 9704 7.3.4: the 附件说明 one empty line below the body, two characters in.
    if (b.kind === "body" && b.text.startsWith("附件："))
      current.children.push(para("", GB9704.fonts.body, { keepNext: true }));
    previous = b;
    if (b.kind === "section") {
      sections.push({ landscape: b.landscape, children: [] });
    } else if (b.kind === "table") {
      const group = model.groups.find((g) => g.code === b.ref && g.headline);
      if (!group)
        throw new Error(`模板 ${DOCX_TEMPLATE}：[[表格 ${b.ref}]] 没有对应的类别（需有总目标的类别代码）`);
      const m = GB9704.margin;
      const usable = (current.landscape ? GB9704.page.height : GB9704.page.width) - m.left - m.right;
      const marker = `KAIQU-ZONE-TABLE-${tables.size}`;
      tables.set(marker, () => zoneTableXml(buildZoneTable(model, group, ph), usable));
      current.children.push(new Paragraph({ children: [new TextRun(marker)] }));
      // Word expects a paragraph after a table that ends a section.
      current.children.push(new Paragraph({ children: [] }));
    } else if (b.kind === "figures") {
      current.children.push(...placeFigures(b.ref));
    } else {
      const right = i === signature ? indents?.issuer : i === signature + 1 ? indents?.date : undefined;
      current.children.push(blockParagraph(b, { keepNext, ...(right !== undefined ? { right } : {}) }));
    }
  }
  // 版记 at the foot of the last page (GB/T 9704 7.4): a portrait section of its own, after the body
  // or the landscape attachments, whose footer holds the 版记 above the page number.
  const printedOn = meta.printedOn;
  if (printedOn) {
    sections.push({
      landscape: false,
      colophon: () => colophon(meta.copyTo ?? ph.colophon.copyTo, meta.printedBy ?? meta.issuer, printedOn),
      children: [new Paragraph({ children: [] })],
    });
  }
  const doc = new Document({
    creator: meta.issuer,
    title: meta.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            font: { ascii: GB9704.fonts.latin, hAnsi: GB9704.fonts.latin, eastAsia: GB9704.fonts.body },
            size: GB9704.sizes.body,
          },
        },
      },
      // The zone tables' cells (小五, centred, single spacing): a style keeps each cell's XML short.
      paragraphStyles: [ZONE_CELL_STYLE, ZONE_HEAD_STYLE].map((id) => ({
        id,
        name: id,
        basedOn: "Normal",
        run: {
          font: {
            ascii: GB9704.fonts.latin,
            hAnsi: GB9704.fonts.latin,
            eastAsia: id === ZONE_CELL_STYLE ? GB9704.fonts.body : GB9704.fonts.heading1,
          },
          size: TABLE_HALF_POINTS,
        },
        paragraph: {
          alignment: AlignmentType.CENTER,
          spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO },
        },
      })),
    },
    sections: sections
      .filter((s, i) => i === 0 || s.children.length > 0)
      .map((s) => ({
        properties: {
          page: {
            size: {
              width: GB9704.page.width,
              height: GB9704.page.height,
              orientation: s.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
            },
            margin: GB9704.margin,
          },
        },
        footers: footers(s.colophon),
        children: s.children,
      })),
  });
  placeFigures.checkAllPlaced();
  return splicePackage(await Packer.toBuffer(doc), { tables, rewrite: fontFallbackRewrites() });
}
