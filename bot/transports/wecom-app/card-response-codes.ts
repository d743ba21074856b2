import type { Clock } from "../../../src/time/clock.js";

/** WeCom accepts a response_code once, within 72 h; keep a margin. */
const VALID_MS = 71 * 3_600_000;

/**
 * Where a template-card click's ResponseCode waits for the reply path (decision, see README):
 * the callback server records (userid, TaskId) → ResponseCode when it accepts a click; the
 * wecom_app sender takes it when it delivers a template_card row with the same `task_id` to the
 * same user and then calls message/update_template_card (the card is replaced in place) instead
 * of sending a new card. Codes are single use; without one (expired, restart, another instance
 * received the click) the sender falls back to sending a new card. In-process by design:
 * losing a code only costs a fresh card instead of an in-place update.
 */
export class CardResponseCodes {
  private readonly codes = new Map<string, { code: string; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  remember(userid: string, taskId: string, responseCode: string): void {
    const k = key(userid, taskId);
    this.codes.delete(k);
    this.codes.set(k, { code: responseCode, at: this.clock.now().getTime() });
    while (this.codes.size > this.maxEntries) {
      const oldest = this.codes.keys().next().value;
      if (oldest === undefined) break;
      this.codes.delete(oldest);
    }
  }

  /** The unused, unexpired code for this user and card, removed (single use). */
  take(userid: string, taskId: string): string | undefined {
    const k = key(userid, taskId);
    const e = this.codes.get(k);
    this.codes.delete(k);
    if (!e || this.clock.now().getTime() - e.at > VALID_MS) return undefined;
    return e.code;
  }
}

function key(userid: string, taskId: string): string {
  return `${userid.toLowerCase()}\u0000${taskId}`;
}
