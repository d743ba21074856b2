import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../src/calendar/workdays.js";
import type { OutboxRow } from "../src/outbox/outbox.js";
import { runDueReminders } from "../src/reminders/run-due-reminders.js";
import { fixedClock, localDate, localInstant } from "../src/time/clock.js";
import {
  confirmReport,
  drain,
  RF,
  recordingDispatcher,
  reminderApp,
  seedReminderFixture,
} from "./support/reminder-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

/** Reports confirmed during the walk (local date-time, quarter, zone). */
const SUBMISSIONS: [string, string, 1 | 2 | 3 | 4, string][] = [
  // 铜仁 reports Q2 after T-3 and before the deadline
  ["2023-07-13", "12:00", 2, RF.zones.songtao],
  // 黔东南 reports Q3 after the opening and T-7 (both on the National Day make-up weekend)
  ["2023-10-09", "12:00", 3, RF.zones.sansui],
  // Q4: 惠水 on the 1st overdue workday, 松桃 and 三穗 on the 3rd, 龙里 before the 4th
  ["2024-01-16", "12:00", 4, RF.zones.huishui],
  ["2024-01-18", "12:00", 4, RF.zones.songtao],
  ["2024-01-18", "12:00", 4, RF.zones.sansui],
  ["2024-01-19", "08:00", 4, RF.zones.longli],
];

