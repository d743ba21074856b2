import type { Db } from "../../../src/db/database.js";
import type { Clock } from "../../../src/time/clock.js";

/** WeCom accepts a response_code once, within 72 h; keep a margin. */
const VALID_MS = 71 * 3_600_000;

/**
 * Where a template-card click's ResponseCode waits for the reply path (decision, see README):
 * the callback server records (userid, TaskId) → ResponseCode when it accepts a click (before the
 * 200); the wecom_app sender takes it when it delivers a template_card row with the same `task_id`
 * to the same user and then calls message/update_template_card (the card is replaced in place)
 * instead of sending a new card. Codes are single use. With a database (`db`) the codes live in
 * the CardResponseCode table, so the instance that received the click and the one that sends the
 * reply need not be the same, and a restart loses nothing; without one (tests, benches) they are
 * kept in memory. Without a code (expired, never received) the sender falls back to a new card.
 */
export class CardResponseCodes {
  private readonly codes = new Map<string, { code: string; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly db?: Db,
    private readonly maxEntries = 10_000,
  ) {}

  async remember(userid: string, taskId: string, responseCode: string): Promise<void> {
    const k = key(userid, taskId);
    const now = this.clock.now();
    if (this.db) {
      await this.db.cardResponseCode.upsert({
        where: { key: k },
        create: { key: k, code: responseCode, receivedAt: now },
        update: { code: responseCode, receivedAt: now },
      });
      // expired codes are useless: keep the table small
      await this.db.cardResponseCode.deleteMany({
        where: { receivedAt: { lt: new Date(now.getTime() - VALID_MS) } },
      });
      return;
    }
    this.codes.delete(k);
    this.codes.set(k, { code: responseCode, at: now.getTime() });
    while (this.codes.size > this.maxEntries) {
      const oldest = this.codes.keys().next().value;
      if (oldest === undefined) break;
      this.codes.delete(oldest);
    }
  }

  /** The unused, unexpired code for this user and card, removed (single use, also across instances). */
  async take(userid: string, taskId: string): Promise<string | undefined> {
    const k = key(userid, taskId);
    const now = this.clock.now().getTime();
    if (this.db) {
      const row = await this.db.cardResponseCode.findUnique({ where: { key: k } });
      if (!row) return undefined;
      // whoever deletes the row owns the code
      const { count } = await this.db.cardResponseCode.deleteMany({ where: { key: k, code: row.code } });
      if (count !== 1 || now - row.receivedAt.getTime() > VALID_MS) return undefined;
      return row.code;
    }
    const e = this.codes.get(k);
    this.codes.delete(k);
    if (!e || now - e.at > VALID_MS) return undefined;
    return e.code;
  }
}

function key(userid: string, taskId: string): string {
  return `${userid.toLowerCase()}|${taskId}`;
}
