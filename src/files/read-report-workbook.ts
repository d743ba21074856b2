import type { Period, Quarter } from "../domain/period.js";
import { normaliseText } from "../parsing/normalise-text.js";
import {
  declaredMoneyUnit,
  type MoneyUnit,
  parseCount,
  parseMoney,
  parsePercent,
  type QuantityResult,
} from "../parsing/quantities.js";
import type { IndicatorDef, Programme, ZoneDef } from "../programme/programme.js";
import { FORM_HEADER_ROW, FORM_MARKER, FORM_MARKER_SHEET, FORM_SHEET } from "./report-form-marker.js";
import {
  cellPlace,
  columnLetter,
  type GridCell,
  type SheetGrid,
  type SpreadsheetGrid,
} from "./sheet-grid.js";

/** What a returned workbook holds, per zone, in canonical values (money 万元, rates %, counts). */
export interface WorkbookReport {
  /** The bot's own form (recognised by its hidden marker sheet). */
  ours: boolean;
  /** The period the form was made for (ours), or a period named in the sheet's title rows. */
  period?: Period;
  prefectureCode?: string;
  sheet: string;
  zones: { zoneId: string; values: Record<string, string>; places: Record<string, string> }[];
  /** Cells that could not be read with certainty: sheet, row, column and the value read, in Chinese. */
  problems: string[];
  /** Columns not read (no indicator, or a target/last-year column), named for the echo. */
  ignored: string[];
}

/** Columns that look like an indicator but hold something else: targets, last year, last quarter. */
const NOT_THIS_QUARTER = /目标|任务|计划|上年|去年|上季度|上期|参考/;
const TOTAL_ROW = /^(合计|小计|总计|全省|全州|全市|汇总)/;
const HEADER_SCAN_ROWS = 15;

/** Text of a cell, normalised like chat text (Simplified, half-width), without line breaks. */
const norm = (c: GridCell | undefined) => (c ? normaliseText(c.text).replace(/\s+/g, "") : "");

function unitKind(header: string): IndicatorDef["kind"] | undefined {
  if (/%|百分/.test(header)) return "percent";
  if (/亿元|万元|元/.test(header)) return "money";
  if (/[(（](个|次|家|场|项)[)）]/.test(header)) return "count";
  return undefined;
}

/**
 * The indicator a header names: the longest label or alias it contains; when the header names a unit,
 * only indicators of that kind ("进出口额 同比（%）" is the growth rate, not the trade value).
 */
export function indicatorOfHeader(header: string, indicators: IndicatorDef[]): IndicatorDef | undefined {
  const h = header.replace(/[(（][^)）]*[)）]/g, "");
  const kind = unitKind(header);
  let best: { ind: IndicatorDef; len: number } | undefined;
  for (const ind of indicators) {
    if (ind.kind === "text") continue;
    if (kind && ind.kind !== kind) continue;
    for (const name of [ind.label, ...ind.aliases]) {
      if (name.length > (best?.len ?? 0) && h.includes(name)) best = { ind, len: name.length };
    }
  }
  return best?.ind;
}

/** The zone a cell names: exact name, short name or alias first, then the longest short name it contains. */
export function zoneOfCell(text: string, zones: ZoneDef[]): ZoneDef | undefined {
  if (text === "") return undefined;
  const exact = zones.find((z) => z.name === text || z.shortName === text || z.aliases.includes(text));
  if (exact) return exact;
  let best: ZoneDef | undefined;
  for (const z of zones)
    if (text.includes(z.shortName) && z.shortName.length > (best?.shortName.length ?? 0)) best = z;
  return best;
}

function readMarker(
  grid: SpreadsheetGrid,
): { period: Period; prefectureCode: string; columns: Record<string, string> } | undefined {
  const m = grid.sheets.find((s) => s.name === FORM_MARKER_SHEET);
  if (!m || m.rows[0]?.[0]?.text !== FORM_MARKER) return undefined;
  const kv = new Map<string, string>();
  const columns: Record<string, string> = {};
  let inColumns = false;
  for (const r of m.rows) {
    const k = r[0]?.text ?? "";
    if (k === "columns") {
      inColumns = true;
      continue;
    }
    if (inColumns && r[1]) columns[k] = r[1].text;
    else if (r[1]) kv.set(k, r[1].text);
  }
  const year = Number(kv.get("year"));
  const quarter = Number(kv.get("quarter"));
  const prefectureCode = kv.get("prefecture");
  if (!Number.isInteger(year) || ![1, 2, 3, 4].includes(quarter) || !prefectureCode) return undefined;
  return { period: { year, quarter: quarter as Quarter }, prefectureCode, columns };
}