describe.each(TEST_PROVIDERS)("a whole reporting year, day by day at 09:30, on %s", (provider) => {
  let store: TestStore;
  const delivered: { row: OutboxRow; day: string }[] = [];

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedReminderFixture(store.db);
    const clock = fixedClock(localInstant("2023-04-01", "09:30"));
    const app = reminderApp(store, clock);
    const { dispatcher, delivered: sent } = recordingDispatcher(app);
    const pending = [...SUBMISSIONS];
    for (let day = "2023-04-01"; day <= "2024-01-31"; day = addDays(day, 1)) {
      const now = localInstant(day, "09:30");
      while (pending[0] && localInstant(pending[0][0], pending[0][1]) <= now) {
        const [d, t, quarter, zoneId] = pending.shift()!;
        await confirmReport(store.db, {
          year: 2023,
          quarter,
          zoneId,
          contactId: "x",
          at: localInstant(d, t),
        });
      }
      clock.set(now);
      const report = await runDueReminders(app, now);
      if (report.queued === 0) continue; // nothing new to send (checked: every row ends up sent)
      const before = sent.length;
      await drain(dispatcher);
      for (const row of sent.slice(before)) delivered.push({ row, day });
    }
  }, 240_000);

  afterAll(async () => {
    await store.dispose();
  });

  it("sends every step the expected number of times, each key once, nothing for the 2024 programme yet", async () => {
    const keys = delivered.map((d) => d.row.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await store.db.outboundMessage.count()).toBe(keys.length);
    expect(await store.db.outboundMessage.count({ where: { status: { not: "sent" } } })).toBe(0);
    const perStep: Record<string, number> = {};
    for (const k of keys) {
      const step = /^remind:\d{4}Q\d:([^:]+):/.exec(k)![1]!;
      perStep[step] = (perStep[step] ?? 0) + 1;
    }
    expect(perStep).toEqual({
      open: 16,
      "open-form": 12,
      "T-7": 16,
      "T-3": 11,
      "T-1": 4,
      D0: 14,
      "overdue-1": 14,
      "overdue-2": 14,
      "overdue-3": 14,
      "overdue-4": 10,
      "overdue-5": 10,
      "lead-overdue-2": 10,
      "lead-overdue-3": 10,
      "lead-overdue-4": 7,
      "lead-overdue-5": 7,
      "digest-overdue-1": 8,
      "digest-overdue-2": 8,
      "digest-overdue-3": 8,
      "digest-overdue-4": 6,
      "digest-overdue-5": 6,
    });
    expect(keys.filter((k) => k.startsWith("remind:2024"))).toEqual([]);
    expect(keys.some((k) => k.endsWith(`:${RF.contacts.qdnOld}`))).toBe(false);
  });

  it("the 黔南 contact gets each step on its day: weekend deadlines moved to Friday, make-up workdays used, Q4 in January", () => {
    const mine = delivered
      .filter((d) => d.row.idempotencyKey.endsWith(`:${RF.contacts.qiannan}`))
      .map((d) => `${d.day} ${d.row.idempotencyKey.split(":").slice(1, 3).join(" ")}`);
    expect(mine).toEqual([
      "2023-04-03 2023Q1 open",
      "2023-04-03 2023Q1 open-form",
      "2023-04-14 2023Q1 T-7",
      "2023-04-19 2023Q1 T-3",
      "2023-04-21 2023Q1 D0",
      "2023-04-23 2023Q1 overdue-1",
      "2023-04-24 2023Q1 overdue-2",
      "2023-04-25 2023Q1 overdue-3",
      "2023-04-26 2023Q1 overdue-4",
      "2023-04-27 2023Q1 overdue-5",
      "2023-07-03 2023Q2 open",
      "2023-07-03 2023Q2 open-form",
      "2023-07-07 2023Q2 T-7",
      "2023-07-12 2023Q2 T-3",
      "2023-07-14 2023Q2 D0",
      "2023-07-17 2023Q2 overdue-1",
      "2023-07-18 2023Q2 overdue-2",
      "2023-07-19 2023Q2 overdue-3",
      "2023-07-20 2023Q2 overdue-4",
      "2023-07-21 2023Q2 overdue-5",
      "2023-10-07 2023Q3 open",
      "2023-10-07 2023Q3 open-form",
      "2023-10-08 2023Q3 T-7",
      "2023-10-12 2023Q3 T-3",
      "2023-10-13 2023Q3 D0",
      "2023-10-16 2023Q3 overdue-1",
      "2023-10-17 2023Q3 overdue-2",
      "2023-10-18 2023Q3 overdue-3",
      "2023-10-19 2023Q3 overdue-4",
      "2023-10-20 2023Q3 overdue-5",
      "2024-01-02 2023Q4 open",
      "2024-01-02 2023Q4 open-form",
      "2024-01-08 2023Q4 T-7",
      "2024-01-12 2023Q4 T-1",
      "2024-01-15 2023Q4 D0",
      "2024-01-16 2023Q4 overdue-1",
      "2024-01-17 2023Q4 overdue-2",
      "2024-01-18 2023Q4 overdue-3",
    ]);
    // the send instant is the day's 09:30 in Shanghai
    for (const d of delivered) expect(localDate(d.row.createdAt)).toBe(d.day);
  });

  it("names only the zones still missing, and stops for a bureau once it has reported", () => {
    const text = (key: string) => delivered.find((d) => d.row.idempotencyKey === key)!.row.payload.content!;
    expect(text("remind:2023Q4:overdue-1:QN-01")).toContain("惠水经济开发区");
    expect(text("remind:2023Q4:overdue-2:QN-01")).not.toContain("惠水");
    expect(text("remind:2023Q4:overdue-2:QN-01")).toContain("龙里经济开发区");
    expect(text("remind:2023Q4:lead-overdue-3:QN-LEAD")).toContain("请督促联络员（李黔南）");
    const tongrenQ2 = delivered
      .filter(
        (d) => d.row.idempotencyKey.startsWith("remind:2023Q2:") && d.row.idempotencyKey.endsWith(":TR-01"),
      )
      .map((d) => d.row.idempotencyKey);
    expect(tongrenQ2).toEqual([
      "remind:2023Q2:open:TR-01",
      "remind:2023Q2:open-form:TR-01",
      "remind:2023Q2:T-7:TR-01",
      "remind:2023Q2:T-3:TR-01",
    ]);
    expect(text("remind:2023Q2:digest-overdue-1:TF-01")).not.toContain("铜仁");
    expect(text("remind:2023Q1:D0:QN-01")).toContain("今天是截止前最后一个工作日");
    expect(text("remind:2023Q4:open:QN-01")).toContain("2024年1月15日（星期一）");
  });
});
