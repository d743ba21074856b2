import type { AssessmentModel } from "../assessment/assessment-model.js";
import { PROGRESS_LABELS } from "../assessment/progress-status.js";
import { type CircularPhrases, phrase } from "./circular-phrases.js";
import type { CircularMeta } from "./circular-view.js";
import { DASH, moneyNumber, pctNumber, valueText, yoyText } from "./format.js";
import { excelWidth } from "./xlsx-layout.js";
import { type SheetPart, xlsxPackage } from "./xlsx-package.js";
import { excelDate, numberCellXml, SheetXml, textCellXml } from "./xlsx-sheet-xml.js";
import { XF_KIND, xfIndex } from "./xlsx-styles.js";
import { sheetName, tableSheet } from "./xlsx-table-sheet.js";
import { buildNotSubmittedTable, buildZoneTable, type Cell, type Table } from "./zone-table.js";

/**
 * The circular's Excel workbook: the 汇总 sheet (key figures read down one column), and the table sheets
 * (xlsx-table-sheet.ts) built from the assessment — one per group with a headline figure, with its 报送情况
 * column, 未报送名单 and the row-per-figure 指标明细 — then zipped (xlsx-package.ts).
 */

function summarySheet(m: AssessmentModel, meta: CircularMeta, ph: CircularPhrases): SheetPart {
  const rows: Array<[string, string | number | Date]> = [
    [phrase(ph.xlsx.summaryTitle, { periodLabel: m.periodLabel }), ""],
  ];
  if (m.isSample) rows.push([ph.sampleNote, ""]);
  rows.push(
    ["发文字号", meta.docNumber],
    ["数据截至", shanghaiDate(m.builtAt)],
    ["时间进度（%）", pctNumber(m.thresholds.expectedPct) ?? ""],
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
      [`累计${h.label}（${h.unit}）`, moneyNumber(h.total) ?? ""],
      [`全年目标（${h.unit}）`, moneyNumber(h.groupTarget) ?? ""],
      ["完成率（%）", pctNumber(h.completionPct) ?? ""],
      ["进度状态", PROGRESS_LABELS[h.status]],
      ["同比", yoyText(h.yoyPct)],
      ...g.grades.map((x): [string, number] => [`${x.grade}（个）`, x.zoneIds.length]),
    );
  }
  const sx = new SheetXml({ widths: [28, 40] });
  const xml = [sx.start()];
  rows.forEach(([k, v], i) => {
    const r = i + 1;
    const key = textCellXml(`A${r}`, xfIndex(i === 0 ? XF_KIND.heading : XF_KIND.plain), k);
    // One column read down: every value left-aligned, money with thousands separators.
    const value =
      v instanceof Date
        ? numberCellXml(`B${r}`, xfIndex(XF_KIND.left, "yyyy-mm-dd hh:mm"), excelDate(v))
        : typeof v === "number"
          ? numberCellXml(`B${r}`, xfIndex(XF_KIND.left, /（万元）$/.test(k) ? "#,##0.00" : undefined), v)
          : textCellXml(`B${r}`, xfIndex(XF_KIND.left), v);
    xml.push(sx.row(r, key + value) ?? "");
  });
  xml.push(sx.end());
  return { name: sheetName(ph.xlsx.summarySheet), chunks: xml };
}

