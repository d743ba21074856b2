import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Outbox } from "../src/outbox/outbox.js";
import type { NewOutboxMessage } from "../src/outbox/outbox-message.js";
import { fixedClock } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const NOW = "2024-03-01T02:00:00Z";
const msg = (
  key: string,
  recipient: string,
  o: { notBefore?: Date; purpose?: NewOutboxMessage["purpose"] } = {},
): NewOutboxMessage => ({
  idempotencyKey: key,
  channel: "console",
  recipient,
  msgType: "text",
  payload: { content: key },
  purpose: o.purpose ?? "reminder",
  ...(o.notBefore ? { notBefore: o.notBefore } : {}),
});

describe.each(TEST_PROVIDERS)("outbox claim with waiting rows on %s", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store.dispose();
  });

  const claimKeys = async (outbox: Outbox, limit: number, leaseMs = 60_000) =>
    (await outbox.claim({ instanceId: "i1", limit, leaseMs, channels: ["console"] })).map(
      (r) => r.idempotencyKey,
    );

  it("does not claim a row while an earlier row of its recipient and purpose waits, even behind a due head", async () => {
    const clock = fixedClock(NOW);
    const outbox = new Outbox(store, clock);
    const later = new Date(Date.parse(NOW) + 8 * 3_600_000);
    await outbox.enqueue(msg("ord-1", "ord"));
    await outbox.enqueue(msg("ord-2", "ord", { notBefore: later }));
    await outbox.enqueue(msg("ord-3", "ord"));
    expect(await claimKeys(outbox, 10)).toEqual(["ord-1"]);
  });

  it("rows held back behind a far-future row do not hide due rows of other recipients", async () => {
    await store.db.outboundMessage.deleteMany({});
    const clock = fixedClock(NOW);
    const outbox = new Outbox(store, clock);
    const tomorrow = new Date(Date.parse(NOW) + 24 * 3_600_000);
    await outbox.enqueue(msg("far-head", "a", { notBefore: tomorrow }));
    for (let i = 0; i < 5; i++) await outbox.enqueue(msg(`held-${i}`, "a"));
    await outbox.enqueue(msg("b-1", "b"));
    await outbox.enqueue(msg("a-reply", "a", { purpose: "reply" }));
    expect(await claimKeys(outbox, 2)).toEqual(["b-1", "a-reply"]);
  });

  it("a row in sending under a fresh claim holds its recipient's later rows; a stale claim is taken over", async () => {
    await store.db.outboundMessage.deleteMany({});
    const clock = fixedClock(NOW);
    const outbox = new Outbox(store, clock);
    const head = await outbox.enqueue(msg("s-1", "s"));
    await outbox.enqueue(msg("s-2", "s"));
    const claimedAt = new Date(Date.parse(NOW) - 30_000);
    await store.db.outboundMessage.update({
      where: { id: head.id },
      data: { status: "sending", claimedBy: "other", claimedAt },
    });
    expect(await claimKeys(outbox, 10, 60_000)).toEqual([]);
    expect(await claimKeys(outbox, 10, 10_000)).toEqual(["s-1", "s-2"]);
  });

  it("a row in sending without a claim time does not hold its recipient's rows forever", async () => {
    await store.db.outboundMessage.deleteMany({});
    const outbox = new Outbox(store, fixedClock(NOW));
    const head = await outbox.enqueue(msg("n-1", "n"));
    await outbox.enqueue(msg("n-2", "n"));
    await store.db.outboundMessage.update({
      where: { id: head.id },
      data: { status: "sending", claimedBy: null, claimedAt: null },
    });
    expect(await claimKeys(outbox, 10)).toEqual(["n-1", "n-2"]);
  });
});
