import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "../bot/transports/wecom-app/rate-limiter.js";
import { WECOM_ARRIVAL_GUARD_MS, WECOM_RATE_LIMITS } from "../bot/transports/wecom-app/wecom-rate-limits.js";
import { SharedSendBudget } from "../src/outbox/send-budgets.js";
import { fixedClock } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

/**
 * WeCom counts a send when it arrives, which can be after we stamped it (a send whose instance died
 * before re-stamping it on the answer, or another host's clock): the WeCom windows are counted
 * `guardMs` longer. A budget without a guard (the WeChat governor's) keeps its exact window.
 */
describe.each(TEST_PROVIDERS)("send budget windows with an arrival guard (on %s)", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("every WeCom window carries the arrival guard", () => {
    expect(WECOM_ARRIVAL_GUARD_MS).toBeGreaterThan(0);
    for (const rules of Object.values(WECOM_RATE_LIMITS))
      for (const r of rules) expect(r.guardMs).toBe(WECOM_ARRIVAL_GUARD_MS);
  });

  it("a take waits until window + guard has passed since the sends it counts; an unguarded budget keeps its exact window", async () => {
    const clock = fixedClock("2024-06-03T02:00:00Z");
    // WeCom's robot budget as the transport defines it (20/min, guarded), two instances on one database
    const robot = () => new SharedSendBudget(store, clock, "robot", WECOM_RATE_LIMITS.robot);
    // a WeChat-style budget: the same window without a guard
    const exact = () => new SharedSendBudget(store, clock, "exact", [{ limit: 20, windowMs: 60_000 }]);
    const [a, b] = [robot(), robot()];
    const [c, d] = [exact(), exact()];

    // 19 sends answered at once; the 20th is never re-stamped (its instance was killed mid-request)
    for (const budget of [a, c]) {
      const answered = await budget.tryAcquire(["r1"], 19);
      expect(answered.waitMs).toBe(0);
      await answered.settle();
      expect((await budget.tryAcquire(["r1"], 1)).waitMs).toBe(0);
    }

    clock.advance(30_000);
    expect((await b.tryAcquire(["r1"], 1)).waitMs).toBe(30_000 + WECOM_ARRIVAL_GUARD_MS);
    expect((await d.tryAcquire(["r1"], 1)).waitMs).toBe(30_000);

    // WeCom's own window is over: the exact budget sends again, the guarded one waits for the guard
    clock.advance(30_000);
    expect((await d.tryAcquire(["r1"], 1)).waitMs).toBe(0);
    expect((await b.tryAcquire(["r1"], 1)).waitMs).toBe(WECOM_ARRIVAL_GUARD_MS);
    clock.advance(WECOM_ARRIVAL_GUARD_MS - 1);
    expect((await b.tryAcquire(["r1"], 1)).waitMs).toBe(1);
    clock.advance(1);
    const after = await b.tryAcquire(["r1"], 20);
    expect(after.waitMs).toBe(0);
    // counted 20 in 60.5 s: nothing more until the new ones leave window + guard
    clock.advance(60_000);
    expect((await a.tryAcquire(["r1"], 1)).waitMs).toBe(WECOM_ARRIVAL_GUARD_MS);
  });

  it("the wait is measured from the stamp that has to leave window + guard, across the budget's rules", async () => {
    const clock = fixedClock("2024-06-04T02:00:00Z");
    const budget = new SharedSendBudget(store, clock, "g", [
      { limit: 2, windowMs: 60_000, guardMs: 2_000 },
      { limit: 4, windowMs: 3_600_000 },
    ]);
    expect((await budget.tryAcquire(["k"], 1)).waitMs).toBe(0);
    clock.advance(10_000);
    expect((await budget.tryAcquire(["k"], 1)).waitMs).toBe(0);
    // two in the minute: one more waits for the first to leave 60 s + 2 s; two more for the second
    expect((await budget.tryAcquire(["k"], 1)).waitMs).toBe(52_000);
    clock.advance(52_000);
    expect((await budget.tryAcquire(["k"], 2)).waitMs).toBe(10_000);
    expect((await budget.tryAcquire(["k"], 1)).waitMs).toBe(0);
    // the unguarded hourly rule: exactly one hour after the first send
    clock.advance(62_000);
    expect((await budget.tryAcquire(["k"], 2)).waitMs).toBe(3_600_000 - 124_000);
  });
});

describe("in-process limiter with an arrival guard", () => {
  it("counts a guarded window window + guard long, an unguarded one exactly", () => {
    const clock = fixedClock("2024-06-05T02:00:00Z");
    const guarded = new SlidingWindowLimiter([{ limit: 1, windowMs: 60_000, guardMs: 500 }], clock);
    const exact = new SlidingWindowLimiter([{ limit: 1, windowMs: 60_000 }], clock);
    guarded.tryAcquire(["m"]).settle();
    exact.tryAcquire(["m"]).settle();
    clock.advance(60_000);
    expect(exact.tryAcquire(["m"]).waitMs).toBe(0);
    expect(guarded.used("m")).toBe(1);
    expect(guarded.tryAcquire(["m"]).waitMs).toBe(500);
    clock.advance(500);
    expect(guarded.used("m")).toBe(0);
    expect(guarded.tryAcquire(["m"]).waitMs).toBe(0);
  });
});
