import type { Db, Tx } from "../db/database.js";
import type { Period } from "../domain/period.js";
import { type ConfirmedReport, listLatestConfirmed } from "../reports/confirmed-reports.js";

/**
 * The reports an assessment reads: each zone's latest confirmed revision (its figures), with
 * `late` taken from the zone's FIRST confirmed revision — a zone that reported on time and sent a
 * correction after the deadline did not submit late; the corrected figures still count.
 */
export async function loadAssessmentReports(db: Db | Tx, period: Period): Promise<ConfirmedReport[]> {
  const [latest, firsts] = await Promise.all([
    listLatestConfirmed(db, period),
    db.reportRevision.findMany({
      where: { year: period.year, quarter: period.quarter, status: "confirmed" },
      orderBy: [{ zoneId: "asc" }, { revisionNo: "asc" }],
      select: { zoneId: true, late: true },
    }),
  ]);
  const firstLate = new Map<string, boolean>();
  for (const r of firsts) if (!firstLate.has(r.zoneId)) firstLate.set(r.zoneId, r.late);
  return latest.map((r) => ({ ...r, late: firstLate.get(r.zoneId) ?? r.late }));
}