interface Layout {
  headerRow: number;
  zoneCol: number;
  columns: { col: number; ind: IndicatorDef; header: string }[];
  ignored: string[];
}

/** Header text of a column: the header row, prefixed by the row above when that is a merged group header. */
function headerText(sheet: SheetGrid, row: number, col: number): string {
  const own = norm(sheet.rows[row]?.[col]);
  if (row === 0) return own;
  const above = sheet.rows[row - 1]?.[col];
  const merged = sheet.merges.find(
    (m) => m.top <= row - 1 && m.bottom >= row - 1 && m.left <= col && m.right >= col,
  );
  const width = Math.max(...sheet.rows.slice(row, row + 1).map((r) => r.length), 1);
  // a group header merged over a few columns, not a title merged over the whole table
  if (above && merged && merged.bottom < row && merged.right - merged.left + 1 < width) {
    const group = norm(above);
    return own.includes(group) ? own : `${group}${own}`;
  }
  return own;
}

function findLayout(sheet: SheetGrid, programme: Programme, zones: ZoneDef[]): Layout | undefined {
  let best: Layout | undefined;
  for (let r = 0; r < Math.min(HEADER_SCAN_ROWS, sheet.rows.length); r++) {
    const row = sheet.rows[r] ?? [];
    const columns: Layout["columns"] = [];
    const ignored: string[] = [];
    for (let c = 0; c < row.length; c++) {
      const header = headerText(sheet, r, c);
      if (header === "") continue;
      const ind = indicatorOfHeader(header, programme.indicators);
      if (!ind) continue;
      if (NOT_THIS_QUARTER.test(header)) {
        ignored.push(`${header}（${columnLetter(c)} 列）`);
        continue;
      }
      columns.push({ col: c, ind, header });
    }
    if (columns.length === 0 || columns.length <= (best?.columns.length ?? 0)) continue;
    // the zone column: the one whose cells below name the most zones
    let zoneCol = -1;
    let hits = 0;
    for (let c = 0; c < row.length + 1; c++) {
      if (columns.some((x) => x.col === c)) continue;
      let n = 0;
      for (let rr = r + 1; rr < sheet.rows.length; rr++)
        if (zoneOfCell(norm(sheet.rows[rr]?.[c]), zones)) n++;
      if (n > hits) {
        hits = n;
        zoneCol = c;
      }
    }
    if (zoneCol < 0) continue;
    for (let c = 0; c < row.length; c++) {
      const h = norm(row[c]);
      if (
        h &&
        c !== zoneCol &&
        !columns.some((x) => x.col === c) &&
        !ignored.some((i) => i.includes(`${columnLetter(c)} 列`))
      )
        ignored.push(`${h}（${columnLetter(c)} 列）`);
    }
    best = { headerRow: r, zoneCol, columns, ignored };
  }
  return best;
}

function readValue(ind: IndicatorDef, cell: GridCell, unit: MoneyUnit | undefined): QuantityResult {
  const text = cell.number ?? cell.text;
  if (ind.kind === "money") return parseMoney(text, unit);
  if (ind.kind === "percent")
    return parsePercent(cell.number !== undefined && !cell.text.endsWith("%") ? `${text}%` : text);
  return parseCount(text);
}

const REASONS: Record<string, string> = {
  money_without_unit: "金额没有单位（表头和单元格都没写亿元或万元），请在表头写明单位，如“进出口额（万元）”",
  negative_count: "个数不能为负数",
  not_integer: "个数应为整数",
  bad_number: "不是可识别的数值",
};

/**
 * Reads the report table of a returned workbook: the bot's form (marker sheet: period, bureau and
 * column map) or a bureau's own sheet (header row found by indicator names, units from headers or cells,
 * merged group headers, title rows, extra columns ignored and named, zones by full name, short name or
 * alias). Every value goes through the parser's quantity grammar; a cell that does not read with
 * certainty becomes a problem naming sheet, row, column and the value read.
 */
