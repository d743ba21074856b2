import type { OutboxRow } from "../../../src/outbox/outbox.js";

/**
 * How many parts of a multi-part row have already reached WeCom, so that a retry after a
 * failure in part k sends parts k… only (app chats and robots have no duplicate check: a resent
 * part 1 would reach every member again). In-process, and also returned to the dispatcher as
 * `partsSent`, which the outbox stores, so a restart or another instance continues from there.
 */
export class PartProgress {
  private readonly done = new Map<string, { sent: number; ids: string[] }>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Parts already sent for this row and the msgids they returned. */
  get(row: OutboxRow): { sent: number; ids: string[] } {
    const p = this.done.get(key(row));
    return p ? { sent: p.sent, ids: [...p.ids] } : { sent: 0, ids: [] };
  }

  /** Records that the first `sent` parts went out (the row is not finished). */
  save(row: OutboxRow, sent: number, ids: string[]): void {
    const k = key(row);
    this.done.delete(k);
    if (sent === 0) return;
    this.done.set(k, { sent, ids: [...ids] });
    while (this.done.size > this.maxEntries) {
      const oldest = this.done.keys().next().value;
      if (oldest === undefined) break;
      this.done.delete(oldest);
    }
  }

  /** The row is finished (all parts sent, or given up). */
  clear(row: OutboxRow): void {
    this.done.delete(key(row));
  }
}

function key(row: OutboxRow): string {
  return `${row.id}\u0000${row.idempotencyKey}`;
}
