import type { ZoneDef } from "../programme/programme.js";
import type { ClaimSink } from "./claim-sink.js";
import { valueIssue } from "./issue-messages.js";
import { readLongTable } from "./long-tables.js";
import { normaliseText } from "./normalise-text.js";
import { findPeriodMentions } from "./periods.js";
import { declaredMoneyUnit, type MoneyUnit, parseCount, parseMoney, parsePercent } from "./quantities.js";
import { isSubHeaderRow, readSubHeaders, subColumnNamedBack } from "./sub-headers.js";
import {
  type Cells,
  cellsOf,
  cellZone,
  EMPTY,
  type Header,
  headerIndicator,
  ZONE_HEADER,
} from "./table-headers.js";
import {
  detailNote,
  misalignedRowIssue,
  reportExtra,
  reportUnknownKey,
  splitDetail,
} from "./table-issues.js";

/**
 * The table reader: finds a grid's layout (zones as rows or as columns, under which header row), splits
 * tables pasted one under another, and reads every filled cell into a claim, an issue or a note, so nothing
 * in a table is dropped silently. What a cell's text names is worked out in table-headers.ts.
 */

/**
 * A table of cell texts: pasted from Excel into a chat, or read from a workbook/CSV (src/files). Numbers arrive
 * as the text a person sees or as exact decimal strings ("32000", "12.5%"); a percent column may hold "12.5"
 * (read as 12.5 %). Pass the grid to parseTable (parse-report.ts) with the same ParseContext as text.
 */
export interface CellGrid {
  /** Sheet name, named in messages ("工作表“汇总” 第3行 C列"). */
  sheet?: string;
  rows: string[][];
  /** 1-based row and column of rows[0][0] in the source (default 1 and 1). */
  originRow?: number;
  originColumn?: number;
  /**
   * Rows (indexes into rows) whose cells could not be matched to the header's columns (a space-aligned
   * table, spaced-tables.ts): their figures are asked about, never placed by count.
   */
  misalignedRows?: readonly number[];
}

