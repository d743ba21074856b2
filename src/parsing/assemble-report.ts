import type { Period, Quarter } from "../domain/period.js";
import type { ZoneDef } from "../programme/programme.js";
import type { Findings } from "./findings.js";
import { conflictingPeriodIssue, missingZoneIssue, noDataIssue } from "./issue-messages.js";
import type { ParseContext, ParsedReport, ParsedSection, ParsedValue } from "./parsed-report.js";
import { checkPartsAndTotals } from "./parts-totals.js";
import type { Vocabulary } from "./vocabulary.js";
import { exampleZone } from "./zone-examples.js";

/** A zone's values as read so far, under the name the message used for it. */
export interface SectionState {
  zone: ZoneDef;
  zoneText: string;
  values: Record<string, ParsedValue>;
}

/** A quarter the message names (the year when it gives one). */
export interface GoodPeriod {
  quarter: Quarter;
  year?: number;
  text: string;
}

/** What the readers gathered from one message or table, handed over to be assembled. */
export interface ReadState {
  readonly ctx: ParseContext;
  readonly vocab: Vocabulary;
  readonly sections: Map<string, SectionState>;
  readonly unassigned: Record<string, ParsedValue>;
  readonly found: Findings;
  readonly periods: GoodPeriod[];
}

/**
 * The result of reading: parts and totals checked per zone (a part above its total is asked about, both
 * dropped), values without a zone asked about, the period resolved (the first named one, the open one
 * otherwise; two different ones are asked about), and no_data when nothing at all was read.
 */
export function assembleReport(s: ReadState, normalised: string): ParsedReport {
  for (const sec of s.sections.values()) {
    const r = checkPartsAndTotals(sec.values, s.vocab.indicators, sec.zone.id, sec.zone.shortName);
    for (const i of r.issues) {
      s.found.issue(i);
      for (const k of Object.keys(sec.values)) if (k === i.field) delete sec.values[k];
    }
    for (const n of r.notes) s.found.note(n);
  }
  const sections: ParsedSection[] = [...s.sections.values()]
    .filter((s) => Object.keys(s.values).length > 0)
    .map((s) => ({ zoneId: s.zone.id, zoneText: s.zoneText, values: s.values }));
  const hasUnassigned = Object.keys(s.unassigned).length > 0;
  if (hasUnassigned) {
    const read = Object.values(s.unassigned)
      .map((v) => v.raw)
      .join("，");
    s.found.issue(missingZoneIssue(read, exampleZone(s.ctx)));
  }

  const report: ParsedReport = {
    periodSource: "none",
    sections,
    issues: s.found.issues,
    notes: s.found.notes,
  };
  const explicitYear = s.periods.find((p) => p.year !== undefined)?.year;
  const resolved = s.periods.map((p) => ({
    period: { year: p.year ?? explicitYear ?? s.ctx.year, quarter: p.quarter } as Period,
    text: p.text,
  }));
  const first = resolved[0];
  if (first) {
    report.period = first.period;
    report.periodSource = "explicit";
    report.periodText = first.text;
    const other = resolved.find(
      (r) => r.period.year !== first.period.year || r.period.quarter !== first.period.quarter,
    );
    if (other) s.found.issue(conflictingPeriodIssue(first.text, other.text));
  } else if (s.ctx.openPeriod) {
    report.period = s.ctx.openPeriod;
    report.periodSource = "implicit";
  }
  if (hasUnassigned) report.unassigned = s.unassigned;

  const anyValue = sections.length > 0 || hasUnassigned;
  const dataIssue = s.found.issues.some((i) => i.field !== "period");
  if (!anyValue && !dataIssue) s.found.push(noDataIssue(normalised, exampleZone(s.ctx)));
  return report;
}
