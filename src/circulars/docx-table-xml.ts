import { titleLines } from "./title-lines.js";
import type { Table } from "./zone-table.js";

/**
 * The zone table of the Word circular written as WordprocessingML text, row by row, so a table of
 * 20 000 zones never becomes an object tree (docx-package.ts streams the chunks into the package).
 * Layout (GB/T 9704 tables as the task force files them): fixed column widths from content, single
 * borders, the header (one or two rows) repeated on every page, no row ever split across pages
 * (w:cantSplit on every row), units on a line of their own, a bold 合计 row, never wider than the page.
 * Body cells use the paragraph style ZONE_CELL_STYLE (仿宋 小五, centred; defined in render-docx.ts),
 * which keeps a cell to about 170 bytes.
 */
export const ZONE_CELL_STYLE = "ZoneTableCell";
export const ZONE_HEAD_STYLE = "ZoneTableHead";

/**
 * Table text: 小五 (9 pt = 180 twips a CJK character; 五号 leaves a 17-column table wider than a
 * landscape page) plus the cell margins.
 */
export const TABLE_HALF_POINTS = 18;
const CHAR_TWIPS = TABLE_HALF_POINTS * 10;
const CELL_PAD = 2 * 60 + 40;

/** "累计进出口（万元）" → ["累计进出口", "（万元）"]: the unit on a line of its own. */
export function headerLines(h: string): string[] {
  const m = /^(.+?)(（[^（）]+）)$/.exec(h);
  return m ? [m[1]!, m[2]!] : [h];
}

/**
 * Width in em of table text as LibreOffice and Word set it: CJK and full-width 1; digits and most
 * Latin 0.62, or 0.7 in bold (the 合计 row) — wide enough for the fonts that stand in for Times New
 * Roman where it is missing (DejaVu Serif: digits 0.64, bold 0.7; Liberation Serif 0.5) — "%" 0.9,
 * plus 8 % so a figure never wraps.
 */
export function tableTextWidth(s: string, bold = false): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    w += c >= 0x2e80 ? 1 : ch === "%" ? 0.9 : ch === "." || ch === "-" ? 0.35 : bold ? 0.7 : 0.62;
  }
  return w * 1.08;
}

/**
 * Column widths from content: each column wants its widest cell (header lines included); a header
 * label may wrap, so when the table is too wide, columns shrink toward their widest unbreakable
 * part (the unit, the widest figure) in proportion to what they can give. A band over several
 * columns (two-row header) may wrap too and asks nothing of them.
 */
export function columnWidths(t: Table, usable: number): number[] {
  const twips = (s: string, bold = false) => Math.ceil(tableTextWidth(s, bold) * CHAR_TWIPS) + CELL_PAD;
  const content = t.headers.map(() => twips("00"));
  const measure = (r: Table["rows"][number], bold: boolean) => {
    for (let i = 0; i < content.length; i++) {
      const w = twips(r[i]?.text ?? "", bold);
      if (w > content[i]!) content[i] = w;
    }
  };
  for (const r of t.rows) measure(r, false);
  if (t.total) measure(t.total, true);
  const min = t.headers.map((h, i) => {
    const lines = headerLines(h);
    const unit = lines.length > 1 ? twips(lines[1]!) : twips(lines[0]!.slice(0, 2));
    return Math.max(content[i]!, unit, twips("完成"));
  });
  const want = t.headers.map((h, i) => Math.max(min[i]!, ...headerLines(h).map((l) => twips(l))));
  const total = want.reduce((a, b) => a + b, 0);
  if (total <= usable) return want.map((w) => Math.floor((w * usable) / total));
  const slack = want.reduce((a, w, i) => a + w - min[i]!, 0);
  const over = total - usable;
  return want.map((w, i) =>
    Math.floor(w - (slack > 0 ? ((w - min[i]!) * Math.min(over, slack)) / slack : 0)),
  );
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "&quot;",
  );
}

const LATIN = "Times New Roman";
const HEAD_FONT = "黑体";

