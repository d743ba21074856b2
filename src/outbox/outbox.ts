import type { Db, OutboundMessage, Store, Tx } from "../db/database.js";
import { isUniqueViolation, sqlOf } from "../db/database.js";
import { isSqlTx, type Sql, type SqlParam, type SqlTx } from "../db/sql.js";
import type { OutboxChannel } from "../domain/codes.js";
import type { Clock } from "../time/clock.js";
import { claimStatement } from "./claim-statement.js";
import {
  type NewOutboxMessage,
  newOutboxMessageSchema,
  type OutboxPayload,
  type OutboxStatus,
  outboxPayloadSchema,
} from "./outbox-message.js";
import { SqlParams } from "./sql-params.js";

export interface EnqueueResult {
  id: number;
  /** false when a row with the same idempotency key already existed (nothing new was queued). */
  created: boolean;
}

export interface OutboxRow extends Omit<OutboundMessage, "payload"> {
  payload: OutboxPayload;
}

export function toOutboxRow(row: OutboundMessage): OutboxRow {
  return { ...row, payload: outboxPayloadSchema.parse(JSON.parse(row.payload)) };
}

/** Key of the PostgreSQL advisory lock that serialises outbox claims ("kaiqu-ob"). */
const CLAIM_LOCK = 0x6b61_6971_752d_6f62n;

/** A row from a raw query: integers may come back as bigint on PostgreSQL, dates as Date. */
function fromRaw(r: OutboundMessage): OutboxRow {
  const num = (v: unknown) => (typeof v === "bigint" ? Number(v) : (v as number));
  const date = (v: unknown) =>
    v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v));
  return toOutboxRow({
    ...r,
    id: num(r.id),
    attempts: num(r.attempts),
    partsSent: num(r.partsSent),
    lastErrcode: r.lastErrcode === null ? null : num(r.lastErrcode),
    nextAttemptAt: date(r.nextAttemptAt)!,
    claimedAt: date(r.claimedAt),
    createdAt: date(r.createdAt)!,
    sentAt: date(r.sentAt),
    uncertainSince: date(r.uncertainSince),
  });
}

/**
 * The persistent outbox: every outgoing message is a row with an idempotency key. Claiming and
 * every update of a claimed row (mark sent, failed, deferred, cancelled, parts) are raw statements
 * (src/db/sql.ts): they run once or more per message sent, and the ORM's per-statement cost (≈ 0.5 ms)
 * was most of the dispatcher's own time.
 */
export class Outbox {
  constructor(
    private readonly store: Pick<Store, "db" | "provider">,
    private readonly clock: Clock,
  ) {}

  private get sql(): Sql {
    const sql = sqlOf(this.store.db);
    if (!sql) throw new Error("outbox: needs a store handle opened by openStore");
    return sql;
  }

  /** Updates one claimed row, if this claimant still holds it ("sending" under its claim). */
  private async updateClaimed(row: OutboxRow, set: string, params: SqlParam[]): Promise<void> {
    const n = params.length;
    await this.sql.run(
      `UPDATE "OutboundMessage" SET ${set} WHERE "id" = $${n + 1} AND "status" = 'sending'
         AND "claimedBy" IS NOT DISTINCT FROM $${n + 2}`,
      [...params, row.id, row.claimedBy],
    );
  }

