import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db, Tx } from "../db/database.js";
import { type Period, periodKey, periodShortLabel, previousQuarter } from "../domain/period.js";
import {
  type PrefectureDef,
  type Programme,
  type ZoneDef,
  zonesOfPrefecture,
} from "../programme/programme.js";
import { listLatestConfirmed } from "../reports/confirmed-reports.js";
import { writeReportForm } from "./report-form-workbook.js";

export interface BureauForm {
  bytes: Buffer;
  /** What the recipient sees: "2023Q1黔南州报送表.xlsx". */
  filename: string;
  prefecture: PrefectureDef;
  zones: ZoneDef[];
}

/**
 * The pre-filled report form of one bureau and quarter (writeReportForm): its zones that must report,
 * last quarter's confirmed values beside the inputs, this quarter's confirmed values pre-filled.
 * undefined when the programme has no such prefecture or it has no zone to report.
 */
export async function bureauForm(
  db: Db | Tx,
  programme: Programme,
  period: Period,
  prefectureCode: string,
): Promise<BureauForm | undefined> {
  const prefecture = programme.prefectures.find((p) => p.code === prefectureCode);
  const zones = zonesOfPrefecture(programme, prefectureCode);
  if (!prefecture || zones.length === 0) return undefined;
  const ids = zones.map((z) => z.id);
  const prev = previousQuarter(period);
  const byZone = (rs: { zoneId: string; values: Record<string, string> }[]) =>
    Object.fromEntries(rs.map((r) => [r.zoneId, r.values]));
  const bytes = await writeReportForm({
    programme,
    period,
    prefecture,
    zones,
    previous: prev ? byZone(await listLatestConfirmed(db, prev, ids)) : {},
    current: byZone(await listLatestConfirmed(db, period, ids)),
  });
  return {
    bytes,
    filename: `${periodShortLabel(period)}${prefecture.shortName}报送表.xlsx`,
    prefecture,
    zones,
  };
}

/**
 * Writes a form to be sent as an outbox file row: <dir>/forms/<period>/<name>, atomically (a row
 * names the path; the sender reads it when it sends, possibly in another process).
 */
export function writeFormFile(dir: string, period: Period, name: string, bytes: Buffer): string {
  const folder = path.resolve(dir, "forms", periodKey(period));
  mkdirSync(folder, { recursive: true });
  const full = path.join(folder, name.replace(/[\\/]/g, "_"));
  const tmp = `${full}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, full);
  return full;
}
