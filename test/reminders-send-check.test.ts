import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reminderSendCheck } from "../src/reminders/reminder-send-check.js";
import { runDueReminders } from "../src/reminders/run-due-reminders.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import {
  confirmReport,
  drain,
  RF,
  recordingDispatcher,
  reminderApp,
  seedReminderFixture,
} from "./support/reminder-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const at = (date: string, time = "09:30") => localInstant(date, time);

describe.each(TEST_PROVIDERS)("reminder send-time re-check on %s", (provider) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(provider);
    await seedReminderFixture(store.db);
  });
  afterEach(async () => {
    await store.dispose();
  });

  const statusOf = async () =>
    Object.fromEntries(
      (await store.db.outboundMessage.findMany({ orderBy: { idempotencyKey: "asc" } })).map((r) => [
        r.idempotencyKey,
        [r.status, r.lastError],
      ]),
    );

  it("cancels, with the reason, a queued reminder whose bureau has reported since or whose contact left", async () => {
    const now = at("2023-04-19");
    const app = reminderApp(store, fixedClock(now));
    expect((await runDueReminders(app, now)).queued).toBe(4);

    // after queueing, before sending: 黔南 confirms both zones, 铜仁's contact leaves the roster
    for (const zoneId of [RF.zones.huishui, RF.zones.longli]) {
      await confirmReport(store.db, {
        year: 2023,
        quarter: 1,
        zoneId,
        contactId: RF.contacts.qiannan,
        at: now,
      });
    }
    await store.db.contact.update({ where: { id: RF.contacts.tongren }, data: { active: false } });

    const { dispatcher, delivered } = recordingDispatcher(app, "d-1", reminderSendCheck(store.db));
    const s = await dispatcher.runOnce();
    expect([s.claimed, s.sent, s.cancelled]).toEqual([4, 1, 3]);
    expect(delivered.map((r) => r.idempotencyKey)).toEqual(["remind:2023Q1:T-3:QDN-01"]);
    const st = await statusOf();
    expect(st["remind:2023Q1:T-3:QDN-01"]).toEqual(["sent", null]);
    expect(st["remind:2023Q1:T-3:QN-01"]![0]).toBe("cancelled");
    expect(st["remind:2023Q1:T-3:QN-01"]![1]).toContain("已无未报送的开发区");
    expect(st["remind:2023Q1:T-3:group:G-QN"]![0]).toBe("cancelled");
    expect(st["remind:2023Q1:T-3:group:G-QN"]![1]).toContain("已无未报送的开发区");
    expect(st["remind:2023Q1:T-3:TR-01"]![0]).toBe("cancelled");
    expect(st["remind:2023Q1:T-3:TR-01"]![1]).toContain("TR-01 已不在名册中");

    // cancelled rows are never claimed again, and the next tick does not queue them anew
    expect(await drain(dispatcher)).toBe(0);
    expect(delivered).toHaveLength(1);
    expect((await runDueReminders(app, now)).queued).toBe(0);
    expect(await app.outbox.backlog()).toMatchObject({ sent: 1, cancelled: 3, pending: 0, failed: 0 });
  });

  it("leaves replies alone, and a check that throws makes the attempt a retry, not a send", async () => {
    const now = at("2023-04-19");
    const app = reminderApp(store, fixedClock(now));
    await app.outbox.enqueue({
      idempotencyKey: "reply:x",
      channel: "console",
      recipient: RF.contacts.tongren,
      msgType: "text",
      payload: { content: "收到" },
      purpose: "reply",
    });
    await store.db.contact.update({ where: { id: RF.contacts.tongren }, data: { active: false } });
    await runDueReminders(app, now);
    const check = reminderSendCheck(store.db);
    const { dispatcher, delivered } = recordingDispatcher(app, "d-2", async (row) => {
      if (row.idempotencyKey === "remind:2023Q1:T-3:QDN-01") throw new Error("store down");
      return check(row);
    });
    const s = await dispatcher.runOnce();
    expect(delivered.map((r) => r.idempotencyKey).sort()).toEqual([
      "remind:2023Q1:T-3:QN-01",
      "remind:2023Q1:T-3:group:G-QN",
      "reply:x",
    ]);
    expect(s.retried).toBe(1);
    const st = await statusOf();
    expect(st["remind:2023Q1:T-3:QDN-01"]).toEqual(["pending", "store down"]);
  });
});
