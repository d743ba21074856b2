import { type Db, isUniqueViolation } from "../db/database.js";
import type { Clock } from "../time/clock.js";

export interface LeaseState {
  name: string;
  holder: string;
  expiresAt: Date;
}

/**
 * A named lease in the database (table TransportLease): at most one holder at a time, for
 * resources that must have a single owner across instances — WeCom lets one long connection per
 * bot id live, so only the holder of "wecom_bot:<botId>" connects. The holder renews before
 * `expiresAt`; once a lease has expired (the holder died or lost the store) any instance may take
 * it over. Every step is one conditional write, so two instances racing both see the same winner.
 * Time is the instances' own clocks: keep them NTP-synchronised, and the ttl well above their skew.
 */
export class NamedLease {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly name: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** Takes or renews the lease; true when this holder has it until now + ttl. */
  async acquire(): Promise<boolean> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    const taken = await this.db.transportLease.updateMany({
      where: { name: this.name, OR: [{ holder: this.holder }, { expiresAt: { lt: now } }] },
      data: { holder: this.holder, expiresAt, renewedAt: now },
    });
    if (taken.count === 1) return true;
    try {
      await this.db.transportLease.create({
        data: { name: this.name, holder: this.holder, expiresAt, renewedAt: now },
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false; // held by another, unexpired
      throw e;
    }
  }

  /** Gives the lease up (at a clean stop), so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    await this.db.transportLease.deleteMany({ where: { name: this.name, holder: this.holder } });
  }

  async state(): Promise<LeaseState | undefined> {
    const row = await this.db.transportLease.findUnique({ where: { name: this.name } });
    return row ? { name: row.name, holder: row.holder, expiresAt: row.expiresAt } : undefined;
  }
}
