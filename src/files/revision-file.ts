import type { Db, Tx } from "../db/database.js";
import type { Period } from "../domain/period.js";
import { readFileCopy } from "./file-store.js";

export type RevisionFile =
  | { kind: "found"; revisionNo: number; name: string; bytes: Buffer; storedPath: string }
  /** The zone has no revision of that period. */
  | { kind: "no_revision" }
  /** The latest revision was typed, not sent as a file. */
  | { kind: "not_a_file"; revisionNo: number }
  /** The revision names a copy that is gone or altered (its hash no longer matches). */
  | { kind: "missing"; revisionNo: number; storedPath: string };

/**
 * The file a zone's latest revision of a period was read from (the `原件` chat command and
 * `kaiqu report file`): the stored copy, checked against the revision's hash.
 */
export async function latestRevisionFile(
  db: Db | Tx,
  storeDir: string,
  zoneId: string,
  period: Period,
): Promise<RevisionFile> {
  const rev = await db.reportRevision.findFirst({
    where: { year: period.year, quarter: period.quarter, zoneId },
    orderBy: { revisionNo: "desc" },
  });
  if (!rev) return { kind: "no_revision" };
  if (!rev.rawFileSha256 || !rev.rawFilePath) return { kind: "not_a_file", revisionNo: rev.revisionNo };
  const bytes = readFileCopy(storeDir, { sha256: rev.rawFileSha256, path: rev.rawFilePath });
  if (!bytes) return { kind: "missing", revisionNo: rev.revisionNo, storedPath: rev.rawFilePath };
  return {
    kind: "found",
    revisionNo: rev.revisionNo,
    name: rev.rawFileName ?? rev.rawFilePath,
    bytes,
    storedPath: rev.rawFilePath,
  };
}
