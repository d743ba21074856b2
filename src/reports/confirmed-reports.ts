import { z } from "zod";
import type { Db, Tx } from "../db/database.js";
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

export function parseRevisionValues(json: string): Record<string, string> {
  return revisionValuesSchema.parse(JSON.parse(json));
}

/** The latest confirmed revision of every zone that has one for the period. */
export async function listLatestConfirmed(
  db: Db | Tx,
  period: Period,
  zoneIds?: string[],
): Promise<ConfirmedReport[]> {
  const rows = await db.reportRevision.findMany({
    where: {
      year: period.year,
      quarter: period.quarter,
      status: "confirmed",
      ...(zoneIds ? { zoneId: { in: zoneIds } } : {}),
    },
    orderBy: [{ zoneId: "asc" }, { revisionNo: "desc" }],
  });
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
