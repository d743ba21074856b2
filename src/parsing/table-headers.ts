import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import type { ClaimSink } from "./claim-sink.js";
import { GridCells } from "./grid-cells.js";
import { tokenizeLine } from "./line-tokens.js";
import { normaliseText } from "./normalise-text.js";
import { declaredMoneyUnit, type MoneyUnit } from "./quantities.js";
import type { CellGrid } from "./read-table.js";
import type { Vocabulary } from "./vocabulary.js";

/**
 * What a table cell's text names, for the table reader (read-table.ts): an indicator header with its unit
 * ("进出口额(万元)"), a zone ("惠水经开区"), or one of the fixed words a table carries (empty marks, 合计 rows,
 * the zone column's header, 序号). Depends on the vocabulary only, never on where the cell stands.
 */

export const EMPTY = /^(?:|-|—|–|\/|\\|无数据|暂无数据)$/;
export const TOTAL_ROW = /^(?:合计|总计|小计|全州|全市|全省|汇总|总数)/;
export const ZONE_HEADER =
  /^(?:经开区|园区|开发区|名称|经开区名称|园区名称|单位|单位名称|地区|县市区|县(?:\(市、区\)|（市、区）)?)$/;
export const SILENT_HEADER = /^(?:序号|编号|No\.?|#)$/i;
export const UNIT_IN_HEADER = /\s*[(（]\s*(?:单位\s*：?\s*)?([^)）]{1,8})\s*[)）]\s*$/;

const CUMULATIVE_PREFIX = /^(?:((?:\d{4}年)?1[-—–~至]\d{1,2}月份?)(?:累计)?|本年累计|累计)(?!$)/;
const CUMULATIVE_SUFFIX = /(?<=.)(?:本年累计|累计)$/;

export interface Header {
  ind: IndicatorDef;
  /** A cumulative period the header names ("1-3月"), checked like any period of the message. */
  period?: string;
  unit?: MoneyUnit;
  text: string;
}

/**
 * What each distinct cell text names depends on the vocabulary only, so it is remembered per vocabulary (a
 * programme snapshot's, reused across messages): finding the layout asks about every cell of the first rows
 * several times, a table repeats its header and zone texts, and the bureaus' headers recur message after
 * message. Bounded: a vocabulary's memo is emptied when it reaches MEMO_MAX texts.
 */
const MEMO_MAX = 4096;
const memo = new WeakMap<
  Vocabulary,
  { header: Map<string, Header | undefined>; zone: Map<string, ZoneDef | undefined> }
>();
function memoOf(sink: ClaimSink) {
  let m = memo.get(sink.vocab);
  if (!m) {
    m = { header: new Map(), zone: new Map() };
    memo.set(sink.vocab, m);
  }
  return m;
}

/** A cell of digits, signs and punctuation only names neither an indicator nor a zone. */
const NO_NAME = /^[\d\s.,，。%％+\-－—–/\\()（）:：]*$/;

/** An indicator named by a header cell ("进出口额(万元)", "进出口（亿元）", "同比%"), with its unit. */
export function headerIndicator(text: string, sink: ClaimSink): Header | undefined {
  if (NO_NAME.test(text)) return undefined;
  return memoised(memoOf(sink).header, text, () => readHeader(text, sink));
}

/** `read()` once per text (the map is emptied when it reaches MEMO_MAX entries). */
function memoised<T>(m: Map<string, T | undefined>, text: string, read: () => T | undefined): T | undefined {
  if (m.has(text)) return m.get(text);
  const v = read();
  if (m.size >= MEMO_MAX) m.clear();
  m.set(text, v);
  return v;
}

function readHeader(text: string, sink: ClaimSink): Header | undefined {
  const t = normaliseText(text).replace(/\s+/g, "");
  if (t === "") return undefined;
  const m = UNIT_IN_HEADER.exec(t);
  // a cumulative period on the header ("1-3月进出口", "1-6月累计进出口", "进出口额本年累计") is the field's,
  // the period kept to be checked; a month's or a quarter's own figure ("3月进出口", "当季…") stays unnamed
  const bare = (m ? t.slice(0, m.index) : t).replace(/[%：]$/, "");
  const pre = CUMULATIVE_PREFIX.exec(bare);
  const name = bare.slice(pre ? pre[0].length : 0).replace(CUMULATIVE_SUFFIX, "");
  if (name === "") return undefined;
  const tokens = tokenizeLine(name, sink.vocab);
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (only?.kind !== "indicator" || only.start !== 0 || only.end !== name.length) return undefined;
  const unit = m ? declaredMoneyUnit(m[1]!) : undefined;
  const period = pre?.[1];
  return { ind: only.indicator, ...(unit ? { unit } : {}), ...(period ? { period } : {}), text: t };
}

/** The zone named by a cell ("惠水", "惠水经开区", "黔南州惠水县经济开发区"). */
export function cellZone(text: string, sink: ClaimSink): ZoneDef | undefined {
  if (NO_NAME.test(text)) return undefined;
  return memoised(memoOf(sink).zone, text, () => readCellZone(text, sink));
}

function readCellZone(text: string, sink: ClaimSink): ZoneDef | undefined {
  const t = normaliseText(text)
    .replace(/^\d{1,3}[.、]\s*/, "")
    .trim();
  if (t === "") return undefined;
  const tokens = tokenizeLine(t, sink.vocab);
  const zone = tokens.find((x) => x.kind === "zone");
  if (zone?.kind !== "zone" || tokens.length !== 1) return undefined;
  const rest = `${t.slice(0, zone.start)}${t.slice(zone.end)}`.replace(/^.*[州市]/, "").trim();
  return rest === "" ? zone.zone : undefined;
}

/** A grid's cells with what each names, for the grid's reader (see grid-cells.ts). */
export type Cells = GridCells<Header, ZoneDef>;
export function cellsOf(grid: CellGrid, sink: ClaimSink): Cells {
  return new GridCells(
    grid,
    (t) => headerIndicator(t, sink),
    (t) => cellZone(t, sink),
  );
}
