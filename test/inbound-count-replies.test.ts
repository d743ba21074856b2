import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRepliesTo } from "../bot/inbound/handle.js";
import { Outbox } from "../src/outbox/outbox.js";
import { fixedClock } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

describe.each(TEST_PROVIDERS)("counting the replies to one inbound message on %s", (provider) => {
  let store: TestStore;
  let outbox: Outbox;
  const queue = async (key: string) =>
    outbox.enqueue({
      idempotencyKey: key,
      channel: "console",
      recipient: "u1",
      msgType: "text",
      payload: { content: key },
      purpose: "reply",
    });
  beforeAll(async () => {
    store = await createTestStore(provider);
    outbox = new Outbox(store, fixedClock("2024-01-01T00:00:00Z"));
    for (let n = 1; n <= 40; n++) await queue(`reply:7:${n}`); // more than one probe block
    for (let n = 1; n <= 32; n++) await queue(`reply:9:${n}`); // exactly one block
    for (const n of [1, 2, 4]) await queue(`reply:8:${n}`); // a gap (a reply rolled back with its transaction)
    for (const k of ["reply:70:1", "reply:77:1", "reply:7x:1", "circular:7:1"]) await queue(k);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("counts exactly the keys reply:<id>:<n>, across blocks and gaps, and nothing of other messages", async () => {
    expect(await countRepliesTo(store.db, 7)).toBe(40);
    expect(await countRepliesTo(store.db, 9)).toBe(32);
    expect(await countRepliesTo(store.db, 8)).toBe(3);
    expect(await countRepliesTo(store.db, 70)).toBe(1);
    expect(await countRepliesTo(store.db, 1234)).toBe(0);
  });
});
