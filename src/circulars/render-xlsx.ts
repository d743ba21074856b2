import ExcelJS from "exceljs";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { PROGRESS_LABELS } from "../assessment/progress-status.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import type { CircularMeta } from "./circular-view.js";
import { DASH, localDateTime, moneyNumber, pctNumber, valueText, yoyText } from "./format.js";
import { buildNotSubmittedTable, buildZoneTable, type Cell, type Table } from "./zone-table.js";

const BOLD = { bold: true } as const;
const THIN = { style: "thin" } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Excel forbids []:*?/\ in sheet names and allows 31 characters. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31);
}

function writeCell(target: ExcelJS.Cell, c: Cell): void {
  if (c.num !== undefined) {
    target.value = c.num;
    if (c.numFmt) target.numFmt = c.numFmt;
  } else {
    target.value = c.text;
  }
  target.border = BORDER;
  target.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
}

/** Row 1 title (merged), row 2 optional sample note, then headers and rows. */
function addTableSheet(wb: ExcelJS.Workbook, name: string, t: Table, sampleNote: string | undefined): void {
  const ws = wb.addWorksheet(sheetName(name));
  const cols = t.headers.length;
  ws.columns = t.widths.map((w) => ({ width: Math.max(6, w * 1.6) }));
  ws.getCell(1, 1).value = t.title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: "center" };
  ws.mergeCells(1, 1, 1, cols);
  let row = 2;
  if (sampleNote) {
    ws.getCell(row, 1).value = sampleNote;
    ws.mergeCells(row, 1, row, cols);
    row++;
  }
  t.headers.forEach((h, i) => {
    const cell = ws.getCell(row, i + 1);
    cell.value = h;
    cell.font = BOLD;
    cell.border = BORDER;
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  });
  ws.views = [{ state: "frozen", ySplit: row, xSplit: 3 }];
  for (const r of t.rows) {
    row++;
    r.forEach((c, i) => {
      writeCell(ws.getCell(row, i + 1), c);
    });
  }
}

function addSummarySheet(wb: ExcelJS.Workbook, m: AssessmentModel, meta: CircularMeta, ph: CircularPhrases) {
  const ws = wb.addWorksheet(sheetName(ph.xlsx.summarySheet));
  ws.columns = [{ width: 28 }, { width: 40 }];
  const rows: Array<[string, string | number]> = [
    [phrase(ph.xlsx.summaryTitle, { periodLabel: m.periodLabel }), ""],
  ];
  if (m.isSample) rows.push([ph.sampleNote, ""]);
  rows.push(
    ["发文字号", meta.docNumber],
    ["数据截至", localDateTime(m.builtAt)],
    ["时间进度（%）", pctNumber(m.thresholds.expectedPct) ?? DASH],
    ["应报送经开区（个）", m.totals.zones],
    ["已报送（个）", m.totals.submitted],
    ["其中逾期报送（个）", m.totals.late],
    ["未报送（个）", m.totals.missing],
  );
  for (const g of m.groups) {
    rows.push([g.label, `${g.submittedCount}/${g.zoneIds.length} 已报送`]);
    const h = g.headline;
    if (!h) continue;
    rows.push(
      [`累计${h.label}（${h.unit}）`, moneyNumber(h.total) ?? DASH],
      [`全年目标（${h.unit}）`, moneyNumber(h.groupTarget) ?? DASH],
      ["完成率（%）", pctNumber(h.completionPct) ?? DASH],
      ["进度状态", PROGRESS_LABELS[h.status]],
      ["同比", yoyText(h.yoyPct)],
      ...g.grades.map((x): [string, number] => [`${x.grade}（个）`, x.zoneIds.length]),
    );
  }
  rows.forEach(([k, v], i) => {
    ws.getCell(i + 1, 1).value = k;
    ws.getCell(i + 1, 2).value = v;
    if (i === 0) ws.getCell(1, 1).font = { bold: true, size: 14 };
  });
}

function addDetailSheet(wb: ExcelJS.Workbook, m: AssessmentModel, ph: CircularPhrases) {
  const c = ph.columns;
  const labels = new Map(m.indicators.map((i) => [i.key, i]));
  const rows: Cell[][] = m.zones.flatMap((z) =>
    z.indicators.map((f) => {
      const def = labels.get(f.key);
      const unit = def?.unit ?? "";
      return [
        { text: z.prefectureShortName },
        { text: z.name },
        { text: def?.label ?? f.key },
        { text: unit },
        f.value === null ? { text: DASH } : { text: valueText(f.value, unit), num: moneyNumber(f.value)! },
        f.target === null ? { text: DASH } : { text: valueText(f.target, unit), num: moneyNumber(f.target)! },
        f.completionPct === null
          ? { text: DASH }
          : { text: "", num: pctNumber(f.completionPct)!, numFmt: '0.0"%"' },
        { text: PROGRESS_LABELS[f.status] },
        { text: z.submitted ? (z.late ? "是" : "否") : DASH },
      ];
    }),
  );
  addTableSheet(
    wb,
    ph.xlsx.detailSheet,
    {
      title: `${m.periodLabel}${ph.xlsx.detailSheet}`,
      headers: [
        c.prefecture,
        c.zone,
        c.indicator,
        "单位",
        "累计值",
        "年度目标",
        c.completion,
        c.status,
        c.late,
      ],
      widths: [6, 12, 12, 4, 8, 8, 6, 6, 5],
      rows,
    },
    m.isSample ? ph.sampleNote : undefined,
  );
}

/** The workbook: 汇总, one per-zone sheet per group with a headline figure, 未报送名单, 指标明细. */
export async function renderCircularXlsx(
  m: AssessmentModel,
  meta: CircularMeta,
  ph: CircularPhrases,
  builtAt: Date,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.issuer;
  wb.created = builtAt;
  wb.modified = builtAt;
  const note = m.isSample ? ph.sampleNote : undefined;
  addSummarySheet(wb, m, meta, ph);
  for (const g of m.groups) {
    if (!g.headline) continue;
    addTableSheet(wb, phrase(ph.xlsx.groupSheet, { label: g.label }), buildZoneTable(m, g, ph), note);
  }
  addTableSheet(wb, ph.xlsx.notSubmittedSheet, buildNotSubmittedTable(m, ph), note);
  addDetailSheet(wb, m, ph);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
