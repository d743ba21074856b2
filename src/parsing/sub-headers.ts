import type { ClaimSink } from "./claim-sink.js";
import { quote } from "./issue-messages.js";
import { normaliseText } from "./normalise-text.js";
import type { ParseIssue } from "./parsed-report.js";
import { findPeriodMentions, type PeriodMention } from "./periods.js";
import { declaredMoneyUnit } from "./quantities.js";
import { type Cells, EMPTY, type Header, headerIndicator } from "./table-headers.js";

/**
 * A second header row (zones as rows), as Excel leaves it when header cells are merged: under
 * "进出口额（万元）" spanning two columns, "上年同期 | 本年累计"; under a merged "进出口", "合计 | 出口 | 进口";
 * or a row of units ("万元 | 万元 | 个", "单位 | 万元 | 个"). Each column then reads as:
 * - `read`: the header it is read under (the parent's indicator, the sub-header's own, or the parent's with
 *   the unit the row gives), with the period its sub-header names (checked like any period);
 * - `back`: last year's or an earlier period's column (上年同期, 去年, 2022年1-3月, 当季 after Q1, 3月):
 *   its figures are named back, never stored;
 * - `ask`: a sub-header that cannot be told (this period or not?): asked, nothing stored.
 * The first sub-column is never taken for the indicator just because it comes first.
 */
export type SubColumn =
  | { kind: "read"; header: Header; periods: PeriodMention[] }
  | { kind: "back"; name: string }
  | { kind: "ask"; name: string };

/** A cell that is a plain figure (a data row, not a sub-header row). */
const FIGURE = /^[+\-－]?\d[\d,，]*(?:\.\d+)?[%％]?$/;
const UNIT_ONLY = /^[（(]?(?:单位[:：]?)?(亿元|万元|元|个|次|家|场|%|％)[)）]?$/;
const UNIT_KEY = /^(?:单位|计量单位|单位名称)$/;
const PREVIOUS = /^(?:上年同期|去年同期|上年|去年|同期|上年累计|去年累计|上期|同期数|上年同期数)/;
const CURRENT =
  /^(?:本年累计|本年|今年|本期|累计|本年度|今年累计|本年度累计|本期累计|本期数|本年累计数|实际|完成|完成数|实绩)$/;
const OWN_QUARTER = /^(?:当季|本季度?|单季|当季度)$/;
const ONE_MONTH = /^(?:当月|本月|\d{1,2}月份?)$/;
const PART_WORD = /^(?:合计|小计|总计|总额|合计数)$/;

/** Whether row s (under header row h) is a sub-header or unit row: no zone key, no figure, some text. */
export function isSubHeaderRow(cells: Cells, s: number, k: number): boolean {
  if (s >= cells.height) return false;
  const key = k >= 0 ? normaliseText(cells.text(s, k)) : "";
  if (key !== "" && !UNIT_KEY.test(key)) return false;
  let named = 0;
  for (let c = 0; c < cells.width; c++) {
    if (c === k) continue;
    const t = normaliseText(cells.text(s, c));
    if (EMPTY.test(t)) continue;
    if (FIGURE.test(t) || cells.zone(s, c)) return false;
    named++;
  }
  return named > 0;
}

/**
 * What each column (≠ k) of a two-row header reads as; a column under no header and no sub-header is left out
 * (the caller names it back as before).
 */
