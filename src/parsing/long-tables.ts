import type { ZoneDef } from "../programme/programme.js";
import type { ClaimSink } from "./claim-sink.js";
import { normaliseText } from "./normalise-text.js";
import { cellRef, readValueCell } from "./read-table.js";
import { type Cells, EMPTY, ZONE_HEADER } from "./table-headers.js";
import { reportUnknownKey } from "./table-issues.js";

/**
 * A long-format table: one row per zone and indicator, "经开区 | 指标 | 数值", the zone cell merged down (so
 * empty under its first row: the zone is carried down). Every row is read, or named back or asked about:
 * a row whose 指标 names no indicator is named back with its figure, a zone not on the roster is asked.
 */
const INDICATOR_HEADER = /^(?:指标|项目|填报项|指标名称|统计指标)$/;
const VALUE_HEADER = /^(?:数值|数据|数量|完成|完成数|完成值|本期|本期数|本年累计|累计|值|金额)$/;

/** Reads the grid when its first row is such a header; false (nothing read) otherwise. */
export function readLongTable(cells: Cells, sink: ClaimSink): boolean {
  const grid = cells.grid;
  const head = (c: number) => normaliseText(cells.text(0, c)).replace(/\s+/g, "");
  if (cells.width !== 3 || !ZONE_HEADER.test(head(0)) || !INDICATOR_HEADER.test(head(1))) return false;
  if (!VALUE_HEADER.test(head(2).replace(/[（(][^)）]*[)）]$/, ""))) return false;
  let zone: ZoneDef | undefined;
  let zoneKnown = false;
  for (let r = 1; r < cells.height; r++) {
    const key = normaliseText(cells.text(r, 0));
    const name = normaliseText(cells.text(r, 1));
    const text = normaliseText(cells.text(r, 2));
    if (key !== "") {
      zone = cells.zone(r, 0);
      zoneKnown = zone !== undefined;
      if (!zone && !EMPTY.test(text)) reportUnknownKey(sink, true, cellRef(grid, r, 0), key);
    }
    if (EMPTY.test(text)) continue;
    const where = cellRef(grid, r, 2);
    if (!zoneKnown) {
      // a figure under an unknown zone (asked above) or under none at all: never given to a zone
      if (key === "")
        sink.note({
          code: "ignored_row",
          read: `${where} ${name} ${text}`,
          where,
          message: `未识别：${name} ${text}（${where}，未写明经开区，未保存）`,
        });
      continue;
    }
    const hd = cells.header(r, 1);
    if (!hd) {
      sink.note({
        code: "ignored_column",
        read: `${where} ${name} ${text}`,
        where,
        ...(zone ? { zoneId: zone.id } : {}),
        message: `未识别：${name || "（无指标名）"} ${text}（${where}，不是填报项，未保存）`,
      });
      continue;
    }
    readValueCell(sink, zone, hd, text, where, sink.moneyUnit());
  }
  return true;
}
