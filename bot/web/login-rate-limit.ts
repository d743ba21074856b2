import type { Clock } from "../../src/time/clock.js";

/**
 * Log-in attempts per client address in a sliding minute (per instance: each instance keeps its own
 * window, so N instances allow N × the limit — still far below what guessing a 256-bit token needs).
 */
export class LoginRateLimit {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts an attempt; false when the address is over its limit. */
  allow(key: string): boolean {
    const now = this.clock.now().getTime();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    return true;
  }
}