/** "C", "AA" for a 1-based column number. */
export function columnLetters(n: number): string {
  let s = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** "第3行 C列" (with the sheet: "工作表“汇总” 第3行 C列") for grid indexes r, c (0-based). */
export function cellRef(grid: CellGrid, r: number, c: number): string {
  const ref = `第${r + (grid.originRow ?? 1)}行 ${columnLetters(c + (grid.originColumn ?? 1))}列`;
  return grid.sheet ? `工作表“${grid.sheet}” ${ref}` : ref;
}

interface Layout {
  /** Zones as rows (header row of indicators) or as columns (header row of zones). */
  zonesAs: "rows" | "columns";
  headerRow: number;
  /** The column (rows) or row (columns) naming the zones / indicators. */
  keyIndex: number;
  score: number;
}

/** Finds the header: the row with the most indicator (or zone) cells among the first ten rows. */
function findLayout(cells: Cells, sink: ClaimSink): Layout | undefined {
  const grid = cells.grid;
  let best: Layout | undefined;
  const width = cells.width;
  for (let h = 0; h < Math.min(10, grid.rows.length); h++) {
    const row = grid.rows[h]!;
    const indCells = row.filter((t) => headerIndicator(t, sink)).length;
    const zoneCells = row.filter((t) => cellZone(t, sink)).length;
    if (indCells > 0) {
      // zones as rows: the key column is where the data rows name zones
      let keyCol = -1;
      let zoneRows = 0;
      for (let c = 0; c < width; c++) {
        if (cells.header(h, c)) continue;
        let n = 0;
        for (let r = h + 1; r < grid.rows.length; r++) if (cells.zone(r, c)) n++;
        if (n > zoneRows) [zoneRows, keyCol] = [n, c];
      }
      const score = indCells + zoneRows;
      if ((indCells >= 2 || zoneRows >= 1) && (!best || score > best.score))
        best = { zonesAs: "rows", headerRow: h, keyIndex: keyCol, score };
    }
    if (zoneCells > 0) {
      let keyCol = -1;
      let indRows = 0;
      for (let c = 0; c < width; c++) {
        let n = 0;
        for (let r = h + 1; r < grid.rows.length; r++) if (cells.header(r, c)) n++;
        if (n > indRows) [indRows, keyCol] = [n, c];
      }
      const score = zoneCells + indRows;
      if (indRows >= 1 && (!best || score > best.score))
        best = { zonesAs: "columns", headerRow: h, keyIndex: keyCol, score };
    }
  }
  return best;
}

/**
 * Reads a grid into claims. Returns false when the grid is no report table (no header of indicators or zones);
 * the caller then reads its lines as prose. Every cell that holds something is read, or named back: extra
 * columns and rows are reported (notes), unknown zones and near-miss headers are issues.
 */
export function readGrid(grid: CellGrid, sink: ClaimSink): boolean {
  // two tables pasted one under the other: each header row after the first starts a table of its own
  // (read under the first header, the second table's figures would land in the wrong columns or vanish)
  const starts = grid.rows.flatMap((row, i) => (i > 0 && isHeaderRow(row, sink) ? [i] : []));
  if (starts.length > 0 && grid.rows.slice(0, starts[0]).some((row) => isHeaderRow(row, sink))) {
    const bounds = [0, ...starts, grid.rows.length];
    const parts = bounds.slice(0, -1).map((b, n) => ({
      ...grid,
      rows: grid.rows.slice(b, bounds[n + 1]),
      originRow: (grid.originRow ?? 1) + b,
      misalignedRows: (grid.misalignedRows ?? [])
        .filter((r) => r >= b && r < bounds[n + 1]!)
        .map((r) => r - b),
    }));
    for (const p of parts) {
      const cells = cellsOf(p, sink);
      const layout = findLayout(cells, sink);
      if (layout) readOneGrid(cells, layout, sink);
      else sink.readProse(p.rows.map((r) => r.join("\t")).join("\n"));
    }
    return true;
  }
  const cells = cellsOf(grid, sink);
  if (readLongTable(cells, sink)) return true;
  const layout = findLayout(cells, sink);
  if (!layout) return false;
  readOneGrid(cells, layout, sink);
  return true;
}

/** A header row: a zone-column word ("经开区") or 指标 first, then indicator (or zone) cells. */
function isHeaderRow(row: string[], sink: ClaimSink): boolean {
  const first = normaliseText(row[0] ?? "").replace(/\s+/g, "");
  const rest = row.slice(1);
  // a unit row under the header ("单位 | 万元 | 个") starts no table of its own
  if (
    first === "单位" &&
    rest.every((t) => /^[（(]?(?:亿元|万元|元|个|次|家|场|%|％)?[)）]?$/.test(t.trim()))
  )
    return false;
  if (ZONE_HEADER.test(first))
    return (
      rest.some((t) => headerIndicator(t, sink)) || (rest.length > 0 && rest.every((t) => !/\d/.test(t)))
    );
  if (/^(?:指标|项目|填报项|指标名称)$/.test(first)) return rest.some((t) => cellZone(t, sink));
  return false;
}

function readOneGrid(cells: Cells, layout: Layout, sink: ClaimSink): void {
  const grid = cells.grid;
  // title rows above the header: a period ("2023年一季度") or a unit ("单位：万元")
  let tableUnit: MoneyUnit | undefined;
  for (let r = 0; r < grid.rows.length; r++) {
    const line = normaliseText(grid.rows[r]!.join(" ")).trim();
    // below the header only a line that is nothing but the unit ("单位：万元" as a footer) counts
    if (r >= layout.headerRow && !/^单位\s*[：:]\s*(亿元|万元|元)$/.test(line)) continue;
    if (r < layout.headerRow) for (const m of findPeriodMentions(line)) sink.period(m);
    const u = /单位\s*[：:]\s*(亿元|万元|元)/.exec(line);
    if (u) tableUnit = u[1] as MoneyUnit;
  }
  const unit = tableUnit ?? sink.moneyUnit();
  const h = layout.headerRow;
  const k = layout.keyIndex;
  // along: the header's cells (indicators for rows, zones for columns); across: the data lines
  const lines: number[] = [];
  const rowsMode = layout.zonesAs === "rows";
  const height = cells.height;
  // every column up to the widest row: a figure under no header is named back, never skipped
  const width = cells.width;
  // zones as rows: a second header row (merged cells, a unit row) says what each column is (sub-headers.ts)
  const subs = rowsMode && isSubHeaderRow(cells, h + 1, k) ? readSubHeaders(cells, h, k, sink) : undefined;
  if (rowsMode) for (let r = h + (subs ? 2 : 1); r < height; r++) lines.push(r);
  else for (let c = 0; c < width; c++) if (c !== k) lines.push(c);
  // columns mode: the header row holds zones along columns and the key column holds indicators down rows
  // (as parallel arrays, in the order of the header's cells: a header's index, and a copy of the header
  // because a 单位 column may set its unit below)
  const headerAt: number[] = [];
  const headers: Header[] = [];
  const misaligned = new Set(grid.misalignedRows ?? []);
  for (let a = rowsMode ? 0 : h + 1; a < (rowsMode ? width : height); a++) {
    if (rowsMode && a === k) continue;
    if (!rowsMode && misaligned.has(a)) {
      sink.issue(misalignedRowIssue(grid, a, false));
      continue;
    }
    const sub = subs?.get(a);
    if (sub && sub.kind !== "read") {
      const filled = lines.filter((l) => !EMPTY.test(cells.text(l, a))).length;
      if (filled > 0) subColumnNamedBack(sink, sub, cellRef(grid, h + 1, a), filled);
      continue;
    }
    if (sub) for (const m of sub.periods) sink.period(m);
    const hd = sub ? sub.header : rowsMode ? cells.header(h, a) : cells.header(a, k);
    if (hd) {
      if (hd.period) for (const m of findPeriodMentions(hd.period)) sink.period(m);
      headerAt.push(a);
      headers.push({ ...hd });
    } else reportExtra(cells, sink, rowsMode, lines, h, k, a);
  }
  // columns mode: a "单位" column gives each indicator row its unit
  const unitCol = rowsMode
    ? -1
    : grid.rows[h]!.findIndex((t, c) => c !== k && /^单位$/.test(normaliseText(t)));
  if (unitCol >= 0) {
    for (let n = 0; n < headers.length; n++) {
      const hd = headers[n]!;
      const u = declaredMoneyUnit(cells.text(headerAt[n]!, unitCol));
      if (u && !hd.unit) hd.unit = u;
    }
  }
  for (const line of lines) {
    if (line === unitCol) continue;
    const keyText = rowsMode ? (k >= 0 ? cells.text(line, k) : "") : cells.text(h, line);
    let hasData = false;
    for (const a of headerAt)
      if (!EMPTY.test(rowsMode ? cells.text(line, a) : cells.text(a, line))) {
        hasData = true;
        break;
      }
    if (!hasData && keyText === "") continue;
    if (rowsMode && misaligned.has(line)) {
      sink.issue(misalignedRowIssue(grid, line, true));
      continue;
    }
    let zone: ZoneDef | undefined;
    if (k >= 0 || !rowsMode) {
      zone = rowsMode ? cells.zone(line, k) : cells.zone(h, line);
      if (!zone) {
        if (!hasData) continue;
        const keyRef = rowsMode ? cellRef(grid, line, k) : cellRef(grid, h, line);
        reportUnknownKey(sink, rowsMode, keyRef, keyText);
        continue;
      }
    }
    for (let n = 0; n < headers.length; n++) {
      const a = headerAt[n]!;
      const hd = headers[n]!;
      const [text, detail] = splitDetail(normaliseText(rowsMode ? cells.text(line, a) : cells.text(a, line)));
      if (EMPTY.test(text)) continue;
      const where = rowsMode ? cellRef(grid, line, a) : cellRef(grid, a, line);
      if (detail) sink.note(detailNote(detail, hd.ind.label, where, zone?.id));
      readValueCell(sink, zone, hd, text, where, unit);
    }
  }
}

/** One cell's figure under its header, for its zone: a claim, or an issue saying why it is not one. */
export function readValueCell(
  sink: ClaimSink,
  zone: ZoneDef | undefined,
  hd: Header,
  text: string,
  where: string,
  unit: MoneyUnit | undefined,
): void {
  const raw = `${zone?.shortName ?? ""} ${hd.text} ${text}`.trim();
  if (hd.ind.kind === "text") {
    sink.claim(zone, hd.ind, text, raw, where);
    return;
  }
  const r =
    hd.ind.kind === "money"
      ? parseMoney(text, hd.unit ?? unit)
      : hd.ind.kind === "percent"
        ? parsePercent(text, /[%％]/.test(hd.text))
        : parseCount(text);
  if (!r.ok) {
    sink.issue(valueIssue(r.reason, hd.ind, `${where}：${text}`, zone?.id, r.detail));
    return;
  }
  sink.claim(zone, hd.ind, r.value.toString(), raw, where, r.value);
}
