import type { Db, OutboundMessage, Store, Tx } from "../db/database.js";
import { isUniqueViolation, sqlOf } from "../db/database.js";
import { isSqlTx, type Sql, type SqlTx } from "../db/sql.js";
import type { OutboxChannel } from "../domain/codes.js";
import type { Clock } from "../time/clock.js";
import {
  type NewOutboxMessage,
  newOutboxMessageSchema,
  type OutboxPayload,
  type OutboxStatus,
  outboxPayloadSchema,
} from "./outbox-message.js";

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

/** How many windows of due rows one claim() scans at most when earlier ones are held back. */
const CLAIM_MAX_PAGES = 20;

/** The persistent outbox: every outgoing message is a row with an idempotency key. */
export class Outbox {
  constructor(
    private readonly store: Pick<Store, "db" | "provider">,
    private readonly clock: Clock,
  ) {}

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
   * Atomically claims up to `limit` due rows for `instanceId`: pending rows whose time has come,
   * and rows left in "sending" by an instance that died (claim older than leaseMs, or no claim time).
   * A conditional update per row makes the claim safe with several instances on one database.
   * Messages of one purpose to one recipient keep their order (the parts of a reply, consecutive
   * reminders): a row is claimable only when no earlier unfinished row of the same purpose to the
   * same recipient is waiting (pending with a later time, or in "sending" under a fresh claim).
   * Purposes do not wait for each other, so a reply is not held behind a reminder that waits for
   * quiet hours. Due rows held back that way do not hide later due rows of other recipients: the
   * scan goes on past them (up to CLAIM_MAX_PAGES windows of `limit` rows per call).
   */
  async claim(opts: {
    instanceId: string;
    limit: number;
    leaseMs: number;
    channels: OutboxChannel[];
  }): Promise<OutboxRow[]> {
    const db = this.store.db;
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - opts.leaseMs);
    const pair = (r: { channel: string; recipient: string; purpose: string }) =>
      `${r.channel}\u0000${r.recipient}\u0000${r.purpose}`;
    const blocked = new Set<string>();
    const claimed: OutboxRow[] = [];
    let afterId = 0;
    for (let page = 0; page < CLAIM_MAX_PAGES && claimed.length < opts.limit; page++) {
      const candidates = await db.outboundMessage.findMany({
        where: {
          id: { gt: afterId },
          channel: { in: opts.channels },
          OR: [
            { status: "pending", nextAttemptAt: { lte: now } },
            { status: "sending", claimedAt: { lt: staleBefore } },
            { status: "sending", claimedAt: null }, // no claim time (edited by hand): as good as stale
          ],
        },
        orderBy: { id: "asc" },
        take: opts.limit,
      });
      if (candidates.length === 0) break;
      afterId = candidates[candidates.length - 1]!.id;
      // the first not-yet-claimable unfinished row per channel/recipient/purpose: rows after it wait.
      // (claimable rows outside this window all have larger ids than the window, so they hold nothing back)
      const waiting = await db.outboundMessage.groupBy({
        by: ["channel", "recipient", "purpose"],
        where: {
          channel: { in: [...new Set(candidates.map((c) => c.channel))] },
          recipient: { in: [...new Set(candidates.map((c) => c.recipient))] },
          OR: [
            { status: "pending", nextAttemptAt: { gt: now } },
            { status: "sending", claimedAt: { gte: staleBefore } },
          ],
        },
        _min: { id: true },
      });
      const firstWaiting = new Map(waiting.map((h) => [pair(h), h._min.id]));
      for (const c of candidates) {
        if (claimed.length >= opts.limit) break;
        const key = pair(c);
        const w = firstWaiting.get(key);
        // an earlier row to this recipient is waiting (backoff, budget) or being sent elsewhere
        if (blocked.has(key) || (w !== undefined && w !== null && w < c.id)) continue;
        const { count } = await db.outboundMessage.updateMany({
          where: { id: c.id, status: c.status, claimedAt: c.claimedAt, attempts: c.attempts },
          data: { status: "sending", claimedBy: opts.instanceId, claimedAt: now },
        });
        if (count === 1) {
          claimed.push(toOutboxRow({ ...c, status: "sending", claimedBy: opts.instanceId, claimedAt: now }));
        } else {
          blocked.add(key); // another instance took it: the rest of this recipient's rows wait for it
        }
      }
      if (candidates.length < opts.limit) break;
    }
    return claimed;
  }

  /** Records a delivery. Only the claimant may complete a row. */
  async markSent(row: OutboxRow, result: { externalMsgId?: string; errcode?: number }): Promise<boolean> {
    const { count } = await this.store.db.outboundMessage.updateMany({
      where: { id: row.id, status: "sending", claimedBy: row.claimedBy },
      data: {
        status: "sent",
        sentAt: this.clock.now(),
        attempts: { increment: 1 },
        externalMsgId: result.externalMsgId ?? null,
        lastErrcode: result.errcode ?? 0,
        lastError: null,
      },
    });
    return count === 1;
  }

  /** A failed attempt: back to pending at `retryAt`, or failed for good when `retryAt` is undefined. */
  async markFailed(
    row: OutboxRow,
    failure: { errcode?: number; error: string; retryAt?: Date; partsSent?: number },
  ): Promise<void> {
    await this.store.db.outboundMessage.updateMany({
      where: { id: row.id, status: "sending", claimedBy: row.claimedBy },
      data: {
        status: failure.retryAt ? "pending" : "failed",
        attempts: { increment: 1 },
        partsSent: Math.max(row.partsSent, failure.partsSent ?? 0),
        nextAttemptAt: failure.retryAt ?? row.nextAttemptAt,
        lastErrcode: failure.errcode ?? null,
        lastError: failure.error.slice(0, 1000),
        claimedBy: null,
        claimedAt: null,
      },
    });
  }

  /** Puts a claimed row back without counting an attempt (rate budget, quiet hours, breaker). */
  async defer(row: OutboxRow, until: Date, reason: string): Promise<void> {
    await this.store.db.outboundMessage.updateMany({
      where: { id: row.id, status: "sending", claimedBy: row.claimedBy },
      data: {
        status: "pending",
        nextAttemptAt: until,
        lastError: reason.slice(0, 1000),
        claimedBy: null,
        claimedAt: null,
      },
    });
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
    const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const g of groups) out[g.status as OutboxStatus] = g._count._all;
    return out;
  }
}
