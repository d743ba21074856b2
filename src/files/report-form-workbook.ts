import type ExcelJS from "exceljs";
import { type Period, periodLabel } from "../domain/period.js";
import type { IndicatorDef, PrefectureDef, Programme, ZoneDef } from "../programme/programme.js";
import { indicatorsForZone } from "../programme/programme.js";
import { fixZipTimestamps } from "../roster/zip-timestamps.js";
import {
  FORM_HEADER_ROW,
  FORM_MARKER,
  FORM_MARKER_SHEET,
  FORM_SHEET,
  FORM_VERSION,
} from "./report-form-marker.js";
import { columnLetter } from "./sheet-grid.js";

export interface ReportFormInput {
  programme: Programme;
  period: Period;
  prefecture: PrefectureDef;
  /** Zones of the bureau that must report, in the order they are listed. */
  zones: ZoneDef[];
  /** Last quarter's confirmed values per zone (shown beside each input column of a cumulative indicator). */
  previous: Record<string, Record<string, string>>;
  /** This quarter's confirmed values per zone (pre-filled, so a correction changes only what differs). */
  current: Record<string, Record<string, string>>;
}

const FIXED_DATE = new Date("2020-01-01T00:00:00Z");
const GREY: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE7E6E6" } };
const HEAD: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: "thin" },
  left: { style: "thin" },
  bottom: { style: "thin" },
  right: { style: "thin" },
};

/** The header of an input column: label and unit ("进出口额（万元）", "进出口同比（%）", "包装招商项目（个）"). */
export function formHeader(ind: IndicatorDef): string {
  if (ind.kind === "text") return ind.label;
  const unit = ind.kind === "money" ? "万元" : ind.kind === "percent" ? "%" : ind.unit || "个";
  return `${ind.label}（${unit}）`;
}

function validationFor(ind: IndicatorDef): ExcelJS.DataValidation | undefined {
  const base = { allowBlank: true, showErrorMessage: true, errorStyle: "stop", errorTitle: "数值不符合要求" };
  if (ind.kind === "count")
    return {
      ...base,
      type: "whole",
      operator: "greaterThanOrEqual",
      formulae: [0],
      error: `「${ind.label}」请填写不小于 0 的整数`,
    };
  if (ind.kind === "money")
    return {
      ...base,
      type: "decimal",
      operator: "greaterThanOrEqual",
      formulae: [0],
      error: `「${ind.label}」请填写不小于 0 的金额（单位：万元）`,
    };
  if (ind.kind === "percent")
    return {
      ...base,
      type: "decimal",
      operator: "between",
      formulae: [-100, 100000],
      error: `「${ind.label}」请填写百分数，如 12.5 或 -3.1`,
    };
  return undefined;
}

function numeric(v: string | undefined, kind: IndicatorDef["kind"]): string | number | null {
  if (v === undefined || v === "") return null;
  if (kind === "text") return v;
  const n = Number(v);
  // a value that a double cannot hold exactly stays text (the reader reads text through the same grammar)
  return Number.isFinite(n) && String(n) === v ? n : v;
}

/**
 * The pre-filled report workbook of one bureau and quarter (sheets 填报, 说明 and the very hidden marker
 * sheet). Byte-for-byte deterministic for the same input.
 */