export function readSubHeaders(cells: Cells, h: number, k: number, sink: ClaimSink): Map<number, SubColumn> {
  const out = new Map<number, SubColumn>();
  const open = sink.ctx.openPeriod ?? { year: sink.ctx.year, quarter: 1 as const };
  let parentCol = -1;
  for (let c = 0; c < cells.width; c++) {
    if (c === k) continue;
    const top = normaliseText(cells.text(h, c));
    const sub = normaliseText(cells.text(h + 1, c)).replace(/\s+/g, "");
    if (top !== "") parentCol = c > k ? c : -1;
    else if (sub === "") parentCol = -1; // a merged cell leaves its sub-columns named; an empty one ends it
    const parent = parentCol >= 0 ? cells.header(h, parentCol) : undefined;
    const name = [normaliseText(cells.text(h, parentCol >= 0 ? parentCol : c)), sub]
      .filter(Boolean)
      .join(" ");
    if (sub === "" || EMPTY.test(sub)) {
      if (parent && top !== "") out.set(c, { kind: "read", header: parent, periods: [] });
      continue;
    }
    const unit = UNIT_ONLY.exec(sub);
    if (unit) {
      if (!parent) continue;
      const money = declaredMoneyUnit(unit[1]!);
      const header =
        money && parent.ind.kind === "money" && !parent.unit ? { ...parent, unit: money } : parent;
      out.set(c, { kind: "read", header, periods: [] });
      continue;
    }
    const own = headerIndicator(sub, sink);
    if (own) {
      const unitOf = own.unit ?? (own.ind.kind === "money" ? parent?.unit : undefined);
      out.set(c, { kind: "read", header: { ...own, ...(unitOf ? { unit: unitOf } : {}) }, periods: [] });
      continue;
    }
    if (!parent) {
      out.set(c, { kind: "back", name });
      continue;
    }
    if (PART_WORD.test(sub)) {
      out.set(c, { kind: "read", header: parent, periods: [] });
      continue;
    }
    const when = periodKind(sub, open);
    if (when === "current")
      out.set(c, { kind: "read", header: parent, periods: findPeriodMentions(sub).filter((m) => m.quarter) });
    else out.set(c, { kind: when, name });
  }
  return out;
}

/** Whether a sub-header names the open period ("current"), an earlier one ("back"), or cannot be told. */
function periodKind(sub: string, open: { year: number; quarter: number }): "current" | "back" | "ask" {
  if (PREVIOUS.test(sub)) return "back";
  let rest = sub;
  const y = /^(\d{4})年(?:度)?/.exec(sub);
  if (y) {
    const year = Number(y[1]);
    if (year < open.year) return "back";
    if (year > open.year) return "ask";
    rest = sub.slice(y[0].length);
    if (rest === "") return "current";
  }
  if (CURRENT.test(rest)) return "current";
  if (ONE_MONTH.test(rest)) return "back";
  if (OWN_QUARTER.test(rest)) return open.quarter === 1 ? "current" : "back";
  const m = findPeriodMentions(rest);
  const q = m.length === 1 && m[0]!.start === 0 ? m[0]!.quarter : undefined;
  if (q && !/^(?:累计)?$/.test(rest.slice(m[0]!.end))) return "ask";
  if (q === open.quarter) return "current";
  if (q !== undefined && q < open.quarter) return "back";
  return "ask";
}

/** A sub-header that cannot be told (this period or not): the column's figures are asked about. */
export function subHeaderIssue(name: string, where: string, filled: number): ParseIssue {
  return {
    code: "bad_period",
    field: "period",
    fieldLabel: "报送期",
    read: `${where}：${name}`,
    message: `无法判断表头「${name}」下的${filled}个数据是不是本报送期的数据（读到${quote(`${where} ${name}`)}），本次未保存。请把本期数据一列的表头写为“本年累计”，或删去其他列后重新发送，例如：经开区 | 进出口额（万元） 本年累计`,
  };
}

/** A sub-column that is not read: an earlier period's figures named back, or an unclear one asked. */
export function subColumnNamedBack(
  sink: ClaimSink,
  sub: Exclude<SubColumn, { kind: "read" }>,
  where: string,
  filled: number,
): void {
  if (sub.kind === "ask") {
    sink.issue(subHeaderIssue(sub.name, where, filled));
    return;
  }
  sink.note({
    code: "ignored_column",
    read: `${where} ${sub.name}`,
    where,
    message: `未识别：列「${sub.name}」（${where}，${filled}个数据，不是本期数据，未保存）`,
  });
}