  /**
   * Queues a message once per idempotency key. Pass `tx` to make the message part of a
   * larger transaction (e.g. storing a revision and its receipt together).
   * On PostgreSQL a duplicate key inside a transaction must not raise (it would abort the
   * transaction), hence INSERT … ON CONFLICT DO NOTHING there.
   */
  async enqueue(message: NewOutboxMessage, tx?: Tx | SqlTx): Promise<EnqueueResult> {
    const m = newOutboxMessageSchema.parse(message);
    const notBefore = m.notBefore ?? this.clock.now();
    const payload = JSON.stringify(m.payload);
    // replies are queued once or more per inbound message: raw SQL (src/db/sql.ts) unless inside an ORM transaction
    const sql = isSqlTx(tx) ? tx : tx ? undefined : sqlOf(this.store.db);
    if (sql) return this.enqueueSql(sql, m, payload, notBefore);
    const db = (tx ?? this.store.db) as Db;
    if (this.store.provider === "postgresql") {
      const rows = await db.$queryRaw<{ id: number }[]>`
        INSERT INTO "OutboundMessage" ("idempotencyKey", channel, recipient, "msgType", payload, purpose, status, attempts, "nextAttemptAt", "createdAt")
        VALUES (${m.idempotencyKey}, ${m.channel}, ${m.recipient}, ${m.msgType}, ${payload}, ${m.purpose}, 'pending', 0,
                (${notBefore.toISOString()}::timestamptz AT TIME ZONE 'UTC'), (${this.clock.now().toISOString()}::timestamptz AT TIME ZONE 'UTC'))
        ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING id`;
      if (rows[0]) return { id: Number(rows[0].id), created: true };
      const existing = await db.outboundMessage.findUniqueOrThrow({
        where: { idempotencyKey: m.idempotencyKey },
        select: { id: true },
      });
      return { id: existing.id, created: false };
    }
    const existing = await db.outboundMessage.findUnique({
      where: { idempotencyKey: m.idempotencyKey },
      select: { id: true },
    });
    if (existing) return { id: existing.id, created: false };
    try {
      const row = await db.outboundMessage.create({
        data: {
          idempotencyKey: m.idempotencyKey,
          channel: m.channel,
          recipient: m.recipient,
          msgType: m.msgType,
          payload,
          purpose: m.purpose,
          nextAttemptAt: notBefore,
          createdAt: this.clock.now(),
        },
        select: { id: true },
      });
      return { id: row.id, created: true };
    } catch (e) {
      if (!isUniqueViolation(e) || tx) throw e;
      const row = await db.outboundMessage.findUniqueOrThrow({
        where: { idempotencyKey: m.idempotencyKey },
        select: { id: true },
      });
      return { id: row.id, created: false };
    }
  }

  private async enqueueSql(
    sql: Sql,
    m: NewOutboxMessage,
    payload: string,
    notBefore: Date,
  ): Promise<EnqueueResult> {
    const row = await sql.get<{ id: number }>(
      `INSERT INTO "OutboundMessage" ("idempotencyKey", "channel", "recipient", "msgType", "payload", "purpose", "status",
         "attempts", "partsSent", "nextAttemptAt", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, 0, $7, $8)
       ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING "id"`,
      [
        m.idempotencyKey,
        m.channel,
        m.recipient,
        m.msgType,
        payload,
        m.purpose ?? "reply",
        notBefore,
        this.clock.now(),
      ],
    );
    if (row) return { id: Number(row.id), created: true };
    const existing = await sql.get<{ id: number }>(
      `SELECT "id" FROM "OutboundMessage" WHERE "idempotencyKey" = $1`,
      [m.idempotencyKey],
    );
    if (!existing) throw new Error(`outbox: key ${m.idempotencyKey} neither inserted nor found`);
    return { id: Number(existing.id), created: false };
  }

  async enqueueAll(messages: NewOutboxMessage[], tx?: Tx | SqlTx): Promise<EnqueueResult[]> {
    const out: EnqueueResult[] = [];
    for (const m of messages) out.push(await this.enqueue(m, tx));
    return out;
  }

