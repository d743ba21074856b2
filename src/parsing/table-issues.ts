import type { ClaimSink } from "./claim-sink.js";
import { quote, unknownZoneIssue } from "./issue-messages.js";
import { didYouMean, nearestIndicator, nearestZones } from "./near-miss.js";
import { normaliseText } from "./normalise-text.js";
import type { ParseIssue, ReadNote } from "./parsed-report.js";
import { type CellGrid, cellRef } from "./read-table.js";
import { type Cells, EMPTY, SILENT_HEADER, TOTAL_ROW, UNIT_IN_HEADER, ZONE_HEADER } from "./table-headers.js";

/**
 * What the table reader (read-table.ts) says of cells it does not read into claims: columns and rows that
 * name no indicator (named back, or asked when near one), rows whose key names no zone, and rows of a
 * space-aligned table whose figures cannot be placed under the header's columns (asked, never guessed).
 */

/** A row of a space-aligned table whose cells do not line up with the header's: asked, nothing stored. */
export function misalignedRowIssue(grid: CellGrid, r: number, rowsMode: boolean): ParseIssue {
  const text = grid.rows[r]!.filter((t) => t.trim() !== "").join(" ");
  const where = `第${r + (grid.originRow ?? 1)}行`;
  const what = rowsMode ? "哪一项" : "哪个经开区";
  return {
    code: rowsMode ? "bad_number" : "unknown_zone",
    ...(rowsMode ? {} : { field: "zone", fieldLabel: "经开区" }),
    read: `${where}：${text}`,
    message: `${where}的数字个数与表头的列数对不上，无法判断每个数字属于${what}（读到${quote(`${where} ${text}`)}），本次未保存。请用制表符分隔（从Excel直接复制）或逐项写明后重新发送，例如：惠水经开区 进出口额：32000万元，包装招商项目：3个`,
  };
}

/** A header cell (column in rows mode, row in columns mode) that names no indicator but has data. */
export function reportExtra(
  cells: Cells,
  sink: ClaimSink,
  rowsMode: boolean,
  lines: number[],
  h: number,
  k: number,
  a: number,
): void {
  const grid = cells.grid;
  const text = rowsMode ? cells.text(h, a) : cells.text(a, k);
  let filled = 0;
  for (const l of lines) if (!EMPTY.test(rowsMode ? cells.text(l, a) : cells.text(a, l))) filled++;
  const name = normaliseText(text).replace(UNIT_IN_HEADER, "");
  if (filled === 0 || SILENT_HEADER.test(name) || (rowsMode && ZONE_HEADER.test(name))) return;
  const where = rowsMode ? cellRef(grid, h, a) : cellRef(grid, a, k);
  const near = name ? nearestIndicator(name, sink.vocab.indicators) : undefined;
  if (near) {
    sink.issue({
      code: "unknown_field",
      field: name,
      fieldLabel: name,
      read: `${where}：${name}`,
      message: `无法识别表头「${name}」（读到${quote(`${where} ${name}`)}）${didYouMean([near.label])}请把表头改为「${near.label}」后重新发送，例如：${near.label}（万元）`,
    });
    return;
  }
  sink.note({
    code: "ignored_column",
    read: `${where} ${name || "（无表头）"}`,
    where,
    message: `未识别：${rowsMode ? "列" : "行"}「${name || "（无表头）"}」（${where}，${filled}个数据，不是填报项，未保存）`,
  });
}

/** A data line with figures whose key cell names no zone: a total row (noted) or an unknown zone (asked). */
export function reportUnknownKey(sink: ClaimSink, rowsMode: boolean, keyRef: string, keyText: string): void {
  const name = normaliseText(keyText);
  if (!rowsMode && (SILENT_HEADER.test(name) || /^(?:备注|说明|指标|项目|填报项|指标名称)$/.test(name)))
    return;
  // a 上年同期 row under a zone's row: last year's figures, named back (never a zone)
  if (/^(?:上年同期|去年同期|上年|去年|同期|上年累计|去年累计|上年同期数)$/.test(name)) {
    sink.note({
      code: "ignored_row",
      read: `${keyRef} ${name}`,
      where: keyRef,
      message: `未识别：${rowsMode ? "行" : "列"}「${name}」（${keyRef}，不是本期数据，未保存）`,
    });
    return;
  }
  if (TOTAL_ROW.test(name) || name === "") {
    sink.note({
      code: "ignored_row",
      read: `${keyRef} ${name || "（空）"}`,
      where: keyRef,
      message: `未识别：${rowsMode ? "行" : "列"}「${name || "（无名称）"}」（${keyRef}，合计等不是单个经开区，未保存）`,
    });
    return;
  }
  const near = nearestZones(name, sink.ctx.zones, sink.ctx.prefectureCode).map((z) => z.shortName);
  const issue = unknownZoneIssue(name, `${keyRef}：${name}`, near[0] ?? "惠水经开区");
  issue.message = issue.message.replace(
    /（读到/,
    `${didYouMean(near).replace(/^，/, "（")}${near.length ? "）" : ""}（读到`,
  );
  sink.issue(issue);
}

/** "35000（含加工贸易12000）": the cell's figure and the detail in brackets (a part, named back). */
const CELL_DETAIL = /^(.*?\d.*?)\s*[（(]\s*((?:含|其中|包括|包含)[^（()）]*)[）)]$/;
export function splitDetail(text: string): [string, string | undefined] {
  const m = CELL_DETAIL.exec(text);
  return m ? [m[1]!, m[2]!] : [text, undefined];
}

export function detailNote(
  detail: string,
  label: string,
  where: string,
  zoneId: string | undefined,
): ReadNote {
  return {
    code: "part_of_field",
    read: `${where} ${detail}`,
    where,
    ...(zoneId ? { zoneId } : {}),
    message: `未识别：${detail}（${where}，是「${label}」中的一部分，不是单独的填报项，未保存）`,
  };
}
