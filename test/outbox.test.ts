import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/log/logger.js";
import { Outbox, type OutboxRow } from "../src/outbox/outbox.js";
import type { SendOutcome } from "../src/outbox/outbox-message.js";
import { fixedClock } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { testDispatcher } from "./support/test-dispatcher.js";

const text = (key: string, recipient = "u1") => ({
  idempotencyKey: key,
  channel: "console" as const,
  recipient,
  msgType: "text" as const,
  payload: { content: `hello ${key}` },
  purpose: "reply" as const,
});

describe.each(TEST_PROVIDERS)("outbox on %s", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("queues one row per idempotency key, also inside a transaction", async () => {
    const outbox = new Outbox(store, fixedClock("2024-01-01T00:00:00Z"));
    const a = await outbox.enqueue(text("k1"));
    const b = await outbox.enqueue(text("k1"));
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const inTx = await store.db.$transaction(async (tx) => {
      const first = await outbox.enqueue(text("k1"), tx);
      const second = await outbox.enqueue(text("k2"), tx);
      return [first, second];
    });
    expect(inTx[0]).toEqual({ id: a.id, created: false });
    expect(inTx[1]?.created).toBe(true);
    expect(await store.db.outboundMessage.count()).toBe(2);
  });

  it("two dispatchers claiming the same rows deliver each exactly once", async () => {
    const clock = fixedClock("2024-01-01T00:00:00Z");
    const outbox = new Outbox(store, clock);
    for (let i = 0; i < 30; i++) await outbox.enqueue(text(`race-${i}`, `r${i % 5}`));
    const delivered: string[] = [];
    const sender = {
      send: async (row: OutboxRow): Promise<SendOutcome> => {
        delivered.push(row.idempotencyKey);
        return { kind: "sent", externalMsgId: `m${row.id}` };
      },
    };
    const logger = createLogger("silent");
    const mk = (instanceId: string) =>
      testDispatcher(outbox, clock, sender, { logger, instanceId, batch: 50 });
    const [d1, d2] = [mk("a"), mk("b")];
    for (let pass = 0; pass < 5; pass++) await Promise.all([d1.runOnce(), d2.runOnce()]);
    const keys = delivered.filter((k) => k.startsWith("race-"));
    expect(keys.length).toBe(30);
    expect(new Set(keys).size).toBe(30);
    expect(
      await store.db.outboundMessage.count({
        where: { idempotencyKey: { startsWith: "race-" }, status: "sent" },
      }),
    ).toBe(30);
  });

  it("marks an accepted row sent while its pass still waits on a slow later send (bounded resend window)", async () => {
    const clock = fixedClock("2024-01-15T00:00:00Z");
    const outbox = new Outbox(store, clock);
    const first = await outbox.enqueue(text("window-1", "slow-recipient"));
    const second = await outbox.enqueue(text("window-2", "slow-recipient"));
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const sender = {
      send: async (row: OutboxRow): Promise<SendOutcome> => {
        if (row.idempotencyKey === "window-2") await held; // WeCom slow to answer the second one
        return { kind: "sent", externalMsgId: `m${row.id}` };
      },
    };
    const dispatcher = testDispatcher(outbox, clock, sender, { instanceId: "window" });
    const pass = dispatcher.runOnce();
    const status = async (id: number) =>
      (await store.db.outboundMessage.findUniqueOrThrow({ where: { id } })).status;
    // a crash now must resend only the unanswered row: the answered one is already marked sent
    try {
      for (let i = 0; i < 200 && (await status(first.id)) !== "sent"; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await status(first.id)).toBe("sent");
      expect(await status(second.id)).toBe("sending");
    } finally {
      release();
      await pass;
    }
    expect(await status(second.id)).toBe("sent");
  });

  it("retries with backoff, gives up after maxAttempts, and a crashed claim is resumed after the lease", async () => {
    const clock = fixedClock("2024-02-01T00:00:00Z");
    const outbox = new Outbox(store, clock);
    await outbox.enqueue(text("flaky"));
    let calls = 0;
    const logger = createLogger("silent");
    const gaveUp: string[] = [];
    const busy = { send: async () => ({ kind: "retry", errcode: -1, error: "busy" }) as SendOutcome };
    const d = testDispatcher(outbox, clock, busy, {
      logger,
      instanceId: "x",
      random: () => 0.5,
      onGiveUp: async (row) => {
        gaveUp.push(row.idempotencyKey);
      },
    });
    await store.db.outboundMessage.updateMany({
      where: { NOT: { idempotencyKey: "flaky" } },
      data: { status: "sent" },
    });
    expect((await d.runOnce()).retried).toBe(1);
    expect((await d.runOnce()).claimed).toBe(0); // backoff not yet over
    clock.advance(2_000);
    expect((await d.runOnce()).retried).toBe(1);
    clock.advance(4_000);
    expect((await d.runOnce()).failed).toBe(1);
    expect(gaveUp).toEqual(["flaky"]);
    const row = await store.db.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: "flaky" } });
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(3);

    // crash between claim and send: the claim is abandoned, another instance resumes it after the lease
    await outbox.enqueue(text("crash"));
    const claimed = await outbox.claim({
      instanceId: "dead",
      limit: 10,
      leaseMs: 60_000,
      channels: ["console"],
    });
    expect(claimed.map((r) => r.idempotencyKey)).toEqual(["crash"]);
    const counting = {
      send: async () => {
        calls++;
        return { kind: "sent" } as SendOutcome;
      },
    };
    const ok = testDispatcher(outbox, clock, counting, { logger, instanceId: "alive" });
    expect((await ok.runOnce()).claimed).toBe(0);
    clock.advance(61_000);
    expect((await ok.runOnce()).sent).toBe(1);
    expect((await ok.runOnce()).claimed).toBe(0);
    expect(calls).toBe(1);
    expect(await outbox.markSent(claimed[0]!, {})).toBe(false); // the dead claimant can no longer complete it
  });

  it("keeps one recipient's messages in order when an earlier one must wait, across passes and instances", async () => {
    await store.db.outboundMessage.deleteMany();
    const clock = fixedClock("2024-03-01T00:00:00Z");
    const outbox = new Outbox(store, clock);
    for (const part of ["p1", "p2", "p3"]) await outbox.enqueue(text(`order-${part}`, "same"));
    await outbox.enqueue(text("order-other", "other"));
    const delivered: string[] = [];
    let failFirst = true;
    const sender = {
      send: async (row: OutboxRow): Promise<SendOutcome> => {
        if (row.idempotencyKey === "order-p1" && failFirst) {
          failFirst = false;
          return { kind: "retry", errcode: 45009, error: "rate", retryAfterMs: 60_000 };
        }
        delivered.push(row.idempotencyKey);
        return { kind: "sent" };
      },
    };
    const logger = createLogger("silent");
    const mk = (instanceId: string) =>
      testDispatcher(outbox, clock, sender, {
        logger,
        instanceId,
        batch: 2,
        maxAttempts: 5,
        leaseMs: 120_000,
        random: () => 0.5,
      });
    const [a, b] = [mk("a"), mk("b")];
    // batch 2: p1 fails (wait 60 s), p2 is deferred behind it; p3 and "other" come in later passes
    for (let pass = 0; pass < 4; pass++) await Promise.all([a.runOnce(), b.runOnce()]);
    expect(delivered).toEqual(["order-other"]);
    clock.advance(30_000);
    await Promise.all([a.runOnce(), b.runOnce()]);
    expect(delivered).toEqual(["order-other"]);
    clock.advance(31_000);
    for (let pass = 0; pass < 4; pass++) await Promise.all([a.runOnce(), b.runOnce()]);
    expect(delivered).toEqual(["order-other", "order-p1", "order-p2", "order-p3"]);
  });
});