function detailSheet(m: AssessmentModel, ph: CircularPhrases): SheetPart {
  const c = ph.columns;
  const labels = new Map(m.indicators.map((i) => [i.key, i]));
  // One row per zone and indicator (the biggest sheet), generated as it is written.
  const rows = function* (): Generator<Cell[]> {
    for (const z of m.zones)
      for (const f of z.indicators) {
        const def = labels.get(f.key);
        const unit = def?.unit ?? "";
        const required = def?.required !== false;
        // An optional figure nobody had to fill is not 未报送: its status stays empty.
        const status = f.value === null && !required ? "" : PROGRESS_LABELS[f.status];
        yield [
          { text: z.prefectureShortName },
          { text: z.name },
          { text: def?.label ?? f.key },
          { text: unit },
          { text: required ? "必报" : "选填" },
          f.value === null ? { text: DASH } : { text: valueText(f.value, unit), num: moneyNumber(f.value)! },
          f.target === null
            ? { text: DASH }
            : { text: valueText(f.target, unit), num: moneyNumber(f.target)! },
          f.completionPct === null
            ? { text: DASH }
            : { text: "", num: pctNumber(f.completionPct)!, numFmt: '0.0"%"' },
          { text: status },
          { text: z.submitted ? (z.late ? "逾期报送" : "已报送") : "未报送" },
        ];
      }
  };
  return tableSheet(
    ph.xlsx.detailSheet,
    {
      title: `${m.periodLabel}${ph.xlsx.detailSheet}`,
      headers: [
        c.prefecture,
        c.zone,
        c.indicator,
        "单位",
        "必报/选填",
        "累计值",
        "年度目标",
        c.completion,
        c.status,
        "报送情况",
      ],
      // The zone column as wide as the longest name (rows are streamed, not measured).
      widths: [
        6,
        m.zones.reduce((w, z) => Math.max(w, excelWidth(z.name) / 1.6 + 1.5), 12),
        12,
        4,
        5,
        8,
        8,
        6,
        6,
        6,
      ],
      rows: rows(),
    },
    m.isSample ? ph.sampleNote : undefined,
  );
}

/** The Shanghai wall-clock time of an instant as an Excel date (Excel dates carry no zone). */
function shanghaiDate(iso: string): Date {
  return new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
}

/** The zone sheet's 报送情况 column (已报送 / 逾期报送 / 未报送), separate from the figures. */
function withStatusColumn(m: AssessmentModel, g: AssessmentModel["groups"][number], t: Table): Table {
  const byId = new Map(m.zones.map((z) => [z.zoneId, z]));
  const status = (id: string) => {
    const z = byId.get(id)!;
    return z.submitted ? (z.late ? "逾期报送" : "已报送") : "未报送";
  };
  const rows = t.rows.map((r, i) => [...r, { text: status(g.headline!.zones[i]!.zoneId) }]);
  const bands = t.bands ? { bands: [...t.bands, { text: "报送情况", span: 1 }] } : {};
  const total = t.total?.map((c, i): Cell => {
    // 完成率 of the 合计 row is total ÷ target, not a sum of rates.
    if (t.headers[i]?.startsWith("完成率") && c.num !== undefined)
      return { ...c, formula: "ratio", ratioOf: [i - 2, i] };
    return c;
  });
  return {
    ...t,
    headers: [...t.headers, "报送情况"],
    ...bands,
    widths: [...t.widths, 6],
    rows,
    ...(total ? { total: [...total, { text: "" }] } : {}),
  };
}

/**
 * The workbook: 汇总, one per-zone sheet per group with a headline figure, 未报送名单, 指标明细 —
 * written as XML text (xlsx-sheet-xml.ts) and zipped as it is produced, the detail rows generated
 * while the zip writer reads them. Excel's styles are a fixed set (xlsx-styles.ts).
 */
export async function renderCircularXlsx(
  m: AssessmentModel,
  meta: CircularMeta,
  ph: CircularPhrases,
  builtAt: Date,
): Promise<Buffer> {
  const note = m.isSample ? ph.sampleNote : undefined;
  const sheets: SheetPart[] = [summarySheet(m, meta, ph)];
  for (const g of m.groups) {
    if (!g.headline) continue;
    sheets.push(
      tableSheet(
        phrase(ph.xlsx.groupSheet, { label: g.label }),
        withStatusColumn(m, g, buildZoneTable(m, g, ph)),
        note,
      ),
    );
  }
  sheets.push(tableSheet(ph.xlsx.notSubmittedSheet, buildNotSubmittedTable(m, ph), note));
  sheets.push(detailSheet(m, ph));
  return xlsxPackage(sheets, { creator: meta.issuer, date: builtAt });
}
