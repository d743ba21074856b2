import type { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import type { ParseContext, ParseIssue, ReadNote } from "./parsed-report.js";
import type { PeriodMention } from "./periods.js";
import type { MoneyUnit } from "./quantities.js";
import type { Vocabulary } from "./vocabulary.js";

/**
 * What every layout reader (prose lines, 字段：值 lines, the template, pasted tables, spreadsheet grids)
 * produces: claims "zone × indicator = value, read from here". The report parser collects them into one
 * ParsedReport, so every layout is checked by the same rules (duplicates, zones, periods, parts and totals).
 */
export interface ClaimSink {
  readonly ctx: ParseContext;
  readonly vocab: Vocabulary;
  /**
   * `zone` undefined: the zone named earlier in the message, else the sender's default zone. `parsed`: the
   * value as a decimal when the reader has it (it must be what `value` reads; saves a parse).
   */
  claim(
    zone: ZoneDef | undefined,
    ind: IndicatorDef,
    value: string,
    raw: string,
    where?: string,
    parsed?: Decimal,
  ): void;
  issue(issue: ParseIssue): void;
  note(note: ReadNote): void;
  period(mention: PeriodMention): void;
  /** A message-wide money unit ("单位：万元" above a table). */
  moneyUnit(): MoneyUnit | undefined;
  /** Reads lines that are no report table as prose (a part of a pasted block without a header). */
  readProse(text: string): void;
}
