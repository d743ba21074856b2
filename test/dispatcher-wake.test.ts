// The poll loop wakes when a row it put back becomes due, not up to a poll later
// (src/outbox/dispatcher.ts, WakeTimes): with a 60 s poll, a row deferred by 300 clock ms goes
// out long before the next poll.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Outbox, type OutboxRow } from "../src/outbox/outbox.js";
import type { SendOutcome } from "../src/outbox/outbox-message.js";
import type { Clock } from "../src/time/clock.js";
import { createTestStore, type TestStore } from "./support/stores.js";
import { testDispatcher } from "./support/test-dispatcher.js";

const POLL_MS = 60_000;

describe("outbox dispatcher wake-up", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore("sqlite");
  });
  afterAll(async () => {
    await store.dispose();
  });

  /** Runs the loop until the row is sent; returns the timer ms from start to the second attempt. */
  async function deferOnceThenSend(clock: Clock, deferClockMs: number, key: string): Promise<number> {
    const outbox = new Outbox(store, clock);
    await outbox.enqueue({
      idempotencyKey: key,
      channel: "console",
      recipient: "lisi",
      msgType: "text",
      payload: { content: "请于4月22日前报送一季度数据" },
      purpose: "reminder",
    });
    const attempts: number[] = [];
    const t0 = performance.now();
    let sent: () => void = () => {};
    const done = new Promise<void>((r) => {
      sent = r;
    });
    const sender = {
      send: async (_row: OutboxRow): Promise<SendOutcome> => {
        attempts.push(performance.now() - t0);
        if (attempts.length === 1)
          return {
            kind: "defer",
            until: new Date(clock.now().getTime() + deferClockMs),
            reason: "rate budget",
          };
        sent();
        return { kind: "sent" };
      },
    };
    const dispatcher = testDispatcher(outbox, clock, sender, { instanceId: "w", pollMs: POLL_MS });
    dispatcher.start();
    try {
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error("not sent within 5 s")), 5_000)),
      ]);
    } finally {
      await dispatcher.stop();
    }
    expect(attempts).toHaveLength(2);
    return attempts[1]! - attempts[0]!;
  }

  it("sends a deferred row when it becomes due, not at the next poll", async () => {
    const gap = await deferOnceThenSend({ now: () => new Date() }, 300, "wake-real");
    expect(gap).toBeGreaterThanOrEqual(290);
    expect(gap).toBeLessThan(POLL_MS / 10);
  });

  it("converts clock time to timer time by the clock's rate", async () => {
    // a clock 20× faster than real time: 2 000 clock ms are 100 timer ms
    const t0 = Date.now();
    const fast: Clock = { now: () => new Date(t0 + (Date.now() - t0) * 20), rate: 20 };
    const gap = await deferOnceThenSend(fast, 2_000, "wake-fast");
    expect(gap).toBeGreaterThanOrEqual(90);
    expect(gap).toBeLessThan(1_500);
  });
});
