import {
  type Acquisition,
  countedWindowMs,
  type RateRule,
  type SendBudget,
} from "../../../src/outbox/send-budgets.js";
import type { Clock } from "../../../src/time/clock.js";

export type { Acquisition, RateRule } from "../../../src/outbox/send-budgets.js";

/** An in-process budget (one instance only: tests, benches, the console); see SharedSendBudget. */
export function localBudget(limiter: SlidingWindowLimiter, prefix: string): SendBudget {
  return {
    rules: limiter.rules,
    tryAcquire: async (keys, n) =>
      limiter.tryAcquire(
        keys.map((k) => `${prefix}:${k}`),
        n,
      ),
  };
}

/**
 * Sliding-window budgets per key (e.g. per WeCom member or per robot), each key subject to
 * every rule (30/min and 1000/h …). WeCom drops messages over its limits without an error, so
 * the senders ask here first and defer instead of sending.
 */
export class SlidingWindowLimiter {
  /** rule index → key → ascending send times */
  private readonly windows: Map<string, number[]>[];
  private acquisitions = 0;

  constructor(
    readonly rules: readonly RateRule[],
    private readonly clock: Clock,
  ) {
    this.windows = rules.map(() => new Map());
  }

  /**
   * Takes `n` sends for every key when all budgets allow it (waitMs 0); otherwise takes
   * nothing and says how many ms until it would be allowed (Infinity if n exceeds a limit).
   */
  tryAcquire(keys: readonly string[], n = 1): Acquisition & { settle(): void } {
    const now = this.clock.now().getTime();
    let wait = 0;
    this.rules.forEach((rule, r) => {
      const map = this.windows[r]!;
      for (const key of keys) {
        if (n > rule.limit) {
          wait = Number.POSITIVE_INFINITY;
          continue;
        }
        const windowMs = countedWindowMs(rule);
        const times = prune(map, key, now - windowMs);
        const over = times.length + n - rule.limit;
        if (over > 0) wait = Math.max(wait, times[over - 1]! + windowMs - now);
      }
    });
    if (wait > 0) return { waitMs: Math.max(1, wait), settle: () => {} };
    this.stamp(keys, n, undefined, now);
    if (++this.acquisitions % 1000 === 0) this.sweep(now);
    let settled = false;
    return {
      waitMs: 0,
      settle: () => {
        if (settled) return;
        settled = true;
        const later = this.clock.now().getTime();
        if (later > now) this.stamp(keys, n, now, later);
      },
    };
  }

  /** Adds n stamps `at` per key and rule, first removing n stamps `replacing` when given. */
  private stamp(keys: readonly string[], n: number, replacing: number | undefined, at: number): void {
    this.rules.forEach((_rule, r) => {
      const map = this.windows[r]!;
      for (const key of keys) {
        const times = map.get(key) ?? [];
        if (replacing !== undefined) {
          let removed = 0;
          for (let i = times.length - 1; i >= 0 && removed < n; i--)
            if (times[i] === replacing) {
              times.splice(i, 1);
              removed++;
            }
        }
        // stamps are never later than now, so appending keeps the array sorted
        for (let i = 0; i < n; i++) times.push(at);
        map.set(key, times);
      }
    });
  }

  /** Sends still counted for `key` under rule `ruleIndex` (for tests and diagnostics). */
  used(key: string, ruleIndex = 0): number {
    const rule = this.rules[ruleIndex];
    if (!rule) return 0;
    return prune(this.windows[ruleIndex]!, key, this.clock.now().getTime() - countedWindowMs(rule)).length;
  }

  /** Forgets keys whose windows are empty (bounded memory with many recipients). */
  private sweep(now: number): void {
    this.rules.forEach((rule, r) => {
      const map = this.windows[r]!;
      for (const key of [...map.keys()]) prune(map, key, now - countedWindowMs(rule));
    });
  }
}

function prune(map: Map<string, number[]>, key: string, cutoff: number): number[] {
  const times = map.get(key);
  if (!times) return [];
  let i = 0;
  while (i < times.length && times[i]! <= cutoff) i++;
  if (i === times.length) {
    map.delete(key);
    return [];
  }
  if (i > 0) times.splice(0, i);
  return times;
}
