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
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { loadTemplate } from "../templates/load-template.js";
import { renderTemplate, type TemplateView } from "../templates/render-template.js";
import type { CircularPhrases } from "./circular-phrases.js";
import { type OutlineBlock, parseOutline } from "./docx-outline.js";
import { buildZoneTable, type Table as ZoneTable } from "./zone-table.js";

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
  } = {},
): Paragraph {
  return new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: {
      ...(opts.firstLine ? { firstLine: opts.firstLine } : {}),
      ...(opts.right ? { right: opts.right } : {}),
    },
    spacing: opts.spacing ? { lineRule: LineRuleType.AUTO, line: 240, ...opts.spacing } : exact,
    children: [run(text, font, opts.size ?? GB9704.sizes.body, opts.color ? { color: opts.color } : {})],
  });
}

function blockParagraph(b: Exclude<OutlineBlock, { kind: "section" | "table" }>): Paragraph {
  const f = GB9704.fonts;
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
      return para(b.text, f.title, {
        size: GB9704.sizes.title,
        align: AlignmentType.CENTER,
        spacing: { before: 0, after: 560, line: 360 },
      });
    case "heading": {
      const font = b.level === 1 ? f.heading1 : b.level === 2 ? f.heading2 : f.body;
      return para(`${b.number}${b.text}`, font, { firstLine: GB9704.indent2 });
    }
    case "centered":
      return para(b.text, f.body, { align: AlignmentType.CENTER });
    case "right":
      return para(b.text, f.body, { align: AlignmentType.RIGHT, right: GB9704.indent2 });
    case "flush":
      return para(b.text, f.body, { align: AlignmentType.LEFT });
    case "mark":
      return para(b.text, f.heading1, { align: AlignmentType.LEFT });
    case "body":
      return para(b.text, f.body, { firstLine: GB9704.indent2 });
  }
}

function tableElement(t: ZoneTable, usableWidth: number): Table {
  const sum = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => Math.floor((w / sum) * usableWidth));
  const cell = (text: string, width: number, header: boolean) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [run(text, header ? GB9704.fonts.heading1 : GB9704.fonts.body, GB9704.sizes.table)],
        }),
      ],
    });
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, children: t.headers.map((h, i) => cell(h, widths[i]!, true)) }),
      ...t.rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c.text, widths[i]!, false)) })),
    ],
  });
}

function footers() {
  const pageNumber = (align: "left" | "right") =>
    new Paragraph({
      alignment: align === "right" ? AlignmentType.RIGHT : AlignmentType.LEFT,
      indent: align === "right" ? { right: 280 } : { left: 280 },
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
  // GB/T 9704: odd pages right, even pages left, one character in from the edge.
  return {
    default: new Footer({ children: [pageNumber("right")] }),
    even: new Footer({ children: [pageNumber("left")] }),
  };
}

/** Renders templates/circular.docx.tpl with the view into a GB/T 9704-2012 styled Word document. */
export async function renderCircularDocx(
  model: AssessmentModel,
  view: TemplateView,
  ph: CircularPhrases,
  meta: { title: string; issuer: string },
  template = loadTemplate(DOCX_TEMPLATE),
): Promise<Buffer> {
  const blocks = parseOutline(renderTemplate(template, view, DOCX_TEMPLATE));
  const sections: Array<{ landscape: boolean; children: FileChild[] }> = [{ landscape: false, children: [] }];
  for (const b of blocks) {
    const current = sections[sections.length - 1]!;
    if (b.kind === "section") {
      sections.push({ landscape: b.landscape, children: [] });
    } else if (b.kind === "table") {
      const group = model.groups.find((g) => g.code === b.ref && g.headline);
      if (!group)
        throw new Error(`模板 ${DOCX_TEMPLATE}：[[表格 ${b.ref}]] 没有对应的类别（需有总目标的类别代码）`);
      const m = GB9704.margin;
      const usable = (current.landscape ? GB9704.page.height : GB9704.page.width) - m.left - m.right;
      current.children.push(tableElement(buildZoneTable(model, group, ph), usable));
      // Word expects a paragraph after a table that ends a section.
      current.children.push(new Paragraph({ children: [] }));
    } else {
      current.children.push(blockParagraph(b));
    }
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
        footers: footers(),
        children: s.children,
      })),
  });
  return Packer.toBuffer(doc);
}
