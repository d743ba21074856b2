import type { Db, InboundMessage, Tx } from "../../src/db/database.js";
import { sqlOf } from "../../src/db/database.js";
import { type Sql, type SqlParam, type SqlTx, sqlDate, sqlDateOrNull } from "../../src/db/sql.js";
import type { InboundEvent } from "../../src/inbound/inbound-event.js";
import { ROSTER_VERSION_SUBQUERY } from "../../src/programme/roster-cache.js";

/**
 * Storing and claiming inbound messages (the first step of `handle`).
 *
 * Dedupe: (channel, externalId) is unique, so a redelivery finds the stored row.
 * - status processed/failed → a duplicate: nothing is done.
 * - status received → either still being handled (by this or another instance) or left behind by a
 *   crash. `claimedAt` holds the time its processing was claimed; a claim older than the lease
 *   (INBOUND_LEASE_S) is taken over (conditional update, so one instance wins) and the
 *   message is processed again. Replies are keyed `reply:<inboundId>:<n>` and revisions are written
 *   in one transaction with the draft removal, so the second run cannot send or store twice.
 */
export type RecordResult =
  | {
      kind: "new";
      row: InboundMessage;
      /**
       * Read by the INSERT itself (a newly stored row only): whether an earlier message of the same
       * sender was still being handled (waitForEarlierFromSender's first check), and the roster
       * cache's counter (RosterCache.get's `seen`).
       */
      earlierBusy?: boolean;
      rosterVersion?: number;
    }
  | { kind: "resumed"; row: InboundMessage }
  | { kind: "duplicate"; row: InboundMessage };

/**
 * The statements of this file run once or more per inbound message, so they bypass the ORM (raw SQL
 * through src/db/sql.ts; README "Storage and migrations" has the figures).
 */
function sqlFor(db: Db | Tx): Sql {
  const sql = sqlOf(db);
  if (!sql)
    throw new Error("inbound store: needs a store handle opened by openStore (not a transaction client)");
  return sql;
}

const COLUMNS = `"id", "channel", "externalId", "senderRef", "contactId", "chatRef", "kind", "text", "receivedAt", "status", "claimedAt", "processedAt", "error"`;

type RawInbound = Omit<InboundMessage, "receivedAt" | "claimedAt" | "processedAt"> & {
  receivedAt: unknown;
  claimedAt: unknown;
  processedAt: unknown;
};

function toRow(r: RawInbound): InboundMessage {
  return {
    id: Number(r.id),
    channel: r.channel,
    externalId: r.externalId,
    senderRef: r.senderRef,
    contactId: r.contactId,
    chatRef: r.chatRef,
    kind: r.kind,
    text: r.text,
    status: r.status,
    error: r.error,
    receivedAt: sqlDate(r.receivedAt),
    claimedAt: sqlDateOrNull(r.claimedAt),
    processedAt: sqlDateOrNull(r.processedAt),
  };
}

/**
 * Stores the message; a new row comes back with two reads of the same statement (one round trip
 * fewer each): `busy` — BUSY_SQL's question for this row, claims newer than $9 — and the roster
 * cache's counter.
 */
const INSERT_ROW = `INSERT INTO "InboundMessage" ("channel", "externalId", "senderRef", "chatRef", "kind", "text", "receivedAt", "status", "claimedAt")
  VALUES ($1, $2, $3, $4, $5, $6, $7, 'received', $8)
  ON CONFLICT ("channel", "externalId") DO NOTHING`;
const INSERT = `${INSERT_ROW} RETURNING ${COLUMNS},
    (SELECT 1 FROM "InboundMessage" b WHERE b."status" = 'received' AND b."channel" = "InboundMessage"."channel"
       AND b."senderRef" = "InboundMessage"."senderRef" AND b."id" < "InboundMessage"."id" AND b."claimedAt" > $9 LIMIT 1) AS "busy",
    ${ROSTER_VERSION_SUBQUERY} AS "rosterVersion"`;

