import { assessPeriod } from "../../src/assessment/assess-period.js";
import type { AssessmentModel } from "../../src/assessment/assessment-model.js";
import type { Db } from "../../src/db/database.js";
import type { Period } from "../../src/domain/period.js";
import type { Programme } from "../../src/programme/programme.js";
import { loadProgramme } from "../../src/programme/programme-repository.js";
import { type ConfirmedReport, parseRevisionValues } from "../../src/reports/confirmed-reports.js";
import type { BoardCache } from "./board-cache.js";

/**
 * The confirmed revisions of a period in ONE query (the circular's loader reads the table twice):
 * each zone's latest confirmed revision counts, `late` comes from its first confirmed one — the same
 * rule as src/circulars/assessment-reports.ts.
 */
export async function loadBoardReports(db: Db, period: Period): Promise<ConfirmedReport[]> {
  const rows = await db.reportRevision.findMany({
    where: { year: period.year, quarter: period.quarter, status: "confirmed" },
    orderBy: [{ zoneId: "asc" }, { revisionNo: "asc" }],
    select: {
      id: true,
      zoneId: true,
      revisionNo: true,
      values: true,
      late: true,
      contactId: true,
      channel: true,
      confirmedAt: true,
      createdAt: true,
    },
  });
  const out = new Map<string, ConfirmedReport>();
  for (const r of rows) {
    const first = out.get(r.zoneId);
    out.set(r.zoneId, {
      zoneId: r.zoneId,
      revisionId: r.id,
      revisionNo: r.revisionNo,
      values: parseRevisionValues(r.values),
      late: first ? first.late : r.late,
      contactId: r.contactId,
      channel: r.channel,
      confirmedAt: r.confirmedAt ?? r.createdAt,
    });
  }
  return [...out.values()];
}

/**
 * Programme (one query per table, or none while the programme cache is current) + reports (one
 * query) → the assessment as it stands now (from the cache while the same revisions count).
 */
export async function loadBoardModel(
  db: Db,
  period: Period,
  now: Date,
  cache?: BoardCache,
): Promise<{ programme: Programme; model: AssessmentModel } | undefined> {
  const [programme, reports] = await Promise.all([
    loadProgramme(db, period.year),
    loadBoardReports(db, period),
  ]);
  if (!programme) return undefined;
  const model = cache
    ? cache.model(programme, period, reports, now)
    : assessPeriod({ programme, period, reports, builtAt: now });
  return { programme, model };
}
