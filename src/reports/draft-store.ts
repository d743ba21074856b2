import { z } from "zod";
import { type Db, sqlOf, type Tx } from "../db/database.js";
import { type Sql, sqlDate } from "../db/sql.js";
import type { Period, Quarter } from "../domain/period.js";

/**
 * A contact's unfinished report, kept in the Conversation row (one per contact) until it is
 * confirmed, cancelled, or expires after DRAFT_TTL_MIN. Nothing in a draft counts as reported.
 */
export const DRAFT_STATES = ["awaiting_missing", "awaiting_unit", "awaiting_confirmation"] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

const sectionSchema = z.object({
  zoneId: z.string(),
  /** indicatorKey → canonical value (base values plus what the contact sent). */
  values: z.record(z.string(), z.string()),
  /** Keys the contact sent in this dialogue (the rest come from the base revision). */
  changed: z.array(z.string()),
  /** indicatorKey → fragment of the message the value was read from. */
  raws: z.record(z.string(), z.string()).default({}),
  /** The confirmed revision the values started from (a correction), if any. */
  baseRevisionNo: z.number().int().optional(),
});

const suspectSchema = z.object({
  zoneId: z.string(),
  indicatorKey: z.string(),
  /** value as read (万元) and the value if the unit was mistaken by 10 000×. */
  value: z.string(),
  suggested: z.string(),
  reference: z.string(),
  referenceWhat: z.string(),
  raw: z.string(),
});

export const draftSchema = z.object({
  period: z.object({ year: z.number().int(), quarter: z.number().int().min(1).max(4) }),
  sections: z.array(sectionSchema),
  rawTexts: z.array(z.string()),
  /** Inbound messages whose text contributed data (the last one is recorded on the revisions). */
  inboundIds: z.array(z.number().int()),
  /** Changes with every save; a confirmation card carries it so a stale card cannot confirm. */
  token: z.string(),
  suspects: z.array(suspectSchema).default([]),
  /** Files the values were read from (content hash and stored copy); the last is kept on the revisions. */
  files: z.array(z.object({ sha256: z.string(), path: z.string(), name: z.string() })).default([]),
  /**
   * Values read from a short answer (`2`, `都是0`) to the list of missing fields: a 不是/不对 at the echo
   * takes them back out (the fields are missing again) instead of dropping the whole draft.
   */
  shortAnswers: z
    .array(z.object({ zoneId: z.string(), keys: z.array(z.string()), reply: z.string() }))
    .default([]),
});

export type DraftSection = z.infer<typeof sectionSchema>;
export type UnitSuspect = z.infer<typeof suspectSchema>;
export type Draft = z.infer<typeof draftSchema>;

export interface StoredDraft {
  state: DraftState;
  draft: Draft;
  expiresAt: Date;
  /** The row's updatedAt: storing deletes the draft only if it is still this version. */
  updatedAt: Date;
}

export function draftPeriod(d: Draft): Period {
  return { year: d.period.year, quarter: d.period.quarter as Quarter };
}

/** Drafts are read and written once or more per message: raw SQL (src/db/sql.ts), not the ORM. */
function sqlFor(db: Db | Tx): Sql {
  const sql = sqlOf(db);
  if (!sql)
    throw new Error("draft store: needs a store handle opened by openStore (not a transaction client)");
  return sql;
}

/** The contact's live draft; an expired or unreadable one is deleted and reported as absent. */
export async function loadDraft(db: Db | Tx, contactId: string, now: Date): Promise<StoredDraft | undefined> {
  const sql = sqlFor(db);
  const raw = await sql.get<{ state: string; payload: string; expiresAt: unknown; updatedAt: unknown }>(
    `SELECT "state", "payload", "expiresAt", "updatedAt" FROM "Conversation" WHERE "contactId" = $1`,
    [contactId],
  );
  if (!raw) return undefined;
  const row = { ...raw, expiresAt: sqlDate(raw.expiresAt), updatedAt: sqlDate(raw.updatedAt) };
  const state = (DRAFT_STATES as readonly string[]).includes(row.state)
    ? (row.state as DraftState)
    : undefined;
  let draft: Draft | undefined;
  try {
    draft = draftSchema.parse(JSON.parse(row.payload));
  } catch {
    draft = undefined;
  }
  if (!state || !draft || row.expiresAt.getTime() <= now.getTime()) {
    await sql.run(`DELETE FROM "Conversation" WHERE "contactId" = $1 AND "updatedAt" = $2`, [
      contactId,
      row.updatedAt,
    ]);
    return undefined;
  }
  return { state, draft, expiresAt: row.expiresAt, updatedAt: row.updatedAt };
}

export async function saveDraft(
  db: Db | Tx,
  contactId: string,
  state: DraftState,
  draft: Draft,
  expiresAt: Date,
): Promise<void> {
  const payload = JSON.stringify(draftSchema.parse(draft));
  // updatedAt is the draft's version (storing deletes the draft only if it is still this one)
  await sqlFor(db).run(
    `INSERT INTO "Conversation" ("contactId", "state", "payload", "expiresAt", "updatedAt") VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ("contactId") DO UPDATE SET "state" = excluded."state", "payload" = excluded."payload",
       "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`,
    [contactId, state, payload, expiresAt, new Date()],
  );
}

export async function deleteDraft(db: Db | Tx, contactId: string): Promise<boolean> {
  return (await sqlFor(db).run(`DELETE FROM "Conversation" WHERE "contactId" = $1`, [contactId])) > 0;
}
