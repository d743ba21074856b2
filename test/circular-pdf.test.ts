import { beforeAll, describe, expect, it } from "vitest";
import { synthetic } from "../bench/_synthetic-programme.js";
import { assessPeriod } from "../src/assessment/assess-period.js";
import type { AssessmentModel, GroupAssessment } from "../src/assessment/assessment-model.js";
import { loadCircularPhrases } from "../src/circulars/circular-phrases.js";
import { headerLines } from "../src/circulars/docx-table-xml.js";
import { DASH } from "../src/circulars/format.js";
import { circularTitle, renderCircular } from "../src/circulars/render-circular.js";
import { convertToPdf, hasSoffice } from "../src/circulars/render-pdf.js";
import { titleLines } from "../src/circulars/title-lines.js";
import { buildZoneTable, type Cell, type Table } from "../src/circulars/zone-table.js";
import { loadConfig } from "../src/config/config.js";
import { Decimal } from "../src/domain/decimal.js";
import { type PdfPage, pdfLayout } from "./support/pdf-layout.js";
import { SAMPLE_Q1_MISSING, sampleQ1Model } from "./support/sample-circular.js";

/**
 * The circular's Word and Excel files as a clerk sees them: converted by LibreOffice (headless) to PDF
 * and read back word by word with their positions (poppler). Each document is converted once.
 */
const SOFFICE = loadConfig({ KAIQU_SOFFICE: process.env.KAIQU_SOFFICE }).KAIQU_SOFFICE;
const META = {
  number: 1,
  docNumber: "黔商函〔2023〕1号",
  numbered: true,
  issuer: "贵州省商务厅经开区培育工作专班",
};
const ph = loadCircularPhrases();

interface Word {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
/**
 * The text pieces of a page as poppler groups them: in a table, one per cell line ("第 181 经开区",
 * set with LibreOffice's spacing between Chinese and digits, is one line of three words).
 */
const words = (p: PdfPage): Word[] =>
  p.lines.map((l) => ({
    text: l.text,
    xMin: Math.min(...l.words.map((w) => w.xMin)),
    xMax: Math.max(...l.words.map((w) => w.xMax)),
    yMin: l.yMin,
    yMax: l.yMax,
  }));
const yMid = (w: Word) => (w.yMin + w.yMax) / 2;

interface Case {
  name: string;
  model: AssessmentModel;
  group: GroupAssessment;
  table: Table;
  docx: PdfPage[];
  xlsx: PdfPage[];
}

/** A figure of a cell as the workbook prints it: its number format, blank for a missing figure. */
function xlsxText(c: Cell): string {
  if (c.num === undefined) return c.text === DASH ? "" : c.text;
  if (c.numFmt === "#,##0.00")
    return c.num.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (c.numFmt?.includes("%")) return `${c.num.toFixed(1)}%`;
  return String(c.num);
}

/** Pages from the one titled `title` up to (not including) the first later page that `stop` accepts. */
function pagesOf(pages: PdfPage[], title: string, stop: (p: PdfPage) => boolean): number[] {
  const start = pages.findIndex((p) => p.lines.some((l) => l.text === title));
  const out: number[] = [];
  for (let i = start; i >= 0 && i < pages.length; i++) {
    if (i > start && stop(pages[i]!)) break;
    out.push(i);
  }
  return out;
}
const titled = (t: string) => (p: PdfPage) => p.lines.some((l) => l.text === t);

/**
 * Where each zone's row is: the one page among `pageNos` where the zone's name is a word, and every
 * word of that page on the name's line (within 4 pt of its middle: the cells are centred vertically).
 */
function locateRows(pages: PdfPage[], pageNos: number[], names: string[]) {
  return names.map((name) => {
    const hits = pageNos.flatMap((n) => words(pages[n]!).flatMap((w) => (w.text === name ? [{ n, w }] : [])));
    expect(hits, `${name} appears once, whole, in the table`).toHaveLength(1);
    const { n, w } = hits[0]!;
    const line = words(pages[n]!)
      .filter((x) => Math.abs(yMid(x) - yMid(w)) <= 4)
      .sort((a, b) => a.xMin - b.xMin);
    return { name, page: n, y: yMid(w), line };
  });
}

/** Pairs of text pieces of a page printed over each other (boxes intersecting by more than 1 pt). */
function overprinted(p: PdfPage): string[] {
  const ws = words(p);
  const out: string[] = [];
  for (const [i, a] of ws.entries())
    for (const b of ws.slice(i + 1))
      if (
        Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin) > 1 &&
        Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin) > 1
      )
        out.push(`${a.text} × ${b.text}`);
  return out;
}

