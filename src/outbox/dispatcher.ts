import type { OutboxChannel } from "../domain/codes.js";
import type { Logger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import type { Outbox, OutboxRow } from "./outbox.js";
import type { SendOutcome } from "./outbox-message.js";

type Outcome = SendOutcome | { kind: "failed" } | { kind: "cancelled" };

/** What the dispatcher offers a sender while it delivers one row. */
export interface SendContext {
  /**
   * Persists that the first `partsSent` parts of a multi-part row reached the remote (with their
   * msgids) before the next part goes: a crash, restart or another instance continues from there.
   */
  recordParts(partsSent: number, msgIds: string[]): Promise<void>;
}

/** Delivers one outbox row over one channel. Implemented by the transports in bot/. */
export interface ChannelSender {
  send(row: OutboxRow, ctx?: SendContext): Promise<SendOutcome>;
}

/**
 * Asked just before a row goes out (after the claim, before any part is sent): a reason to cancel
 * it, or undefined to send. The reminders' re-check (src/reminders/reminder-send-check.ts) is one;
 * a check that throws makes the attempt a retry.
 */
export type PreSendCheck = (row: OutboxRow) => Promise<string | undefined>;

/** Rows marked sent with one statement once this many have succeeded in a pass (and at its end). */
const MARK_SENT_BATCH = 50;
/**
 * …or once the oldest unmarked success is this old. A row WeCom accepted but not yet marked sent is
 * resent if this instance dies, so this bounds the at-least-once window to the request latency plus
 * this wait and one UPDATE, however many rows one recipient has queued in the pass (bench fanout).
 */
const MARK_SENT_MAX_WAIT_MS = 20;

export interface DispatcherOptions {
  outbox: Outbox;
  senders: Partial<Record<OutboxChannel, ChannelSender>>;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  batch: number;
  maxAttempts: number;
  leaseMs: number;
  pollMs: number;
  /** Re-checks a row at send time; a returned reason cancels it (status cancelled, reason recorded). */
  preSend?: PreSendCheck;
  /** Called once when a row is given up for good (used to alert the task force, once per `cause`). */
  onGiveUp?: (row: OutboxRow, outcome: { errcode?: number; error: string; cause?: string }) => Promise<void>;
  /** Backoff base and cap in ms (default 2 s … 10 min), doubled per attempt with ±20 % jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
}

export interface DispatchStats {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
  cancelled: number;
}

/**
 * Future times at which rows this dispatcher put back (deferred, or failed with a retry time)
 * become due, earliest first. The poll loop wakes at the earliest instead of up to `pollMs` later:
 * a recipient over its rate budget gets its next row out when the budget allows it, not up to a
 * poll later (at WeCom's 30 per minute, a 1 s poll cost each budget window up to 1 s).
 */
const MAX_WAKE_TIMES = 10_000;

class WakeTimes {
  private readonly times: number[] = [];

  add(at: Date): void {
    const t = at.getTime();
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (this.times[lo] !== t) this.times.splice(lo, 0, t);
    // bounded: a time dropped here only means that row waits for a poll
    if (this.times.length > MAX_WAKE_TIMES) this.times.pop();
  }

  /** The earliest time still after `now` (earlier ones are dropped), or undefined. */
  next(now: number): number | undefined {
    let i = 0;
    while (i < this.times.length && this.times[i]! <= now) i++;
    if (i > 0) this.times.splice(0, i);
    return this.times[0];
  }
}

/**
 * Claims due rows and hands them to the channel senders. Rows of one purpose to one recipient go in
 * id order, one at a time (multi-part messages keep their order); the rest go concurrently.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DispatchStats> | undefined;
  private stopped = true;
  private readonly wakes = new WakeTimes();

  constructor(private readonly o: DispatcherOptions) {}

  backoffMs(attempts: number): number {
    const base = this.o.backoffBaseMs ?? 2_000;
    const max = this.o.backoffMaxMs ?? 600_000;
    const raw = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
    const jitter = 0.8 + 0.4 * (this.o.random ?? Math.random)();
    return Math.round(raw * jitter);
  }

  /** One pass: claim, send, record. Safe to call concurrently with other instances. */
  async runOnce(): Promise<DispatchStats> {
    const stats: DispatchStats = { claimed: 0, sent: 0, retried: 0, failed: 0, deferred: 0, cancelled: 0 };
    const channels = Object.keys(this.o.senders) as OutboxChannel[];
    if (channels.length === 0) return stats;
    const rows = await this.o.outbox.claim({
      instanceId: this.o.instanceId,
      limit: this.o.batch,
      leaseMs: this.o.leaseMs,
      channels,
    });
    stats.claimed = rows.length;
    const marks = new SentMarks(this.o.outbox, this.o.logger);
    const byRecipient = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const k = `${r.channel}\u0000${r.recipient}\u0000${r.purpose}`;
      byRecipient.set(k, [...(byRecipient.get(k) ?? []), r]);
    }
    await Promise.all(
      [...byRecipient.values()].map(async (queue) => {
        for (let i = 0; i < queue.length; i++) {
          const row = queue[i]!;
          const { outcome, nextAt } = await this.deliver(row, marks);
          this.count(stats, outcome);
          if (outcome.kind === "defer" || outcome.kind === "retry") this.wakes.add(nextAt);
          if (outcome.kind !== "sent" && outcome.kind !== "cancelled") {
            // keep order: the rest of this recipient's rows go after the earlier one's next attempt
            const later = queue.slice(i + 1);
            if (later.length > 0)
              await this.o.outbox.deferMany(
                later,
                nextAt,
                "waiting for an earlier message to the same recipient",
              );
            break;
          }
        }
      }),
    );
    await marks.flush();
    return stats;
  }

  private count(stats: DispatchStats, outcome: Outcome): void {
    if (outcome.kind === "sent") stats.sent++;
    else if (outcome.kind === "cancelled") stats.cancelled++;
    else if (outcome.kind === "retry") stats.retried++;
    else if (outcome.kind === "defer") stats.deferred++;
    else stats.failed++;
  }

  /** Sends one row and records the outcome; `nextAt` is when this recipient's next row may go. */
  private async deliver(row: OutboxRow, marks: SentMarks): Promise<{ outcome: Outcome; nextAt: Date }> {
    const sender = this.o.senders[row.channel as OutboxChannel];
    const ctx: SendContext = {
      recordParts: (partsSent, msgIds) => this.o.outbox.recordParts(row, partsSent, msgIds),
    };
    const log = this.o.logger.child({ outboxId: row.id, key: row.idempotencyKey, channel: row.channel });
    let outcome: SendOutcome;
    try {
      // a row already partly delivered is finished, not withdrawn halfway
      const cancel = this.o.preSend && row.partsSent === 0 ? await this.o.preSend(row) : undefined;
      if (cancel !== undefined) {
        await this.o.outbox.markCancelled(row, cancel);
        log.info({ reason: cancel }, "outbox: cancelled at send time");
        return { outcome: { kind: "cancelled" }, nextAt: this.o.clock.now() };
      }
      outcome = sender
        ? await sender.send(row, ctx)
        : { kind: "fatal", error: `no sender for channel ${row.channel}` };
    } catch (e) {
      outcome = { kind: "retry", error: e instanceof Error ? e.message : String(e) };
    }
    switch (outcome.kind) {
      case "sent":
        marks.add(row, outcome);
        log.debug({ msgid: outcome.externalMsgId }, "outbox: sent");
        return { outcome, nextAt: this.o.clock.now() };
      case "defer":
        await this.o.outbox.defer(row, outcome.until, outcome.reason);
        log.debug({ until: outcome.until.toISOString(), reason: outcome.reason }, "outbox: deferred");
        return { outcome, nextAt: outcome.until };
      case "retry": {
        const attempts = row.attempts + 1;
        if (attempts < this.o.maxAttempts) {
          const wait = Math.max(outcome.retryAfterMs ?? 0, this.backoffMs(attempts));
          const retryAt = new Date(this.o.clock.now().getTime() + wait);
          await this.o.outbox.markFailed(row, { ...outcome, retryAt });
          log.warn(
            { errcode: outcome.errcode, error: outcome.error, attempts, waitMs: wait },
            "outbox: will retry",
          );
          return { outcome, nextAt: retryAt };
        }
        await this.giveUp(row, outcome, log);
        return { outcome: { kind: "failed" }, nextAt: this.o.clock.now() };
      }
      case "fatal":
        await this.giveUp(row, outcome, log);
        return { outcome, nextAt: this.o.clock.now() };
    }
  }

  private async giveUp(
    row: OutboxRow,
    outcome: { errcode?: number; error: string; cause?: string },
    log: Logger,
  ): Promise<void> {
    await this.o.outbox.markFailed(row, outcome);
    log.error({ errcode: outcome.errcode, error: outcome.error }, "outbox: gave up");
    if (this.o.onGiveUp) {
      await this.o.onGiveUp(row, outcome).catch((e) => log.error({ err: e }, "outbox: give-up alert failed"));
    }
  }

  /**
   * Polls until stop(): a pass that claimed a full batch is followed at once by another; otherwise
   * the next pass comes after `pollMs`, or sooner when a row this dispatcher put back becomes due.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      let busy = false;
      try {
        this.running = this.runOnce();
        const s = await this.running;
        busy = s.claimed > 0 && s.claimed === this.o.batch;
      } catch (e) {
        this.o.logger.error({ err: e }, "outbox: dispatch pass failed");
      } finally {
        this.running = undefined;
      }
      if (!this.stopped) this.timer = setTimeout(loop, busy ? 0 : this.idleMs());
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Timer ms until the next pass after one that left nothing due: a poll, or sooner a row put back. */
  private idleMs(): number {
    const now = this.o.clock.now().getTime();
    const wake = this.wakes.next(now);
    if (wake === undefined) return this.o.pollMs;
    return Math.min(this.o.pollMs, Math.ceil((wake - now) / (this.o.clock.rate ?? 1)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }
}

/**
 * Successful sends of one pass, marked sent in batches (one UPDATE per MARK_SENT_BATCH rows and one
 * at the end of the pass). Until then a row stays "sending" under this instance's fresh claim, which
 * holds back nothing but that row; a crash before the flush leaves it to the lease takeover.
 */
class SentMarks {
  private buffer: { row: OutboxRow; result: { externalMsgId?: string; errcode?: number } }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly logger: Logger,
  ) {}

  add(row: OutboxRow, result: { externalMsgId?: string; errcode?: number }): void {
    this.buffer.push({ row, result });
    if (this.buffer.length >= MARK_SENT_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), MARK_SENT_MAX_WAIT_MS);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.buffer;
    this.buffer = [];
    if (items.length > 0)
      this.chain = this.chain.then(() =>
        this.outbox.markSentMany(items).then(
          (n) => {
            if (n < items.length)
              this.logger.warn(
                { rows: items.length, marked: n },
                "outbox: some sent rows had been taken over",
              );
          },
          (e: unknown) =>
            this.logger.error(
              { err: e, ids: items.map((i) => i.row.id) },
              "outbox: marking rows sent failed; they are resent after the lease (duplicate check or resend notice)",
            ),
        ),
      );
    return this.chain;
  }
}
