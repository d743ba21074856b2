import type { Clock } from "../../../src/time/clock.js";

/**
 * Remembers keys for `ttlMs` (bounded to `maxEntries`, oldest dropped first) to recognise
 * WeCom's redeliveries within one process. The store-level dedupe (externalId) covers restarts
 * and several instances.
 */
export class SeenKeys {
  private readonly seen = new Map<string, number>();

  constructor(private readonly o: { ttlMs: number; maxEntries: number; clock: Clock }) {}

  /** True the first time a key is offered within the TTL; false for a repeat. */
  firstSeen(key: string): boolean {
    const now = this.o.clock.now().getTime();
    this.prune(now);
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.o.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    return true;
  }

  /** Forgets a key (e.g. when the event could not be handed over). */
  forget(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [k, at] of this.seen) {
      if (now - at < this.o.ttlMs && this.seen.size <= this.o.maxEntries) break;
      this.seen.delete(k);
    }
  }
}
