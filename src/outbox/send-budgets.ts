import type { Store } from "../db/database.js";
import type { Clock } from "../time/clock.js";
import { SqlParams } from "./sql-params.js";

export interface RateRule {
  limit: number;
  windowMs: number;
  /**
   * The window is counted this much longer than `windowMs` (default 0: exactly `windowMs`). For a
   * platform that counts a send when it arrives, which can be after the send was stamped here; the
   * platform's limits say how long and why. The core adds no guard of its own.
   */
  guardMs?: number;
}

/** How long a rule's window is counted: its window plus its guard. */
export function countedWindowMs(rule: RateRule): number {
  return rule.windowMs + (rule.guardMs ?? 0);
}

/** The result of asking for budget. */
export interface Acquisition {
  /** 0 = taken; otherwise nothing was taken and this is how long to wait (Infinity: never fits). */
  waitMs: number;
  /** true when the outbox row is no longer claimed by the asker (another instance took it over). */
  lost?: boolean;
  /**
   * Call when the request has been answered: re-stamps the taken sends with the current time.
   * WeCom counts a message when it arrives, which is after it was stamped; without this, a slow
   * request followed by a fast one can put 31 arrivals into one WeCom minute.
   */
  settle(): Promise<void> | void;
  /** Gives the taken sends back (nothing was sent: a second budget of the same send refused). */
  release?(): Promise<void> | void;
}

/** A budget of sends per key (a WeCom member, a robot …) under one or more sliding windows. */
export interface SendBudget {
  readonly rules: readonly RateRule[];
  /**
   * Takes `n` sends for every key when all windows allow it (waitMs 0), else takes nothing and
   * says how long to wait. `row` ties the take to an outbox claim: it happens only while that
   * row is still claimed by its claimant, in the same transaction.
   */
  tryAcquire(
    keys: readonly string[],
    n: number,
    row?: { id: number; claimedBy: string | null },
  ): Promise<Acquisition>;
}

/** Stamps of all windows are pruned this often (per instance). */
const PRUNE_EVERY = 500;

/**
 * Budgets shared by every instance on the database (decision, see README "several instances"):
 * each send is a SendStamp row (bucket = "<budget>:<key>", time); a take counts the stamps of
 * each bucket inside each window (counted `windowMs + guardMs`) and inserts its own — in one
 * transaction that first re-checks the outbox row's claim (so a take never outlives its claim),
 * with the buckets locked: a transaction-level advisory lock per bucket on PostgreSQL, SQLite's
 * single writer (the first statement writes, so the write lock is taken before anything is
 * counted). N instances together therefore never exceed one budget.
 */
export class SharedSendBudget implements SendBudget {
  private takes = 0;
  private readonly maxWindowMs: number;

  constructor(
    private readonly store: Pick<Store, "db" | "provider">,
    private readonly clock: Clock,
    /** e.g. "app", "robot" — the bucket prefix. */
    private readonly name: string,
    readonly rules: readonly RateRule[],
  ) {
    this.maxWindowMs = Math.max(...rules.map(countedWindowMs));
  }

  async tryAcquire(
    keys: readonly string[],
    n: number,
    row?: { id: number; claimedBy: string | null },
  ): Promise<Acquisition> {
    const none = { settle: () => {} };
    if (this.rules.some((r) => n > r.limit)) return { waitMs: Number.POSITIVE_INFINITY, ...none };
    const buckets = [...new Set(keys.map((k) => `${this.name}:${k}`))].sort();
    if (buckets.length === 0 || n <= 0) return { waitMs: 0, ...none };
    const db = this.store.db;
    const pg = this.store.provider === "postgresql";
    let stampAt = this.clock.now();
    let now = stampAt.getTime();
    const result = await db.$transaction(
      async (tx) => {
        if (row) {
          // the claim check writes first (SQLite: takes the write lock before counting)
          const { count } = await tx.outboundMessage.updateMany({
            where: { id: row.id, status: "sending", claimedBy: row.claimedBy },
            data: { claimedBy: row.claimedBy },
          });
          if (count !== 1) return { waitMs: 0, lost: true };
        }
        if (pg) {
          const q = new SqlParams("postgresql");
          await tx.$queryRawUnsafe(
            `SELECT count(*)::int AS n FROM (SELECT pg_advisory_xact_lock(hashtext(b)) FROM unnest(${q.value(buckets)}::text[]) AS b) l`,
            ...q.params,
          );
        }
        // stamped once the buckets are ours: a take that waited for the lock is not dated before the
        // takes it waited for
        stampAt = this.clock.now();
        now = stampAt.getTime();
        let wait = 0;
        for (const rule of this.rules) {
          const windowMs = countedWindowMs(rule);
          const since = new Date(now - windowMs);
          const counts = await tx.sendStamp.groupBy({
            by: ["bucket"],
            where: { bucket: { in: buckets }, at: { gt: since } },
            _count: { _all: true },
          });
          for (const c of counts) {
            const over = c._count._all + n - rule.limit;
            if (over <= 0) continue;
            const oldest = await tx.sendStamp.findMany({
              where: { bucket: c.bucket, at: { gt: since } },
              orderBy: { at: "asc" },
              skip: over - 1,
              take: 1,
              select: { at: true },
            });
            const at = oldest[0]?.at.getTime() ?? now;
            wait = Math.max(wait, at + windowMs - now);
          }
        }
        if (wait > 0) return { waitMs: Math.max(1, wait) };
        await tx.sendStamp.createMany({
          data: buckets.flatMap((bucket) =>
            Array.from({ length: n }, () => ({ bucket, at: stampAt, outboxId: row?.id ?? null })),
          ),
        });
        return { waitMs: 0 };
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
    if (result.waitMs > 0 || result.lost) return { ...result, ...none };
    if (++this.takes % PRUNE_EVERY === 0)
      await db.sendStamp.deleteMany({ where: { at: { lt: new Date(now - this.maxWindowMs) } } });
    let settled = false;
    return {
      waitMs: 0,
      release: async () => {
        settled = true;
        await db.sendStamp.deleteMany({
          where: { bucket: { in: buckets }, at: stampAt, outboxId: row?.id ?? null },
        });
      },
      settle: async () => {
        if (settled) return;
        settled = true;
        const later = this.clock.now();
        if (later.getTime() <= now) return;
        await db.sendStamp.updateMany({
          where: { bucket: { in: buckets }, at: stampAt, outboxId: row?.id ?? null },
          data: { at: later },
        });
      },
    };
  }
}
