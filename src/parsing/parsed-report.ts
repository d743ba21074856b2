import type { Period } from "../domain/period.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import type { ValueReferences } from "./plausibility.js";

/** What the parser needs to know; built from the stored programme (no I/O inside the parser). */
export interface ParseContext {
  zones: ZoneDef[];
  indicators: IndicatorDef[];
  /** Programme year assumed when a period names no year. */
  year: number;
  /** The quarter open for reporting at the time of the message, used when the text names none. */
  openPeriod?: Period;
  /**
   * Zone that values given before any zone name belong to (set it when the sender reports for exactly one
   * zone). Without it such values go to ParsedReport.unassigned with an unknown_zone issue.
   */
  defaultZoneId?: string;
  /** The sender's prefecture: its zones come first in "您是否指 …？" suggestions. */
  prefectureCode?: string;
  /**
   * Each zone's annual targets and confirmed history (valueReferences): a value far beyond them is asked
   * about and not stored (plausibility.ts). Without them only the ceiling per kind of indicator applies.
   */
  references?: ValueReferences;
}

export type ParseIssueCode =
  | "no_data" // nothing recognisable as report data
  | "unknown_zone"
  | "unknown_field" // "名称：值" whose name is no indicator
  | "bad_number"
  | "money_without_unit" // ask, never guess
  | "duplicate_field" // same field twice with different values
  | "conflicting_period"
  | "bad_period"
  | "negative_count"
  | "not_integer"
  | "percentage_points" // "下降3.1个百分点" where a rate was asked for
  | "implausible_value" // beyond what the indicator allows: asked about, never stored
  | "inconsistent_total" // 出口 + 进口 ≠ 进出口 beyond rounding, or a part above the total
  | "too_long"; // the message exceeds MAX_INPUT_LENGTH: refused whole, never cut

export interface ParseIssue {
  code: ParseIssueCode;
  /** Indicator key, "zone" or "period". */
  field?: string;
  /** Chinese label of the field, for messages. */
  fieldLabel?: string;
  zoneId?: string;
  /** The text as read from the message (quoted back to the user). */
  read: string;
  /** For unknown names: the nearest known one ("您是否指 进出口额？"); such an issue refuses the message. */
  suggestion?: string;
  /** A complete Chinese sentence naming the field, what was read and an example of the right form. */
  message: string;
  /** The same text was found this many times in the message (absent: once); the message says "共N处". */
  times?: number;
}

export interface ParsedValue {
  indicatorKey: string;
  /** Canonical: money in 万元, rates in %, counts as integers (decimal strings); text as written. */
  value: string;
  /** The fragment of the message the value came from. */
  raw: string;
  /** Where in a table or sheet ("工作表“汇总” 第3行 C列"); absent for prose. */
  where?: string;
  /** Computed, not sent ("进出口 = 出口 + 进口"); the echo says so. */
  derived?: boolean;
}

/**
 * A number of the message that was not read into a value, named back to the sender (the invariant: every
 * number is read or named back). Notes do not refuse the message; doubts that might be a wanted figure
 * (a near-miss field name) are issues instead.
 */
export type ReadNoteCode =
  | "unread_number" // "未识别：实际利用外资3000万元"
  | "target_figure" // a target ("全年目标12亿元"), not the figure reached
  | "percentage_points" // "下降3.1个百分点": a change of a rate, never stored as the rate
  | "ignored_column" // a table column that is no indicator
  | "ignored_row" // a table row that is no zone (合计, 小计)
  | "derived_total" // 进出口 computed from 出口 + 进口
  | "repeated_value" // the same field given again with the same value: counted once, the repeat named
  | "part_of_field" // "其中茶叶出口1.1亿元": a part (product, market) of the field, not the zone's figure
  | "other_period"; // "去年同期进出口4800万元", "（一季度2700万元）": another period's figure, not stored

export interface ReadNote {
  code: ReadNoteCode;
  /** The text named back. */
  read: string;
  /** A complete Chinese sentence ("未识别：实际利用外资3000万元（不是填报项，未保存）"). */
  message: string;
  zoneId?: string;
  where?: string;
  /** The same text was found this many times in the message (absent: once); the message says "共N处". */
  times?: number;
}

export interface ParsedSection {
  zoneId: string;
  /** How the zone was named in the message. */
  zoneText: string;
  values: Record<string, ParsedValue>;
}

export interface ParsedReport {
  period?: Period;
  periodSource: "explicit" | "implicit" | "none";
  periodText?: string;
  sections: ParsedSection[];
  issues: ParseIssue[];
  /** Numbers named back without refusing (see ReadNote). */
  notes: ReadNote[];
  /** Values read before any zone was named, when ParseContext.defaultZoneId was not set (dialogue may assign them). */
  unassigned?: Record<string, ParsedValue>;
}
