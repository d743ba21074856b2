import type { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import { assembleReport, type GoodPeriod, type SectionState } from "./assemble-report.js";
import type { ClaimSink } from "./claim-sink.js";
import { Findings } from "./findings.js";
import { badPeriodIssue, duplicateIssue, repeatNote } from "./issue-messages.js";
import type { ParseContext, ParsedReport, ParsedValue, ParseIssue, ReadNote } from "./parsed-report.js";
import type { PeriodMention } from "./periods.js";
import { plausibilityProblem } from "./plausibility.js";
import type { MoneyUnit } from "./quantities.js";
import { valueProblem } from "./report-schema.js";
import { type Vocabulary, vocabularyOf } from "./vocabulary.js";

/** Where values go: a zone's section, "unknown" (after an unknown zone: dropped) or undefined (no zone yet). */
export type Target = SectionState | "unknown" | undefined;

/**
 * What has been read from one message or table: each zone's values, values without a zone, the periods
 * named, issues and notes. A value is kept only after its checks (schema, plausibility against the
 * zone's references, a second different value for the same field is a question, the same value again
 * a note); the table reader hands its cells in through ClaimSink. `finish` assembles the result.
 */
export abstract class ReportState implements ClaimSink {
  readonly vocab: Vocabulary;
  readonly sections = new Map<string, SectionState>();
  readonly unassigned: Record<string, ParsedValue> = {};
  readonly found = new Findings();
  readonly periods: GoodPeriod[] = [];
  protected readonly defaultZone: ZoneDef | undefined;
  /** The zone values go to now (the last zone named). */
  protected current: Target;
  /** "单位：万元" declared for the whole message. */
  protected messageUnit: MoneyUnit | undefined;
  /**
   * Set after a prefecture's total (prefecture-breakdown.ts): a later figure that names no zone is not
   * given to the sender's own zone — it may be the prefecture's as well — but left unassigned (asked).
   */
  protected noDefaultZone = false;

  /** Lines that are no table, read by the prose reader (report-parser.ts). */
  abstract readProse(text: string): void;

  constructor(readonly ctx: ParseContext) {
    this.vocab = vocabularyOf(ctx);
    const defaultId = ctx.defaultZoneId ?? (ctx.zones.length === 1 ? ctx.zones[0]!.id : undefined);
    this.defaultZone = ctx.zones.find((z) => z.id === defaultId);
  }

  // ClaimSink: what the table reader hands over
  claim(
    zone: ZoneDef | undefined,
    ind: IndicatorDef,
    value: string,
    raw: string,
    where?: string,
    parsed?: Decimal,
  ): void {
    this.addValue(
      zone ? this.sectionFor(zone, zone.shortName) : this.current,
      ind,
      value,
      raw,
      where,
      parsed,
    );
  }
  issue(issue: ParseIssue): void {
    this.addIssue(issue);
  }
  note(note: ReadNote): void {
    this.found.note(note);
  }
  period(m: PeriodMention): void {
    if (m.problem) this.addIssue(badPeriodIssue(m.text, m.problem));
    else this.periods.push({ quarter: m.quarter!, year: m.year, text: m.text });
  }
  moneyUnit(): MoneyUnit | undefined {
    return this.messageUnit;
  }

  protected addValue(
    target: Target,
    ind: IndicatorDef,
    value: string,
    raw: string,
    where?: string,
    parsed?: Decimal,
  ): void {
    if (target === "unknown") return;
    const problem = valueProblem(ind, value, parsed);
    const zoneId = this.zoneIdOf(target);
    const ref = zoneId ? this.ctx.references?.[zoneId]?.[ind.key] : undefined;
    const implausible = problem ? undefined : plausibilityProblem(ind, value, raw, ref, parsed);
    if (implausible) {
      this.addIssue({
        code: "implausible_value",
        field: ind.key,
        fieldLabel: ind.label,
        ...(zoneId ? { zoneId } : {}),
        read: where ? `${where}：${raw}` : raw,
        message: implausible,
      });
      return;
    }
    if (problem) {
      this.addIssue({
        code: "bad_number",
        field: ind.key,
        fieldLabel: ind.label,
        ...(zoneId ? { zoneId } : {}),
        read: raw,
        message: problem,
      });
      return;
    }
    const section =
      target ??
      (this.defaultZone && !this.noDefaultZone
        ? this.sectionFor(this.defaultZone, this.defaultZone.shortName)
        : undefined);
    const values = section ? section.values : this.unassigned;
    const existing = values[ind.key];
    if (existing) {
      const label = section ? section.zoneText : "未写明经开区的数据";
      if (existing.value !== value)
        this.addIssue(duplicateIssue(ind, section?.zone.id, label, existing.raw, raw));
      // the same value again (a line or a table pasted twice, "培训４场，培训四场"): counted once, the repeat named
      else this.note(repeatNote(ind, label, section?.zone.id, existing, raw, where));
      return;
    }
    values[ind.key] = { indicatorKey: ind.key, value, raw, ...(where ? { where } : {}) };
  }

  protected sectionFor(zone: ZoneDef, zoneText: string): SectionState {
    let s = this.sections.get(zone.id);
    if (!s) {
      s = { zone, zoneText, values: {} };
      this.sections.set(zone.id, s);
    }
    return s;
  }

  protected zoneIdOf(target: Target): string | undefined {
    if (target === "unknown") return undefined;
    return target?.zone.id ?? this.defaultZone?.id;
  }

  protected addIssue(issue: ParseIssue): void {
    this.found.issue(issue);
  }

  finish(normalised: string): ParsedReport {
    return assembleReport(this, normalised);
  }
}
