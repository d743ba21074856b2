import { z } from "zod";
import { type Db, sqlOf, type Tx } from "../db/database.js";
import { sqlBool, sqlDate, sqlDateOrNull } from "../db/sql.js";
import type { Period } from "../domain/period.js";

/** A zone's report as it counts: its latest confirmed revision for the period. */
export interface ConfirmedReport {
  zoneId: string;
  revisionId: number;
  revisionNo: number;
  /** indicatorKey → canonical decimal string (money 万元, rates %, counts) or text. */
  values: Record<string, string>;
  late: boolean;
  contactId: string;
  channel: string;
  confirmedAt: Date;
}

export const revisionValuesSchema = z.record(z.string(), z.string());

/**
 * A stored revision's values. Read once or more per report message, so a plain object of strings is
 * accepted by a loop (zod's record parse cost as much as the SQL that read the row); anything else goes
 * through the schema, which throws its usual error.
 */
export function parseRevisionValues(json: string): Record<string, string> {
  const v: unknown = JSON.parse(json);
  if (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype
  ) {
    let ok = true;
    for (const k in v) if (typeof (v as Record<string, unknown>)[k] !== "string") ok = false;
    if (ok) return v as Record<string, string>;
  }
  return revisionValuesSchema.parse(v);
}

/**
 * The latest confirmed revision of every zone that has one for the period. Read twice per report
 * message: raw SQL when `db` is a store handle (src/db/sql.ts), the ORM inside a transaction.
 */
export async function listLatestConfirmed(
  db: Db | Tx,
  period: Period,
  zoneIds?: string[],
): Promise<ConfirmedReport[]> {
  const rows = await confirmedRows(db, period, zoneIds);
  const latest = new Map<string, ConfirmedReport>();
  for (const r of rows) {
    if (latest.has(r.zoneId)) continue;
    latest.set(r.zoneId, {
      zoneId: r.zoneId,
      revisionId: r.id,
      revisionNo: r.revisionNo,
      values: parseRevisionValues(r.values),
      late: r.late,
      contactId: r.contactId,
      channel: r.channel,
      confirmedAt: r.confirmedAt ?? r.createdAt,
    });
  }
  return [...latest.values()];
}

interface RevisionRow {
  id: number;
  zoneId: string;
  revisionNo: number;
  values: string;
  late: boolean;
  contactId: string;
  channel: string;
  createdAt: Date;
  confirmedAt: Date | null;
}

/** Confirmed revisions of the period, newest first per zone. */
async function confirmedRows(db: Db | Tx, period: Period, zoneIds?: string[]): Promise<RevisionRow[]> {
  const sql = sqlOf(db);
  if (!sql) {
    return db.reportRevision.findMany({
      where: {
        year: period.year,
        quarter: period.quarter,
        status: "confirmed",
        ...(zoneIds ? { zoneId: { in: zoneIds } } : {}),
      },
      orderBy: [{ zoneId: "asc" }, { revisionNo: "desc" }],
    });
  }
  if (zoneIds && zoneIds.length === 0) return [];
  const cols = `r."id", r."zoneId", r."revisionNo", r."values", r."late", r."contactId", r."channel", r."createdAt", r."confirmedAt"`;
  const raw = zoneIds
    ? // per zone, a backward walk of the unique (year, quarter, zone, revisionNo) index that stops at the
      // first confirmed row: constant cost however long the zone's history (a MAX subquery per row
      // made PostgreSQL read every revision of the zone)
      await sql.all<Record<string, unknown>>(
        [...new Set(zoneIds)]
          .map(
            (_, i) =>
              `SELECT * FROM (SELECT ${cols} FROM "ReportRevision" r WHERE r."year" = $1 AND r."quarter" = $2
                 AND r."zoneId" = $${i + 3} AND r."status" = 'confirmed' ORDER BY r."revisionNo" DESC LIMIT 1) z${i}`,
          )
          .join(" UNION ALL "),
        [period.year, period.quarter, ...new Set(zoneIds)],
      )
    : // only each zone's newest confirmed revision (the unique index answers the MAX), not its whole history
      await sql.all<Record<string, unknown>>(
        `SELECT ${cols}
           FROM "ReportRevision" r WHERE r."year" = $1 AND r."quarter" = $2 AND r."status" = 'confirmed'
            AND r."revisionNo" = (SELECT MAX(l."revisionNo") FROM "ReportRevision" l
                                   WHERE l."year" = r."year" AND l."quarter" = r."quarter" AND l."zoneId" = r."zoneId"
                                     AND l."status" = 'confirmed')`,
        [period.year, period.quarter],
      );
  // zone order, as the ORM path gives it (compared in code points, as both stores' "C"-like order)
  raw.sort((a, b) =>
    String(a.zoneId) < String(b.zoneId) ? -1 : String(a.zoneId) > String(b.zoneId) ? 1 : 0,
  );
  return raw.map((r) => ({
    id: Number(r.id),
    zoneId: String(r.zoneId),
    revisionNo: Number(r.revisionNo),
    values: String(r.values),
    late: sqlBool(r.late),
    contactId: String(r.contactId),
    channel: String(r.channel),
    createdAt: sqlDate(r.createdAt),
    confirmedAt: sqlDateOrNull(r.confirmedAt),
  }));
}

/**
 * The values of given revisions (zone + revision number) of a period, by zone: what a draft's
 * sections started from. Raw SQL when `db` is a store handle, the ORM inside a transaction.
 */
export async function revisionValuesOf(
  db: Db | Tx,
  period: Period,
  revisions: { zoneId: string; revisionNo: number }[],
): Promise<Record<string, Record<string, string>>> {
  if (revisions.length === 0) return {};
  const sql = sqlOf(db);
  const rows = sql
    ? await sql.all<{ zoneId: string; values: string }>(
        `SELECT "zoneId", "values" FROM "ReportRevision" WHERE "year" = $1 AND "quarter" = $2 AND (${revisions
          .map((_, i) => `("zoneId" = $${2 * i + 3} AND "revisionNo" = $${2 * i + 4})`)
          .join(" OR ")})`,
        [period.year, period.quarter, ...revisions.flatMap((r) => [r.zoneId, r.revisionNo])],
      )
    : await db.reportRevision.findMany({
        where: { year: period.year, quarter: period.quarter, OR: revisions },
        select: { zoneId: true, values: true },
      });
  return Object.fromEntries(rows.map((r) => [r.zoneId, parseRevisionValues(r.values)]));
}
