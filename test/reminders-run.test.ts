import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/db/database.js";
import { REMINDERS_JOB, runDueReminders } from "../src/reminders/run-due-reminders.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import {
  addProgrammeYear,
  confirmReport,
  drain,
  RF,
  recordingDispatcher,
  recordingLogger,
  reminderApp,
  seedReminderFixture,
} from "./support/reminder-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const at = (date: string, time = "09:30") => localInstant(date, time);

describe.each(TEST_PROVIDERS)("runDueReminders on %s", (provider) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(provider);
    await seedReminderFixture(store.db);
  });
  afterEach(async () => {
    await store.dispose();
  });

  const rows = async (where: { startsWith?: string } = {}) =>
    store.db.outboundMessage.findMany({
      where: where.startsWith ? { idempotencyKey: { startsWith: where.startsWith } } : {},
      orderBy: { idempotencyKey: "asc" },
    });

  it("queues the due step once per recipient under its idempotency key and records the heartbeat", async () => {
    const now = at("2023-04-19");
    const clock = fixedClock(now);
    const app = reminderApp(store, clock);
    const report = await runDueReminders(app, now);
    expect(report.queued).toBe(4);
    const queued = await rows();
    expect(queued.map((r) => [r.idempotencyKey, r.channel, r.recipient, r.purpose, r.status])).toEqual([
      ["remind:2023Q1:T-3:QDN-01", "console", "QDN-01", "reminder", "pending"],
      ["remind:2023Q1:T-3:QN-01", "console", "QN-01", "reminder", "pending"],
      ["remind:2023Q1:T-3:TR-01", "console", "TR-01", "reminder", "pending"],
      ["remind:2023Q1:T-3:group:G-QN", "wecom_robot", RF.robotKeyEnv, "reminder", "pending"],
    ]);
    const group = JSON.parse(queued[3]!.payload) as { content: string; mentions: string[] };
    expect(group.mentions).toEqual(["qn_li"]);
    expect(group.content).toContain("惠水经济开发区");
    expect(JSON.parse(queued[1]!.payload).content).toContain("李黔南您好");

    // the same tick again, and a minute later: nothing new
    clock.advance(60_000);
    const again = await runDueReminders(app, now);
    const later = await runDueReminders(app, new Date(now.getTime() + 60_000));
    expect(again.queued + later.queued).toBe(0);
    expect(again.reminders.map((r) => r.status)).toEqual(Array(4).fill("already_queued"));
    expect(await store.db.outboundMessage.count()).toBe(4);

    const beat = await store.db.jobHeartbeat.findUniqueOrThrow({ where: { name: REMINDERS_JOB } });
    expect(beat.instance).toBe("test-1");
    expect(beat.lastError).toBeNull();
    expect(beat.lastRunAt.getTime()).toBe(now.getTime() + 60_000);
  });

  it("dry run computes the same reminders and queues nothing", async () => {
    const now = at("2023-04-24");
    const app = reminderApp(store, fixedClock(now));
    const dry = await runDueReminders(app, now, { dryRun: true });
    expect(dry.queued).toBe(0);
    expect(await store.db.outboundMessage.count()).toBe(0);
    expect(await store.db.jobHeartbeat.count()).toBe(0);
    expect(dry.reminders.every((r) => r.status === "would_send")).toBe(true);
    expect(dry.reminders.map((r) => r.step).sort()).toEqual(
      [
        ...Array(4).fill("overdue-2"),
        ...Array(3).fill("lead-overdue-2"),
        ...Array(2).fill("digest-overdue-2"),
      ].sort(),
    );
    const real = await runDueReminders(app, now);
    expect(real.reminders.map((r) => r.key)).toEqual(dry.reminders.map((r) => r.key));
    expect(real.queued).toBe(9);
  });

  it("a bureau that submits between two reminders gets no further reminder; the digest drops it", async () => {
    const app = reminderApp(store, fixedClock(at("2023-04-19")));
    await runDueReminders(app, at("2023-04-19"));
    expect((await rows({ startsWith: "remind:2023Q1:T-3:QN-01" })).length).toBe(1);

    // 惠水 confirmed: the next reminder names only 龙里
    await confirmReport(store.db, {
      year: 2023,
      quarter: 1,
      zoneId: RF.zones.huishui,
      contactId: RF.contacts.qiannan,
      at: at("2023-04-20", "15:00"),
    });
    const d0 = await runDueReminders(app, at("2023-04-21"));
    const qnD0 = d0.reminders.find((r) => r.recipientId === RF.contacts.qiannan)!;
    expect(qnD0.zones.map((z) => z.id)).toEqual([RF.zones.longli]);
    expect(qnD0.text).not.toContain("惠水");

    // 龙里 confirmed too: nothing more to 黔南 (contact, lead, group), the others continue
    await confirmReport(store.db, {
      year: 2023,
      quarter: 1,
      zoneId: RF.zones.longli,
      contactId: RF.contacts.qiannan,
      at: at("2023-04-21", "16:00"),
    });
    for (const day of ["2023-04-23", "2023-04-24", "2023-04-25"]) await runDueReminders(app, at(day));
    const keys = (await rows()).map((r) => r.idempotencyKey);
    expect(keys.filter((k) => /:(QN-01|QN-LEAD|group:G-QN)$/.test(k))).toEqual([
      "remind:2023Q1:D0:QN-01",
      "remind:2023Q1:D0:group:G-QN",
      "remind:2023Q1:T-3:QN-01",
      "remind:2023Q1:T-3:group:G-QN",
    ]);
    expect(keys).toContain("remind:2023Q1:overdue-3:TR-01");
    expect(keys).toContain("remind:2023Q1:lead-overdue-2:QDN-LEAD");
    const digest = await store.db.outboundMessage.findUniqueOrThrow({
      where: { idempotencyKey: "remind:2023Q1:digest-overdue-3:TF-01" },
    });
    const content = JSON.parse(digest.payload).content as string;
    expect(content).toContain("尚有2个市州的2个经开区未报送");
    expect(content).not.toContain("黔南");

    // everybody in: the rest of the overdue run sends nothing at all
    for (const zoneId of [RF.zones.songtao, RF.zones.sansui]) {
      await confirmReport(store.db, {
        year: 2023,
        quarter: 1,
        zoneId,
        contactId: "x",
        at: at("2023-04-25", "12:00"),
      });
    }
    const quiet = await runDueReminders(app, at("2023-04-26"));
    expect(quiet.reminders).toEqual([]);
  });

  it("restart between enqueue and send: rows stay pending and a new process sends each once", async () => {
    const now = at("2023-04-14");
    const first = reminderApp(store, fixedClock(now), { instanceId: "before-crash" });
    expect((await runDueReminders(first, now)).queued).toBe(4);

    // "restart": a new connection and a new AppContext; the old process never sent anything
    const reopened = await openStore(store.url);
    try {
      const clock = fixedClock(new Date(now.getTime() + 5 * 60_000));
      const second = reminderApp(reopened, clock, { instanceId: "after-restart" });
      const pending = await reopened.db.outboundMessage.count({ where: { status: "pending" } });
      expect(pending).toBe(4);
      expect((await runDueReminders(second, clock.now())).queued).toBe(0);
      const { dispatcher, delivered } = recordingDispatcher(second);
      expect(await drain(dispatcher)).toBe(4);
      expect((await runDueReminders(second, clock.now())).queued).toBe(0);
      expect(await drain(dispatcher)).toBe(0);
      expect(delivered.map((r) => r.idempotencyKey).sort()).toEqual([
        "remind:2023Q1:T-7:QDN-01",
        "remind:2023Q1:T-7:QN-01",
        "remind:2023Q1:T-7:TR-01",
        "remind:2023Q1:T-7:group:G-QN",
      ]);
      expect(await reopened.db.outboundMessage.count({ where: { status: "sent" } })).toBe(4);
    } finally {
      await reopened.close();
    }
  });

  it("after downtime only the latest still-due step goes out, worded for the day", async () => {
    const app = reminderApp(store, fixedClock(at("2023-04-14")));
    await runDueReminders(app, at("2023-04-14")); // T-7
    // down from Friday until Thursday 08:00: T-3 (Wednesday) was missed; too early to catch up
    expect((await runDueReminders(app, at("2023-04-20", "08:00"))).queued).toBe(0);
    const caughtUp = await runDueReminders(app, at("2023-04-20", "10:15"));
    expect(caughtUp.periods.at(-1)!.due).toEqual([expect.objectContaining({ step: "T-3", late: true })]);
    expect(caughtUp.queued).toBe(4);
    const t3 = await store.db.outboundMessage.findUniqueOrThrow({
      where: { idempotencyKey: "remind:2023Q1:T-3:QN-01" },
    });
    expect(JSON.parse(t3.payload).content).toContain("距截止还有2天");
    // down again until the 3rd overdue workday: overdue-1/2 and the D0 are never sent
    const back = await runDueReminders(app, at("2023-04-25", "11:00"));
    expect(back.reminders.map((r) => r.step).sort()).toEqual(
      [
        ...Array(4).fill("overdue-3"),
        ...Array(3).fill("lead-overdue-3"),
        ...Array(2).fill("digest-overdue-3"),
      ].sort(),
    );
    const keys = (await rows()).map((r) => r.idempotencyKey);
    expect(keys.filter((k) => /:(D0|overdue-1|overdue-2|lead-overdue-2|digest-overdue-1):/.test(k))).toEqual(
      [],
    );
    expect(keys.filter((k) => k.endsWith(":QN-01"))).toEqual([
      "remind:2023Q1:T-3:QN-01",
      "remind:2023Q1:T-7:QN-01",
      "remind:2023Q1:overdue-3:QN-01",
    ]);
  });

  it("two instances running the same tick concurrently queue every reminder exactly once", async () => {
    const other = await openStore(store.url);
    try {
      const clockA = fixedClock(at("2023-04-24"));
      const a = reminderApp(store, clockA, { instanceId: "a" });
      const b = reminderApp(other, clockA, { instanceId: "b" });
      let createdTotal = 0;
      for (const day of ["2023-04-19", "2023-04-21", "2023-04-24", "2023-04-25"]) {
        const reports = await Promise.all([
          runDueReminders(a, at(day)),
          runDueReminders(b, at(day)),
          runDueReminders(a, at(day, "09:31")),
          runDueReminders(b, at(day, "09:31")),
        ]);
        createdTotal += reports.reduce((n, r) => n + r.queued, 0);
      }
      const all = await rows();
      expect(all.length).toBe(4 + 4 + 9 + 9);
      expect(new Set(all.map((r) => r.idempotencyKey)).size).toBe(all.length);
      expect(createdTotal).toBe(all.length);
    } finally {
      await other.close();
    }
  });

  it("a group copy whose channel is not configured is reported, once in the log, and nothing is queued for it", async () => {
    const { logger, warnings } = recordingLogger();
    const app = reminderApp(store, fixedClock(at("2023-04-19")), {
      env: { [RF.robotKeyEnv]: "" },
      logger,
    });
    const r1 = await runDueReminders(app, at("2023-04-19"));
    const r2 = await runDueReminders(app, at("2023-04-19", "09:45"));
    const copy = r1.reminders.find((r) => r.audience === "group")!;
    expect(copy.status).toBe("unreachable");
    expect(r2.reminders.find((r) => r.audience === "group")!.status).toBe("unreachable");
    expect(r1.warnings.some((w) => w.includes("黔南州经开区工作群"))).toBe(true);
    expect(warnings.filter((w) => w.msg.includes("黔南州经开区工作群"))).toHaveLength(1);
    expect((await rows()).map((r) => r.idempotencyKey)).not.toContain("remind:2023Q1:T-3:group:G-QN");
    expect(r1.queued).toBe(3);
  });

  it("a programme year the holiday data does not cover runs Monday–Friday with a warning", async () => {
    await addProgrammeYear(store.db, 2027, ["2027-04-22", "2027-07-15", "2027-10-15", "2028-01-14"]);
    const { logger, warnings } = recordingLogger();
    const app = reminderApp(store, fixedClock(at("2027-10-01")), { logger });
    // 30 September 2027 is a Thursday; with no data Friday 1 October counts as a workday
    const r = await runDueReminders(app, at("2027-10-01"));
    expect(r.periods.at(-1)).toMatchObject({
      period: "2027Q3",
      due: [expect.objectContaining({ step: "open" })],
    });
    expect(r.queued).toBe(7); // 3 contacts × (notice + form) + the group copy
    expect(r.warnings.some((w) => w.includes("2027") && w.includes("周一至周五"))).toBe(true);
    await runDueReminders(app, at("2027-10-01", "10:00"));
    expect(warnings.filter((w) => w.msg.includes("不含2027年"))).toHaveLength(1);
  });

  it("a failing tick is recorded in the heartbeat and rethrown", async () => {
    const app = reminderApp(store, fixedClock(at("2023-04-19")));
    const failing = {
      ...app,
      store: {
        ...app.store,
        db: new Proxy(app.store.db, {
          get(target, prop, receiver) {
            if (prop === "reportRevision") throw new Error("store unavailable");
            return Reflect.get(target, prop, receiver);
          },
        }),
      },
    };
    await expect(runDueReminders(failing, at("2023-04-19"))).rejects.toThrow("store unavailable");
    const beat = await store.db.jobHeartbeat.findUniqueOrThrow({ where: { name: REMINDERS_JOB } });
    expect(beat.lastError).toBe("store unavailable");
  });
});
