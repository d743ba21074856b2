import type { Db } from "../db/database.js";
import { isUniqueViolation, sqlOf } from "../db/database.js";
import type { SqlTx } from "../db/sql.js";
import type { Period } from "../domain/period.js";
import type { Programme } from "../programme/programme.js";
import { localDate } from "../time/clock.js";
import type { Draft } from "./draft-store.js";
import { receiptMessage, type StoredZone } from "./report-messages.js";
import { isLate } from "./validate-report.js";

export interface StoreRevisionsInput {
  programme: Programme;
  period: Period;
  draft: Draft;
  contactId: string;
  channel: string;
  now: Date;
  /**
   * The draft as it was loaded (its Conversation row's updatedAt): it is deleted in the same
   * transaction, and when it is already gone (a second 确认 racing the first) nothing is stored.
   * Undefined for a report confirmed automatically (no stored draft).
   */
  draftUpdatedAt?: Date;
  /**
   * For a report stored automatically (no draftUpdatedAt): the draft row this message read — its
   * updatedAt, deleted in the same transaction if it is unchanged; null when there was none, and then
   * nothing is deleted (a draft saved meanwhile, from another channel of the same contact, is not this
   * message's to remove). Undefined: whatever draft the contact has is removed.
   */
  draftRead?: Date | null;
  /** Queues the receipt inside the storing transaction (Outbox.enqueue takes the SqlTx). */
  queueReceipt(text: string, tx: SqlTx): Promise<void>;
}

export class DraftGoneError extends Error {
  constructor() {
    super("the draft was confirmed or cancelled meanwhile");
    this.name = "DraftGoneError";
  }
}

/**
 * Stores one confirmed revision per zone (revisionNo = max + 1 per year/quarter/zone), removes the
 * draft and queues the receipt — all in one transaction, so an error leaves nothing half-stored.
 * Two confirmations racing for the same zone collide on the unique revision number; the loser
 * retries with the next number. Runs once per stored report: raw SQL in one transaction (src/db/sql.ts).
 */
export async function storeRevisions(db: Db, input: StoreRevisionsInput): Promise<StoredZone[]> {
  const sql = sqlOf(db);
  if (!sql) throw new Error("storeRevisions: needs a store handle opened by openStore");
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.transaction(async (tx) => write(tx, input));
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 3) throw e;
    }
  }
}

/** PostgreSQL types the SELECT list's parameters as text unless told; SQLite has no `::` casts. */
const insertRevision = (c: (type: string) => string) =>
  `INSERT INTO "ReportRevision" ("year", "quarter", "zoneId", "revisionNo", "status", "values", "contactId", "channel",
     "inboundMessageId", "rawText", "late", "createdAt", "confirmedAt", "rawFileSha256", "rawFilePath", "rawFileName")
   SELECT $1${c("int")}, $2${c("int")}, $3${c("text")}, COALESCE(MAX("revisionNo"), 0) + 1, 'confirmed', $4${c("text")},
     $5${c("text")}, $6${c("text")}, $7${c("int")}, $8${c("text")}, $9${c("boolean")}, $10${c("timestamp(3)")}, $10${c("timestamp(3)")},
     $11${c("text")}, $12${c("text")}, $13${c("text")}
     FROM "ReportRevision" WHERE "year" = $1${c("int")} AND "quarter" = $2${c("int")} AND "zoneId" = $3${c("text")}
   RETURNING "revisionNo"`;
const INSERT_REVISION = {
  sqlite: insertRevision(() => ""),
  postgresql: insertRevision((t) => `::${t}`),
};

async function write(tx: SqlTx, input: StoreRevisionsInput): Promise<StoredZone[]> {
  const { period, draft, now, contactId } = input;
  const ifUnchanged = input.draftUpdatedAt ?? input.draftRead;
  const count = ifUnchanged
    ? await tx.run(`DELETE FROM "Conversation" WHERE "contactId" = $1 AND "updatedAt" = $2`, [
        contactId,
        ifUnchanged,
      ])
    : input.draftRead === null
      ? 0 // no draft was read: no statement (one round trip less on PostgreSQL)
      : await tx.run(`DELETE FROM "Conversation" WHERE "contactId" = $1`, [contactId]);
  if (input.draftUpdatedAt && count !== 1) throw new DraftGoneError();
  const late = isLate(input.programme, period, localDate(now));
  const rawText = draft.rawTexts.join("\n\n");
  const inboundMessageId = draft.inboundIds[draft.inboundIds.length - 1] ?? null;
  const file = draft.files.at(-1);
  const stored: StoredZone[] = [];
  for (const s of draft.sections) {
    // revisionNo = max + 1 in the INSERT itself; the unique index catches a racing writer
    const row = await tx.get<{ revisionNo: number }>(INSERT_REVISION[tx.provider], [
      period.year,
      period.quarter,
      s.zoneId,
      JSON.stringify(s.values),
      contactId,
      input.channel,
      inboundMessageId,
      rawText,
      late,
      now,
      file?.sha256 ?? null,
      file?.path ?? null,
      file?.name ?? null,
    ]);
    if (!row) throw new Error(`revision of ${s.zoneId} was not stored`);
    stored.push({ zoneId: s.zoneId, revisionNo: Number(row.revisionNo), values: s.values, late });
  }
  await input.queueReceipt(receiptMessage(input.programme, period, stored), tx);
  return stored;
}