  /**
   * Atomically claims up to `limit` due rows for `instanceId` with one conditional
   * `UPDATE … RETURNING` (SQLite ≥ 3.35, PostgreSQL): pending rows whose time has come, and rows
   * left in "sending" by an instance that died (claim older than leaseMs, or no claim time).
   * Messages of one purpose to one recipient keep their order (the parts of a reply, consecutive
   * reminders): a row is claimable only when no earlier row of the same channel, recipient and
   * purpose is waiting (pending with a later time, or in "sending" under a fresh claim). Earlier due
   * rows of the same group have smaller ids, so `ORDER BY id LIMIT n` claims them in the same batch.
   * Purposes do not wait for each other, so a reply is not held behind a reminder that waits for
   * quiet hours; rows held back never hide later due rows of other recipients (NOT EXISTS per row).
   * Claims are serialised: SQLite takes its write lock before the statement reads; on PostgreSQL a
   * transaction-level advisory lock does it, because under READ COMMITTED a concurrent claim would
   * re-check only the claimed row, not the "nothing earlier is waiting" condition.
   * A stale "sending" row taken over keeps `uncertainSince` = when its unfinished attempt began.
   */
  async claim(opts: {
    instanceId: string;
    limit: number;
    leaseMs: number;
    channels: OutboxChannel[];
  }): Promise<OutboxRow[]> {
    if (opts.channels.length === 0 || opts.limit <= 0) return [];
    const { sql, params } = claimStatement(this.store.provider, {
      ...opts,
      now: this.clock.now(),
    });
    const rows =
      this.store.provider === "postgresql"
        ? await this.sql.transaction(async (tx) => {
            await tx.get(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${CLAIM_LOCK})) l`);
            return tx.all<OutboundMessage>(sql, params);
          })
        : await this.sql.all<OutboundMessage>(sql, params);
    return rows.map(fromRaw).sort((a, b) => a.id - b.id);
  }

  /** Records a delivery. Only the claimant may complete a row. */
  async markSent(row: OutboxRow, result: { externalMsgId?: string; errcode?: number }): Promise<boolean> {
    return (await this.markSentMany([{ row, result }])) === 1;
  }

  /**
   * Records many deliveries with one UPDATE per claimant (normally one): status sent, one more
   * attempt, the msgids. Rows no longer claimed by that claimant are left alone. Returns the count.
   */
  async markSentMany(
    items: { row: OutboxRow; result: { externalMsgId?: string; errcode?: number } }[],
  ): Promise<number> {
    const byClaimant = new Map<string | null, typeof items>();
    for (const it of items)
      byClaimant.set(it.row.claimedBy, [...(byClaimant.get(it.row.claimedBy) ?? []), it]);
    let total = 0;
    for (const [claimant, group] of byClaimant) {
      if (claimant === null) continue;
      // placeholders are made in the order they appear in the statement (SQLite binds "?" in text order)
      const q = new SqlParams(this.store.provider, true);
      const sentAt = q.time(this.clock.now());
      const withIds = group.filter((g) => g.result.externalMsgId);
      const msgIdCase = withIds.length
        ? `CASE id ${withIds.map((g) => `WHEN ${q.value(g.row.id)} THEN ${q.value(g.result.externalMsgId!)}`).join(" ")} ELSE NULL END`
        : "NULL";
      const errCase = group.some((g) => (g.result.errcode ?? 0) !== 0)
        ? `CASE id ${group.map((g) => `WHEN ${q.value(g.row.id)} THEN ${q.value(g.result.errcode ?? 0)}`).join(" ")} ELSE 0 END`
        : "0";
      const claimedBy = q.value(claimant);
      const ids = group.map((g) => q.value(g.row.id)).join(", ");
      const sql = `UPDATE "OutboundMessage" SET status = 'sent', "sentAt" = ${sentAt},
          attempts = attempts + 1, "externalMsgId" = ${msgIdCase}, "lastErrcode" = ${errCase}, "lastError" = NULL
        WHERE status = 'sending' AND "claimedBy" = ${claimedBy} AND id IN (${ids})`;
      total += await this.sql.run(sql, q.params as SqlParam[]);
    }
    return total;
  }

  /**
   * Stores how many parts of a multi-part row have reached WeCom (and their msgids) while the row
   * is still being sent, so that a crash, restart or another instance continues with the next part.
   */
  async recordParts(row: OutboxRow, partsSent: number, msgIds: string[]): Promise<void> {
    await this.updateClaimed(row, `"partsSent" = $1, "externalMsgId" = $2`, [
      partsSent,
      msgIds.length ? msgIds.join(",") : null,
    ]);
  }

  /** A failed attempt: back to pending at `retryAt`, or failed for good when `retryAt` is undefined. */
  async markFailed(
    row: OutboxRow,
    failure: { errcode?: number; error: string; retryAt?: Date; partsSent?: number },
  ): Promise<void> {
    await this.updateClaimed(
      row,
      `"status" = $1, "attempts" = "attempts" + 1, "partsSent" = $2, "nextAttemptAt" = $3, "lastErrcode" = $4,
       "lastError" = $5, "claimedBy" = NULL, "claimedAt" = NULL`,
      [
        failure.retryAt ? "pending" : "failed",
        Math.max(row.partsSent, failure.partsSent ?? 0),
        failure.retryAt ?? row.nextAttemptAt,
        failure.errcode ?? null,
        failure.error.slice(0, 1000),
      ],
    );
  }

  /** Puts a claimed row back without counting an attempt (rate budget, quiet hours, breaker). */
  async defer(row: OutboxRow, until: Date, reason: string): Promise<void> {
    await this.deferMany([row], until, reason);
  }

  /**
   * Defers claimed rows to `until` with one UPDATE per claimant (normally one), e.g. the rest of a
   * recipient's queue behind a deferred row. Rows no longer claimed by their claimant are left alone.
   */
  async deferMany(rows: readonly OutboxRow[], until: Date, reason: string): Promise<void> {
    const byClaimant = new Map<string | null, number[]>();
    for (const r of rows) byClaimant.set(r.claimedBy, [...(byClaimant.get(r.claimedBy) ?? []), r.id]);
    for (const [claimant, ids] of byClaimant) {
      const q = new SqlParams(this.store.provider, true);
      const sql = `UPDATE "OutboundMessage" SET "status" = 'pending', "nextAttemptAt" = ${q.value(until)},
          "lastError" = ${q.value(reason.slice(0, 1000))}, "claimedBy" = NULL, "claimedAt" = NULL
        WHERE "status" = 'sending' AND "claimedBy" IS NOT DISTINCT FROM ${q.value(claimant)}
          AND "id" IN (${ids.map((id) => q.value(id)).join(", ")})`;
      await this.sql.run(sql, q.params as SqlParam[]);
    }
  }

  /**
   * A claimed row withdrawn before any part of it was sent (a pre-send check found it moot): status
   * cancelled, the reason in lastError. Never claimed again.
   */
  async markCancelled(row: OutboxRow, reason: string): Promise<void> {
    await this.updateClaimed(
      row,
      `"status" = 'cancelled', "lastError" = $1, "claimedBy" = NULL, "claimedAt" = NULL`,
      [reason.slice(0, 1000)],
    );
  }

  /** Operator action: a failed (or pending) row goes out again now. */
  async retry(id: number): Promise<boolean> {
    const { count } = await this.store.db.outboundMessage.updateMany({
      where: { id, status: { in: ["failed", "pending"] } },
      data: { status: "pending", nextAttemptAt: this.clock.now(), claimedBy: null, claimedAt: null },
    });
    return count === 1;
  }

  async list(opts: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxRow[]> {
    const rows = await this.store.db.outboundMessage.findMany({
      where: opts.status ? { status: opts.status } : {},
      orderBy: { id: "desc" },
      take: opts.limit ?? 100,
    });
    return rows.map(toOutboxRow);
  }

  async backlog(): Promise<Record<OutboxStatus, number>> {
    const groups = await this.store.db.outboundMessage.groupBy({ by: ["status"], _count: { _all: true } });
    const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
    for (const g of groups) out[g.status as OutboxStatus] = g._count._all;
    return out;
  }
}