type InsertedRow = RawInbound & { busy: unknown; rosterVersion: unknown };

function insert(
  sql: Sql,
  event: InboundEvent,
  claimedAt: Date | null,
  busySince: Date,
): Promise<InsertedRow | undefined> {
  // Settles at the commit; the flush to disk runs meanwhile (SQLite, wal-sync.ts) while the message is
  // identified and parsed — nobody outside sees those. Every raw write after it (the revision, every
  // outbox row and claim) waits for the flush, and handle reports a result only after inboundSynced.
  // A transport that acknowledges before handling stores with acceptInbound, which waits for the disk.
  return (sql.getSyncing ?? sql.getDurable ?? sql.get)<InsertedRow>(INSERT, [
    ...rowParams(event, claimedAt),
    busySince,
  ]);
}

/** Settles when every inbound row stored so far is on disk (see insert); rejects when a flush failed. */
export async function inboundSynced(db: Db): Promise<void> {
  await sqlFor(db).synced?.();
}

export async function recordInbound(
  db: Db,
  event: InboundEvent,
  now: Date,
  leaseMs: number,
): Promise<RecordResult> {
  const sql = sqlFor(db);
  const created = await insert(sql, event, now, new Date(now.getTime() - leaseMs));
  if (created) {
    const version = created.rosterVersion;
    return {
      kind: "new",
      row: toRow(created),
      earlierBusy: created.busy !== null && created.busy !== undefined,
      ...(version !== null && version !== undefined ? { rosterVersion: Number(version) } : {}),
    };
  }
  const found = await sql.get<RawInbound>(
    `SELECT ${COLUMNS} FROM "InboundMessage" WHERE "channel" = $1 AND "externalId" = $2`,
    [event.channel, event.externalId],
  );
  if (!found) throw new Error(`inbound ${event.channel}/${event.externalId}: neither inserted nor found`);
  const existing = toRow(found);
  if (existing.status !== "received") return { kind: "duplicate", row: existing };
  const claimedAt = existing.claimedAt;
  if (claimedAt === null) {
    // stored ahead by the transport (acceptInbound), not yet claimed by anyone
    const count = await sql.run(
      `UPDATE "InboundMessage" SET "claimedAt" = $1 WHERE "id" = $2 AND "status" = 'received' AND "claimedAt" IS NULL`,
      [now, existing.id],
    );
    return count === 1
      ? { kind: "new", row: { ...existing, claimedAt: now } }
      : { kind: "duplicate", row: existing };
  }
  if (claimedAt.getTime() > now.getTime() - leaseMs) return { kind: "duplicate", row: existing };
  const count = await sql.run(
    `UPDATE "InboundMessage" SET "claimedAt" = $1 WHERE "id" = $2 AND "status" = 'received' AND "claimedAt" = $3`,
    [now, existing.id, claimedAt],
  );
  if (count !== 1) return { kind: "duplicate", row: existing };
  return { kind: "resumed", row: { ...existing, claimedAt: now } };
}

/**
 * Marks a message processed or failed. `tx`: inside the handler's own writing transaction (the message
 * is then finished exactly when its writes commit: one commit per message instead of two). A
 * "processed" mark only changes a row still "received", so `handle` can mark every message after its
 * handler ran without knowing whether the handler's transaction already did (an UPDATE that changes
 * nothing writes nothing: no commit to wait for); "failed" always wins.
 */
export async function finishInbound(
  db: Db,
  id: number,
  result: { status: "processed" | "failed"; contactId?: string; error?: string; at: Date },
  tx?: SqlTx,
): Promise<void> {
  await (tx ?? sqlFor(db)).run(result.status === "processed" ? FINISH_PROCESSED : FINISH_FAILED, [
    result.at,
    result.contactId ?? null,
    result.error ? result.error.slice(0, 1000) : null,
    id,
  ]);
}