export async function writeReportForm(input: ReportFormInput): Promise<Buffer> {
  const { programme, period, prefecture, zones } = input;
  const indicators = programme.indicators
    .filter((i) => zones.some((z) => indicatorsForZone(programme, z).includes(i)))
    .sort((a, b) => a.sortOrder - b.sortOrder);
  // exceljs (~27 MB resident) is loaded on the first form written, not when the bot starts
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  wb.creator = "kaiqu-bot";
  wb.lastModifiedBy = "kaiqu-bot";
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const ws = wb.addWorksheet(FORM_SHEET, {
    views: [{ state: "frozen", xSplit: 1, ySplit: FORM_HEADER_ROW }],
  });

  // columns: A zone; per indicator an input column, and for cumulative ones a grey reference column
  const layout: { ind: IndicatorDef; col: number; refCol?: number }[] = [];
  let col = 2;
  for (const ind of indicators) {
    const entry: { ind: IndicatorDef; col: number; refCol?: number } = { ind, col: col++ };
    if (ind.cumulative && ind.kind !== "text") entry.refCol = col++;
    layout.push(entry);
  }
  const lastCol = col - 1;
  const title = `${periodLabel(period)}${prefecture.name}经开区培育工作进展填报表`;
  ws.getCell(1, 1).value = title;
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: "center" };
  ws.getCell(2, 1).value =
    "白色单元格填写截至本季度末的累计数（增速填百分数）；灰色列为上季度已确认的累计数，仅供参考。填好后把本文件原样发回机器人。";
  ws.mergeCells(2, 1, 2, lastCol);
  ws.getCell(2, 1).alignment = { wrapText: true };
  ws.getRow(2).height = 30;

  const header = ws.getRow(FORM_HEADER_ROW);
  header.getCell(1).value = "经开区";
  for (const { ind, col: c, refCol } of layout) {
    header.getCell(c).value = formHeader(ind);
    if (refCol) header.getCell(refCol).value = `上季度${formHeader(ind)}`;
  }
  for (let c = 1; c <= lastCol; c++) {
    const cell = header.getCell(c);
    cell.font = { bold: true };
    cell.fill = HEAD;
    cell.border = THIN;
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    ws.getColumn(c).width = c === 1 ? 22 : 16;
  }
  header.height = 36;

  zones.forEach((zone, i) => {
    const row = ws.getRow(FORM_HEADER_ROW + 1 + i);
    row.getCell(1).value = zone.name;
    row.getCell(1).border = THIN;
    const own = indicatorsForZone(programme, zone);
    for (const { ind, col: c, refCol } of layout) {
      const cell = row.getCell(c);
      cell.border = THIN;
      if (!own.includes(ind)) {
        cell.value = "不适用";
        cell.fill = GREY;
        continue;
      }
      cell.value = numeric(input.current[zone.id]?.[ind.key], ind.kind);
      cell.protection = { locked: false };
      const v = validationFor(ind);
      if (v) cell.dataValidation = v;
      if (ind.kind === "money") cell.numFmt = "0.######";
      if (refCol) {
        const ref = row.getCell(refCol);
        ref.value = numeric(input.previous[zone.id]?.[ind.key], ind.kind) ?? "—";
        ref.fill = GREY;
        ref.border = THIN;
      }
    }
  });
  await ws.protect("", {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
  });

  const help = wb.addWorksheet("说明");
  help.getColumn(1).width = 100;
  const lines = [
    title,
    "",
    `1. 只填「${FORM_SHEET}」工作表的白色单元格；标题、表头和灰色参考列已锁定。`,
    "2. 金额单位为万元（3.2亿元填 32000）；增速填百分数（增长12.5%填 12.5，下降3.1%填 -3.1）；个数、次数填整数。",
    "3. 填截至本季度末的全年累计数，不得小于上季度已确认的累计数（灰色列）。",
    "4. 不要改动工作表名称和经开区名称；不报的项目留空，机器人会列出缺少的项目。",
    "5. 填好后把本文件发回：企业微信智能机器人或个人微信里直接发送文件。机器人核对后回显数据，回复“确认”即完成报送。",
    "6. 也可以用本单位自己的表格发送（表头写明指标和单位、每行一个经开区），或直接发文字（发送“模板”获取文字模板）。",
  ];
  lines.forEach((l, i) => {
    help.getCell(i + 1, 1).value = l;
  });
  help.getCell(1, 1).font = { bold: true, size: 14 };

  const marker = wb.addWorksheet(FORM_MARKER_SHEET, { state: "veryHidden" });
  const rows: (string | number)[][] = [
    [FORM_MARKER, FORM_VERSION],
    ["year", period.year],
    ["quarter", period.quarter],
    ["prefecture", prefecture.code],
    ["columns"],
    ...layout.map(({ ind, col: c }) => [columnLetter(c - 1), ind.key]),
  ];
  for (const r of rows) marker.addRow(r);
  return fixZipTimestamps(Buffer.from(await wb.xlsx.writeBuffer()));
}
