// The claim's cost must not grow with the rows already sent, nor pay index searches per queued row
// (src/outbox/claim-statement.ts). SQLite plans without statistics, so its plan is held here; the
// claim's behaviour on both stores is in outbox-claim-waiting.test.ts and outbox.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOf } from "../src/db/database.js";
import { claimStatement } from "../src/outbox/claim-statement.js";
import { Outbox } from "../src/outbox/outbox.js";
import { fixedClock } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const NOW = new Date("2024-03-01T02:00:00Z");
const OPTS = { instanceId: "i1", limit: 100, leaseMs: 60_000, channels: ["wecom_app" as const], now: NOW };

describe("outbox claim plan on sqlite", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore("sqlite");
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("finds candidates through the status index and the waiting rows once, not per candidate", async () => {
    const { sql, params } = claimStatement("sqlite", OPTS);
    const plan = (await sqlOf(store.db)!.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map(
      (r) => r.detail,
    );
    const text = plan.join("\n");
    // candidates: pending due / sending, both through (status, nextAttemptAt) — not every row of the channel
    expect(text).toMatch(
      /SEARCH c USING INDEX OutboundMessage_status_nextAttemptAt_idx \(status=\? AND nextAttemptAt<\?\)/,
    );
    expect(text).not.toMatch(/SEARCH c USING (COVERING )?INDEX OutboundMessage_channel_recipient/);
    expect(text).not.toMatch(/SCAN c\b/);
    // the waiting rows are gathered once (materialised), not searched per candidate
    expect(text).toMatch(/MATERIALIZE w/);
    expect(text).not.toMatch(/CORRELATED/);
  });
});

describe.each(TEST_PROVIDERS)("outbox deferMany on %s", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("defers the rows still claimed by their claimant in one go and leaves taken-over rows alone", async () => {
    const clock = fixedClock(NOW.toISOString());
    const outbox = new Outbox(store, clock);
    for (let i = 1; i <= 3; i++)
      await outbox.enqueue({
        idempotencyKey: `d-${i}`,
        channel: "wecom_app",
        recipient: "zhangsan",
        msgType: "text",
        payload: { content: `第${i}条` },
        purpose: "reminder",
      });
    const rows = await outbox.claim({ ...OPTS, channels: ["wecom_app"] });
    expect(rows.map((r) => r.idempotencyKey)).toEqual(["d-1", "d-2", "d-3"]);
    // another instance took d-3 over meanwhile
    await store.db.outboundMessage.update({ where: { id: rows[2]!.id }, data: { claimedBy: "i2" } });
    const until = new Date(NOW.getTime() + 60_000);
    await outbox.deferMany(rows, until, "waiting for an earlier message to the same recipient");
    const after = await store.db.outboundMessage.findMany({ orderBy: { id: "asc" } });
    expect(after.map((r) => [r.status, r.claimedBy, r.nextAttemptAt.toISOString()])).toEqual([
      ["pending", null, until.toISOString()],
      ["pending", null, until.toISOString()],
      ["sending", "i2", NOW.toISOString()],
    ]);
    expect(after[0]!.lastError).toBe("waiting for an earlier message to the same recipient");
  });
});