/** The number printed in the column of `anchor` (a 合计 figure) on a row's line, if any. */
function figureUnder(line: Word[], anchor: Word): number | undefined {
  const w = line.find((x) => x.xMax > anchor.xMin && x.xMin < anchor.xMax);
  const n = w ? Number(w.text.replace(/,/g, "")) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

async function buildCase(name: string, model: AssessmentModel): Promise<Case> {
  const group = model.groups.find((g) => g.headline)!;
  const rendered = await renderCircular(model, META, ph);
  const docx = (await pdfLayout(await convertToPdf(rendered.docx, "docx", SOFFICE))).pages;
  const xlsx = (await pdfLayout(await convertToPdf(rendered.xlsx, "xlsx", SOFFICE))).pages;
  return { name, model, group, table: buildZoneTable(model, group, ph), docx, xlsx };
}

function nationalScale(zones: number): AssessmentModel {
  const s = synthetic(zones);
  return assessPeriod({
    ...s,
    period: { year: 2023, quarter: 2 },
    builtAt: new Date("2023-07-20T02:00:00Z"),
  });
}

const cases: Array<{ name: string; pages: [number, number]; xlsxPages: [number, number] }> = [
  { name: "2023Q1 sample", pages: [6, 14], xlsxPages: [4, 16] },
  { name: "300 zones", pages: [20, 60], xlsxPages: [20, 90] },
];

describe.each(cases)("circular PDF as a reader sees it: $name", ({ name, pages, xlsxPages }) => {
  let c: Case;
  beforeAll(async () => {
    if (!hasSoffice(SOFFICE, process.env.PATH ?? ""))
      throw new Error(
        `LibreOffice not found at ${SOFFICE} (install libreoffice-writer, -calc; or KAIQU_SOFFICE)`,
      );
    c = await buildCase(name, name === "300 zones" ? nationalScale(300) : await sampleQ1Model());
  }, 180_000);

  // The attachment: landscape pages from its title on.
  const tablePages = () => pagesOf(c.docx, c.table.title, (p) => p.width < p.height);
  const zoneNames = () => c.table.rows.map((r) => r[2]!.text);

  it("has a sane page count, A4 portrait for the body and landscape for the attachment", () => {
    expect(c.docx.length).toBeGreaterThanOrEqual(pages[0]);
    expect(c.docx.length).toBeLessThanOrEqual(pages[1]);
    expect(c.docx[0]!.width).toBeLessThan(c.docx[0]!.height);
    for (const n of tablePages())
      expect(c.docx[n]!.width, `page ${n + 1}`).toBeGreaterThan(c.docx[n]!.height);
    expect(c.xlsx.length).toBeGreaterThanOrEqual(xlsxPages[0]);
    expect(c.xlsx.length).toBeLessThanOrEqual(xlsxPages[1]);
  });

  it("breaks the title between phrases, as the title-line rule says", () => {
    const expected = titleLines(circularTitle(c.model));
    expect(expected.length).toBeGreaterThan(1);
    const lines = c.docx[0]!.lines.map((l) => l.text);
    const at = lines.indexOf(expected[0]!);
    expect(at, `title line 1 "${expected[0]}" on page 1`).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at, at + expected.length)).toEqual(expected);
  });

  it("docx: every zone's row whole on one page, its figures on its line; rows in order", () => {
    const rows = locateRows(c.docx, tablePages(), zoneNames());
    rows.forEach((r, i) => {
      const texts = r.line.map((w) => w.text);
      for (const cell of c.table.rows[i]!) if (cell.text !== "") expect(texts, r.name).toContain(cell.text);
      const prev = rows[i - 1];
      if (prev) expect(r.page > prev.page || (r.page === prev.page && r.y > prev.y), r.name).toBe(true);
    });
    // More than one table page for the 300 zones: the split falls between rows.
    if (c.table.rows.length > 100) expect(new Set(rows.map((r) => r.page)).size).toBeGreaterThan(3);
  });

  it("docx: the same header on top of every table page, with units on lines of their own", () => {
    const rowsByPage = locateRows(c.docx, tablePages(), zoneNames());
    const headerOf = (n: number) => {
      const firstRow = Math.min(...rowsByPage.filter((r) => r.page === n).map((r) => r.y));
      const top = words(c.docx[n]!).find((w) => w.text === "序号");
      expect(top, `序号 on page ${n + 1}`).toBeDefined();
      return words(c.docx[n]!)
        .filter((w) => w.yMin >= top!.yMin - 30 && yMid(w) < firstRow - 4)
        .map((w) => w.text)
        .sort();
    };
    const pagesWithRows = [...new Set(rowsByPage.map((r) => r.page))];
    const first = headerOf(pagesWithRows[0]!);
    for (const h of ["序号", "市州", "经开区", "排名", "（万元）", "（%）"]) expect(first).toContain(h);
    for (const n of pagesWithRows.slice(1)) expect(headerOf(n), `header on page ${n + 1}`).toEqual(first);
    for (const n of tablePages()) expect(overprinted(c.docx[n]!), `page ${n + 1}`).toEqual([]);
    // No bracket left alone or cut from its unit.
    for (const n of tablePages())
      for (const w of words(c.docx[n]!)) {
        expect(w.text, `page ${n + 1}`).not.toMatch(/^[（）]$/);
        expect((w.text.match(/（/g) ?? []).length, `"${w.text}" on page ${n + 1}`).toBe(
          (w.text.match(/）/g) ?? []).length,
        );
      }
  });

  it("docx: 未报送 is not a grade; unreported rows are marked —", () => {
    const gradeCol = c.table.headers.findIndex((h) => h.startsWith("等次"));
    for (const r of c.table.rows) expect(r[gradeCol]!.text).not.toBe("未报送");
    const rows = locateRows(c.docx, tablePages(), zoneNames());
    for (const r of rows) expect(r.line.map((w) => w.text)).not.toContain("未报送");
    if (name === "2023Q1 sample") {
      const missing = c.model.zones.filter(
        (z) => SAMPLE_Q1_MISSING.has(z.zoneId) && c.group.zoneIds.includes(z.zoneId),
      );
      expect(missing.length).toBe(2);
      for (const z of missing)
        expect(rows.find((r) => r.name === z.name)!.line.map((w) => w.text)).toContain(DASH);
    }
  });

  it("docx: the 合计 row adds up the printed figures and equals the assessment's totals", () => {
    const last = tablePages().at(-1)!;
    const total = words(c.docx[last]!).find((w) => w.text === "合计")!;
    expect(total).toBeDefined();
    const line = words(c.docx[last]!)
      .filter((w) => Math.abs(yMid(w) - yMid(total)) <= 4)
      .sort((a, b) => a.xMin - b.xMin);
    const h = c.group.headline!;
    const money = (s: string | null) => Decimal.parse(s!).round(2).toString();
    const texts = line.map((w) => w.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        money(h.total),
        money(h.groupTarget),
        Decimal.parse(h.completionPct!).toFixed(1),
      ]),
    );
    for (const q of c.group.quotas) expect(texts).toContain(money(q.total));
    // A reader adds up the column: the rows' printed figures sum to the 合计 figure.
    const anchor = line.find((w) => w.text === money(h.total))!;
    const rows = locateRows(c.docx, tablePages(), zoneNames());
    const sum = rows.reduce((a, r) => a + (figureUnder(r.line, anchor) ?? 0), 0);
    expect(sum).toBeCloseTo(Number(money(h.total)), 1);
  });

  it("docx: 版记 (抄送, 印发) at the foot of the last page", () => {
    const last = c.docx.at(-1)!;
    const copy = last.lines.find((l) => l.text.startsWith("抄送："));
    const printed = last.lines.find((l) => l.text.endsWith("印发"));
    const printedBy = last.lines.find((l) => l.text === META.issuer);
    expect(copy, "抄送 on the last page").toBeDefined();
    expect(printed, "印发 on the last page").toBeDefined();
    // 印发机关 and 印发日期 on one line (left and right).
    expect(printedBy, "印发机关 on the last page").toBeDefined();
    expect(Math.abs(printedBy!.yMin - printed!.yMin)).toBeLessThan(3);
    expect(copy!.yMin).toBeLessThan(printed!.yMin);
    // GB/T 9704 7.4: the 版记 is the last thing on the page, in its lower part.
    expect(printed!.yMax).toBeGreaterThan(last.height * 0.7);
    for (const p of c.docx.slice(0, -1)) expect(p.text).not.toMatch(/抄送：/);
  });

  it("xlsx: A4 landscape, the zone sheet one page wide with every column header on its first page", () => {
    for (const [i, p] of c.xlsx.entries()) {
      expect(p.width, `page ${i + 1}`).toBeGreaterThan(p.height);
      expect(Math.round(p.width)).toBe(842); // A4, not Letter
    }
    const sheet = pagesOf(c.xlsx, c.table.title, titled(`${c.model.periodLabel}未报送经开区名单`));
    expect(sheet.length).toBeGreaterThan(0);
    for (const n of sheet) expect(overprinted(c.xlsx[n]!), `page ${n + 1}`).toEqual([]);
    const first = words(c.xlsx[sheet[0]!]!).map((w) => w.text);
    for (const h of [...c.table.headers, "报送情况"])
      for (const l of headerLines(h)) expect(first, `header "${h}"`).toContain(l);
    for (const n of sheet)
      for (const w of words(c.xlsx[n]!))
        expect((w.text.match(/（/g) ?? []).length, `"${w.text}" on page ${n + 1}`).toBe(
          (w.text.match(/）/g) ?? []).length,
        );
  });

  it("xlsx: every zone's row whole on one page; numbers as numbers; the 合计 row the assessment's", () => {
    const sheet = pagesOf(c.xlsx, c.table.title, titled(`${c.model.periodLabel}未报送经开区名单`));
    const rows = locateRows(c.xlsx, sheet, zoneNames());
    rows.forEach((r, i) => {
      const texts = r.line.map((w) => w.text);
      for (const cell of c.table.rows[i]!) {
        const t = xlsxText(cell);
        if (t !== "") expect(texts, r.name).toContain(t);
      }
      // The status column, never "—" in a figure's place.
      expect(texts, r.name).not.toContain(DASH);
    });
    const last = c.xlsx[sheet.at(-1)!]!;
    const total = words(last).find((w) => w.text === "合计")!;
    expect(total).toBeDefined();
    const texts = words(last)
      .filter((w) => Math.abs(yMid(w) - yMid(total)) <= 4)
      .map((w) => w.text);
    const h = c.group.headline!;
    for (const cell of c.table.total!) if (cell.num !== undefined) expect(texts).toContain(xlsxText(cell));
    expect(texts).toContain(
      Number(Decimal.parse(h.total!).round(2).toString()).toLocaleString("en-US", {
        minimumFractionDigits: 2,
      }),
    );
  });
});