/** A header or 合计 run: 黑体 小五, with its font named on the run (few rows, read by people and tests). */
function headRun(text: string, first: boolean, bold: boolean): string {
  return (
    `<w:r><w:rPr><w:rFonts w:ascii="${LATIN}" w:eastAsia="${HEAD_FONT}" w:hAnsi="${LATIN}"/>` +
    `${bold ? "<w:b/><w:bCs/>" : ""}<w:sz w:val="${TABLE_HALF_POINTS}"/><w:szCs w:val="${TABLE_HALF_POINTS}"/></w:rPr>` +
    `${first ? "" : "<w:br/>"}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
  );
}

function cell(width: number, inner: string, extra = ""): string {
  return (
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${extra}<w:vAlign w:val="center"/></w:tcPr>` +
    `${inner}</w:tc>`
  );
}

/**
 * A header label wider than its cell broken between words (the title rule of title-lines.ts), so
 * "累计进出口额" wraps as 累计 / 进出口额 and "引进外贸市场主体" as 引进外贸 / 市场主体, never mid-word.
 */
export function fitHeaderLines(lines: string[], width: number): string[] {
  const em = (width - CELL_PAD) / CHAR_TWIPS;
  return lines.flatMap((l) => (tableTextWidth(l) <= em ? [l] : titleLines(l, Math.max(2, Math.floor(em)))));
}

function headCell(width: number, lines: string[], extra = "", bold = false): string {
  const runs = (bold ? lines : fitHeaderLines(lines, width))
    .map((l, i) => headRun(l, i === 0, bold))
    .join("");
  return cell(width, `<w:p><w:pPr><w:pStyle w:val="${ZONE_HEAD_STYLE}"/></w:pPr>${runs}</w:p>`, extra);
}

function bodyCell(width: number, text: string): string {
  const run = text === "" ? "" : `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
  return cell(width, `<w:p><w:pPr><w:pStyle w:val="${ZONE_CELL_STYLE}"/></w:pPr>${run}</w:p>`);
}

const HEADER_ROW = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
const ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
const BORDER = `w:val="single" w:sz="4" w:space="0" w:color="auto"`;

/** The header rows: one row, or two when the table has bands (each single column merged down). */
function headerXml(t: Table, widths: number[]): string {
  if (!t.bands)
    return `${HEADER_ROW}${t.headers.map((h, i) => headCell(widths[i]!, headerLines(h))).join("")}</w:tr>`;
  let top = HEADER_ROW;
  let bottom = HEADER_ROW;
  let col = 0;
  for (const b of t.bands) {
    const w = widths.slice(col, col + b.span).reduce((a, x) => a + x, 0);
    if (b.span === 1) {
      top += headCell(w, headerLines(t.headers[col]!), `<w:vMerge w:val="restart"/>`);
      bottom += cell(w, `<w:p><w:pPr><w:pStyle w:val="${ZONE_HEAD_STYLE}"/></w:pPr></w:p>`, "<w:vMerge/>");
    } else {
      top += headCell(w, [b.text], `<w:gridSpan w:val="${b.span}"/>`);
      for (let i = col; i < col + b.span; i++) bottom += headCell(widths[i]!, headerLines(t.headers[i]!));
    }
    col += b.span;
  }
  return `${top}</w:tr>${bottom}</w:tr>`;
}

/**
 * The table as chunks of XML (about `rowsPerChunk` rows each), in document order. `usable` is the
 * text width of the page in twips; the table is centred and never wider.
 */
export function* zoneTableXml(t: Table, usable: number, rowsPerChunk = 200): Generator<string> {
  const widths = columnWidths(t, usable);
  const tableWidth = widths.reduce((a, b) => a + b, 0);
  yield `<w:tbl><w:tblPr><w:tblW w:w="${tableWidth}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders><w:top ${BORDER}/><w:left ${BORDER}/><w:bottom ${BORDER}/><w:right ${BORDER}/>` +
    `<w:insideH ${BORDER}/><w:insideV ${BORDER}/></w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>` +
    `<w:bottom w:w="20" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr>` +
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join("")}</w:tblGrid>` +
    headerXml(t, widths);
  let chunk = "";
  let n = 0;
  for (const r of t.rows) {
    chunk += ROW;
    for (let i = 0; i < widths.length; i++) chunk += bodyCell(widths[i]!, r[i]?.text ?? "");
    chunk += "</w:tr>";
    if (++n % rowsPerChunk === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (t.total) {
    chunk += ROW;
    t.total.forEach((c, i) => {
      chunk += headCell(widths[i]!, c.text === "" ? [] : [c.text], "", true);
    });
    chunk += "</w:tr>";
  }
  yield `${chunk}</w:tbl>`;
}