const FINISH_PROCESSED = `UPDATE "InboundMessage" SET "status" = 'processed', "processedAt" = $1, "contactId" = $2, "error" = $3
  WHERE "id" = $4 AND "status" = 'received'`;
const FINISH_FAILED = `UPDATE "InboundMessage" SET "status" = 'failed', "processedAt" = $1, "contactId" = $2, "error" = $3 WHERE "id" = $4`;

/**
 * Several bot instances on one database: waits until no earlier message of the same sender is being
 * handled by another instance (stored, claim still fresh), so one contact's messages are handled in
 * arrival order everywhere — a follow-up with the missing values must see the draft the previous
 * message wrote. Within one process the per-sender queue already orders them. Gives up waiting after
 * the lease (the other instance is then presumed dead and its row is resumed later).
 */
export async function waitForEarlierFromSender(
  db: Db,
  row: Pick<InboundMessage, "id" | "channel" | "senderRef">,
  clock: { now(): Date },
  leaseMs: number,
  pollMs = 50,
): Promise<void> {
  const sql = sqlFor(db);
  const deadline = Date.now() + leaseMs;
  for (;;) {
    // served by the status index: only unfinished rows are looked at
    const busy = await sql.get(BUSY_SQL, [
      row.channel,
      row.senderRef,
      row.id,
      new Date(clock.now().getTime() - leaseMs),
    ]);
    if (!busy || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

const BUSY_SQL = `SELECT 1 AS "busy" FROM "InboundMessage" WHERE "status" = 'received' AND "channel" = $1 AND "senderRef" = $2
  AND "id" < $3 AND "claimedAt" > $4 LIMIT 1`;

/**
 * Stores an inbound message durably before the transport acknowledges it (WeCom does not retry after
 * its 200), unclaimed; `handle` claims it afterwards. Idempotent: a redelivery finds the row.
 */
export async function acceptInbound(db: Db, event: InboundEvent): Promise<void> {
  // nothing read back: the busy subquery would look at every unclaimed row of the sender (a backlog)
  const sql = sqlFor(db);
  await (sql.getDurable ?? sql.get)(`${INSERT_ROW} RETURNING "id"`, rowParams(event, null));
}

/** $1…$8 of INSERT_ROW: the event's columns and the claim time (null = unclaimed). */
function rowParams(event: InboundEvent, claimedAt: Date | null): SqlParam[] {
  return [
    event.channel,
    event.externalId,
    event.senderRef,
    event.chatRef ?? null,
    // an attachment's kind, so that a resumed message is answered as what it was (eventOfInbound)
    event.attachment?.kind ?? event.kind,
    event.text,
    event.receivedAt,
    claimedAt,
  ];
}

const REPLY_PROBE = 32;

/**
 * Outbox rows keyed `reply:<inboundId>:<n>`, counted by exact keys in blocks of REPLY_PROBE (the
 * unique index serves them; a `startsWith` is a LIKE that SQLite — and PostgreSQL under a non-C
 * collation — answers by scanning the whole, ever-growing outbox, once per inbound message).
 * A block is followed by the next only when its last key exists (n counts up from 1 per run).
 */
export async function countRepliesTo(db: Db, inboundId: number): Promise<number> {
  const sql = sqlFor(db);
  const placeholders = Array.from({ length: REPLY_PROBE }, (_, i) => `$${i + 1}`).join(", ");
  const text = `SELECT "idempotencyKey" FROM "OutboundMessage" WHERE "idempotencyKey" IN (${placeholders})`;
  let total = 0;
  for (let from = 1; ; from += REPLY_PROBE) {
    const keys = Array.from({ length: REPLY_PROBE }, (_, i) => `reply:${inboundId}:${from + i}`);
    const rows = await sql.all<{ idempotencyKey: string }>(text, keys);
    total += rows.length;
    if (!rows.some((r) => r.idempotencyKey === keys[keys.length - 1])) return total;
  }
}
