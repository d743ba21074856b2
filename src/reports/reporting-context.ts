import { openPeriodAt } from "../calendar/open-period.js";
import type { Db, Tx } from "../db/database.js";
import type { Period } from "../domain/period.js";
import type { ParseContext } from "../parsing/parsed-report.js";
import { valueReferences } from "../parsing/plausibility.js";
import type { Programme } from "../programme/programme.js";
import { loadProgramme } from "../programme/programme-repository.js";

/** What every report step needs: the programme of the open period's year and the parser's context. */
export interface ReportingContext {
  programme: Programme;
  /** The one period open for reporting now (openPeriodAt). */
  open: Period;
  parseContext: ParseContext;
}

/**
 * undefined when no programme year is set up for the open period. `rosterVersion`: the roster cache's
 * counter as the inbound message read it (DialogueDeps.rosterVersion).
 */
export async function loadReportingContext(
  db: Db | Tx,
  now: Date,
  rosterVersion?: number,
): Promise<ReportingContext | undefined> {
  const open = openPeriodAt(now);
  const programme = await loadProgramme(db, open.year, rosterVersion);
  if (!programme) return undefined;
  return {
    programme,
    open,
    parseContext: {
      zones: programme.zones,
      indicators: programme.indicators,
      year: open.year,
      openPeriod: open,
      // each zone's targets bound what it can plausibly report (the parser asks beyond them)
      references: referencesOf(programme),
    },
  };
}

/**
 * The targets as plausibility references, built once per loaded programme (the programme is cached
 * and replaced, not changed, when its data change): a fresh object per message also defeated the
 * parser's per-reference cache of parsed largest values (plausibility.ts).
 */
const references = new WeakMap<Programme, ReturnType<typeof valueReferences>>();
function referencesOf(programme: Programme): ReturnType<typeof valueReferences> {
  let r = references.get(programme);
  if (!r) {
    r = valueReferences(programme.targets);
    references.set(programme, r);
  }
  return r;
}

export function noProgrammeMessage(open: Period): string {
  return `${open.year}年的经开区培育计划尚未在机器人中设置，暂时无法报送。请联系省专班导入名册。`;
}
