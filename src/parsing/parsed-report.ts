import type { Period } from "../domain/period.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";

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
  | "not_integer";

export interface ParseIssue {
  code: ParseIssueCode;
  /** Indicator key, "zone" or "period". */
  field?: string;
  /** Chinese label of the field, for messages. */
  fieldLabel?: string;
  zoneId?: string;
  /** The text as read from the message (quoted back to the user). */
  read: string;
  /** A complete Chinese sentence naming the field, what was read and an example of the right form. */
  message: string;
}

export interface ParsedValue {
  indicatorKey: string;
  /** Canonical: money in 万元, rates in %, counts as integers (decimal strings); text as written. */
  value: string;
  /** The fragment of the message the value came from. */
  raw: string;
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
  /** Values read before any zone was named, when ParseContext.defaultZoneId was not set (dialogue may assign them). */
  unassigned?: Record<string, ParsedValue>;
}