export function readReportWorkbook(grid: SpreadsheetGrid, programme: Programme): WorkbookReport | undefined {
  const marker = readMarker(grid);
  const zones = programme.zones.filter((z) => z.groups.length > 0);
  const candidates = marker
    ? grid.sheets
        .filter((s) => s.name === FORM_SHEET)
        .concat(grid.sheets.filter((s) => s.name !== FORM_SHEET && !s.hidden))
    : grid.sheets.filter((s) => !s.hidden);
  for (const sheet of candidates) {
    let layout = findLayout(sheet, programme, zones);
    if (marker && sheet.name === FORM_SHEET) {
      // our form: the marker's column map wins where the header still names the same indicator
      const headerRow = FORM_HEADER_ROW - 1;
      const columns = Object.entries(marker.columns).flatMap(([letter, key]) => {
        const col = [...letter].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        const ind = programme.indicators.find((i) => i.key === key);
        const header = norm(sheet.rows[headerRow]?.[col]);
        return ind && header.includes(ind.label) ? [{ col, ind, header }] : [];
      });
      if (columns.length === Object.keys(marker.columns).length)
        layout = { headerRow, zoneCol: 0, columns, ignored: [] };
    }
    if (!layout) continue;
    return readTable(sheet, layout, programme, zones, marker);
  }
  return undefined;
}

function readTable(
  sheet: SheetGrid,
  layout: Layout,
  programme: Programme,
  zones: ZoneDef[],
  marker: ReturnType<typeof readMarker>,
): WorkbookReport {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const c of layout.columns) {
    const other = seen.get(c.ind.key);
    if (other !== undefined)
      problems.push(
        `「${sheet.name}」${columnLetter(other)} 列和 ${columnLetter(c.col)} 列都是「${c.ind.label}」，无法确定读哪一列。请删去多余的一列后再发送。`,
      );
    seen.set(c.ind.key, c.col);
  }
  const out: WorkbookReport["zones"] = [];
  for (let r = layout.headerRow + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const zoneText = norm(row[layout.zoneCol]);
    if (zoneText === "" || TOTAL_ROW.test(zoneText)) continue;
    const zone = zoneOfCell(zoneText, zones);
    const hasData = layout.columns.some((c) => row[c.col] !== undefined);
    if (!zone) {
      if (hasData)
        problems.push(
          `${cellPlace(sheet.name, r, layout.zoneCol)}的经开区“${zoneText}”不在培育名单中，请写经开区全称或简称（如 ${zones[0]?.name ?? "惠水经开区"}）。`,
        );
      continue;
    }
    if (out.some((z) => z.zoneId === zone.id)) {
      problems.push(
        `${cellPlace(sheet.name, r, layout.zoneCol)}：经开区“${zoneText}”在表中出现了两次，请只保留一行。`,
      );
      continue;
    }
    const values: Record<string, string> = {};
    const places: Record<string, string> = {};
    for (const c of layout.columns) {
      const cell = row[c.col];
      const place = cellPlace(sheet.name, r, c.col);
      if (!cell || cell.text.trim() === "" || cell.text === "不适用" || cell.text === "—") {
        if (cell?.uncomputed)
          problems.push(
            `${place}「${c.header}」是公式，但文件里没有保存计算结果，读不到数值。请在 Excel 或 WPS 中打开文件、保存后再发送，或直接填写数值。`,
          );
        continue;
      }
      const q = readValue(c.ind, cell, declaredMoneyUnit(c.header));
      if (!q.ok) {
        problems.push(
          `${place}「${c.header}」读到“${cell.text}”：${q.detail ?? REASONS[q.reason] ?? "无法识别"}。`,
        );
        continue;
      }
      values[c.ind.key] = q.value.toString();
      places[c.ind.key] = `${place}“${cell.text}”`;
    }
    out.push({ zoneId: zone.id, values, places });
  }
  return {
    ours: marker !== undefined,
    ...(marker ? { period: marker.period, prefectureCode: marker.prefectureCode } : {}),
    sheet: sheet.name,
    zones: out,
    problems,
    ignored: layout.ignored,
  };
}
