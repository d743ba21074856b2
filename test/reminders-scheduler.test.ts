import { getTasks } from "node-cron";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTicker, startScheduler } from "../src/scheduler/scheduler.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { reminderApp, seedReminderFixture } from "./support/reminder-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: Error): void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("ticker", () => {
  it("never runs two ticks at once in one process; a tick arriving meanwhile is skipped", async () => {
    const gates = [deferred(), deferred()];
    let started = 0;
    const errors: unknown[] = [];
    const ticker = createTicker(
      () => gates[started++]!.promise,
      (e) => errors.push(e),
    );
    const first = ticker.tick(new Date("2024-01-01T00:00:00Z"));
    expect(await ticker.tick(new Date("2024-01-01T00:01:00Z"))).toBe("skipped");
    expect(started).toBe(1);
    gates[0]!.resolve();
    expect(await first).toBe("ran");
    expect(ticker.lastTickAt).toEqual(new Date("2024-01-01T00:00:00Z"));

    const second = ticker.tick(new Date("2024-01-01T00:02:00Z"));
    gates[1]!.reject(new Error("database down"));
    expect(await second).toBe("ran");
    expect(ticker.lastError).toBe("database down");
    expect(errors).toHaveLength(1);
    expect(started).toBe(2);
  });
});

describe.each(TEST_PROVIDERS)("startScheduler on %s", (provider) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(provider);
    await seedReminderFixture(store.db);
  });
  afterEach(async () => {
    await store.dispose();
  });

  it("ticks at start and on the cron schedule, calling runDueReminders with the app's clock; stop() ends it", async () => {
    const now = localInstant("2023-04-19", "09:30");
    const app = reminderApp(store, fixedClock(now));
    const tasksBefore = getTasks().size;
    const scheduler = startScheduler(app, { cron: "* * * * * *", tickOnStart: true });
    try {
      expect(scheduler.status().running).toBe(true);
      expect(getTasks().size).toBe(tasksBefore + 1);
      await until(async () => (await store.db.jobHeartbeat.count()) === 1, 5_000);
      expect(
        await store.db.outboundMessage.count({
          where: { idempotencyKey: { startsWith: "remind:2023Q1:T-3:" } },
        }),
      ).toBe(4);
      const first = (await store.db.jobHeartbeat.findUniqueOrThrow({ where: { name: "reminders" } }))
        .lastRunAt;
      expect(first).toEqual(now);
      // a cron tick (every second here) follows the start tick
      const startTick = scheduler.status().lastTickAt;
      await until(() => scheduler.status().lastTickAt !== startTick, 3_000);
      expect(scheduler.status().lastError).toBeUndefined();
    } finally {
      await scheduler.stop();
    }
    expect(scheduler.status().running).toBe(false);
    expect(getTasks().size).toBe(tasksBefore);
    expect(await store.db.outboundMessage.count()).toBe(4);
  });

  it("refuses a malformed SCHEDULER_CRON, naming the variable and what was read", async () => {
    const clock = fixedClock(localInstant("2023-04-19", "09:30"));
    expect(() =>
      startScheduler(reminderApp(store, clock, { env: { SCHEDULER_CRON: "every minute" } })),
    ).toThrow(/SCHEDULER_CRON 不是有效的 node-cron 表达式（读到 "every minute"）/);
    expect(await store.db.jobHeartbeat.count()).toBe(0);
  });
});
