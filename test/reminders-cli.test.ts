import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../bot/cli/cli-context.js";
import { clockFromOption, parseNow } from "../bot/transports/console/now-option.js";
import { openStore } from "../src/db/database.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { runCliCapture } from "./support/cli.js";
import { RF, seedReminderFixture } from "./support/reminder-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

interface PlanJson {
  period: string;
  deadline: string;
  steps: {
    step: string;
    localTime: string;
    merged: string[];
    recipients: { id: string; audience: string; zones: { id: string }[]; key: string }[];
  }[];
}

async function outboxCount(url: string): Promise<number> {
  const s = await openStore(url);
  try {
    return await s.db.outboundMessage.count();
  } finally {
    await s.close();
  }
}

describe("parseNow", () => {
  it("reads ISO instants and local Shanghai times, and explains a bad one", () => {
    expect(parseNow("2023-04-21T09:30:00+08:00")).toEqual(localInstant("2023-04-21", "09:30"));
    expect(parseNow("2023-04-21T01:30:00Z")).toEqual(localInstant("2023-04-21", "09:30"));
    expect(parseNow("2023-04-21 09:30")).toEqual(localInstant("2023-04-21", "09:30"));
    expect(parseNow("2023-04-21")).toEqual(localInstant("2023-04-21", "00:00"));
    expect(() => parseNow("2023-02-30 09:30")).toThrow(CliError);
    expect(() => parseNow("明天")).toThrow(
      /--now 的时间无法识别（读到 "明天"）。示例：2023-04-21T09:30:00\+08:00/,
    );
  });

  it("chat/report/parse --now read a time without offset as Beijing time, whatever the server's zone", () => {
    const base = fixedClock("2030-01-01T00:00:00Z");
    // 31 March 20:00 in Shanghai is still before Q1 ends; read as UTC it would be 1 April 04:00
    const clock = clockFromOption("2023-03-31T20:00", base);
    expect(clock.now()).toEqual(localInstant("2023-03-31", "20:00"));
    base.advance(5_000);
    expect(clock.now()).toEqual(new Date(localInstant("2023-03-31", "20:00").getTime() + 5_000));
    expect(() => clockFromOption("2023-13-01", base)).toThrow(/--now 的时间无法识别/);
  });
});

describe.each(TEST_PROVIDERS)("kaiqu remind on %s", (provider) => {
  let store: TestStore;
  let env: Record<string, string>;
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedReminderFixture(store.db);
    // The CLI opens its own connection. On SQLite, this process must not hold another one meanwhile:
    // the migration runner's better-sqlite3 and the Prisma adapter's are two copies of SQLite, and
    // closing one drops the other's file locks ("disk I/O error"). Counts below use a short-lived connection.
    await store.close();
    env = { DATABASE_URL: store.url, [RF.robotKeyEnv]: "robot-key-qn", INSTANCE_ID: "cli" };
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("plan --json lists every step with local time and today's recipients and zones", async () => {
    const r = await runCliCapture(["remind", "plan", "--period", "2023Q1", "--json"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.period).toBe("2023Q1");
    expect(plan.deadline).toBe("2023-04-22");
    expect(plan.steps.filter((s) => !s.step.includes("-overdue")).map((s) => [s.step, s.localTime])).toEqual([
      ["open", "2023-04-03 09:30"],
      ["T-7", "2023-04-14 09:30"],
      ["T-3", "2023-04-19 09:30"],
      ["D0", "2023-04-21 09:30"],
      ["overdue-1", "2023-04-23 09:30"],
      ["overdue-2", "2023-04-24 09:30"],
      ["overdue-3", "2023-04-25 09:30"],
      ["overdue-4", "2023-04-26 09:30"],
      ["overdue-5", "2023-04-27 09:30"],
    ]);
    const d0 = plan.steps.find((s) => s.step === "D0")!;
    expect(d0.merged).toEqual(["T-1"]);
    const qn = d0.recipients.find((x) => x.id === RF.contacts.qiannan)!;
    expect(qn.zones.map((z) => z.id)).toEqual([RF.zones.huishui, RF.zones.longli]);
    expect(qn.key).toBe("remind:2023Q1:D0:QN-01");
    const lead = plan.steps.find((s) => s.step === "lead-overdue-2")!;
    expect(lead.recipients.map((x) => x.id).sort()).toEqual(["QDN-LEAD", "QN-LEAD", "TR-LEAD"]);
  });

  it("plan prints a readable table, and refuses a malformed or unknown period", async () => {
    const r = await runCliCapture(["remind", "plan", "--period", "2023Q3"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2023-10-07 09:30  open");
    expect(r.stdout).toContain("2023-10-13 09:30  D0（原定 2023-10-15，遇非工作日提前）（合并 T-1）");
    expect(r.stdout).toMatch(/→ 李黔南 \[console:QN-01\] {2}惠水经济开发区、龙里经济开发区/);
    const bad = await runCliCapture(["remind", "plan", "--period", "2023Q5"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--period 格式不对（读到 "2023Q5"），应为 年份+季度，例如 2024Q1');
    const missing = await runCliCapture(["remind", "plan", "--period", "2030Q1"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("未找到2030年度方案");
  });

  it("run --dry-run prints what would be sent and queues nothing; run queues it once", async () => {
    const dry = await runCliCapture(
      ["remind", "run", "--now", "2023-04-24T09:30:00+08:00", "--dry-run"],
      env,
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("试运行");
    expect(dry.stdout).toContain("将发送  2023Q1 lead-overdue-2 → 王分管");
    expect(dry.stdout).toContain("今天是逾期第2个工作日");
    expect(dry.stdout).toContain("共 9 条将发送（未加入队列）");
    expect(await outboxCount(store.url)).toBe(0);

    const json = await runCliCapture(["remind", "run", "--now", "2023-04-24 09:30", "--json"], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      queued: number;
      reminders: { key: string; status: string }[];
    };
    expect(report.queued).toBe(9);
    expect(report.reminders.every((x) => x.status === "queued")).toBe(true);
    const again = await runCliCapture(["remind", "run", "--now", "2023-04-24 10:00"], env);
    expect(again.stdout).toContain("新加入发送队列 0 条");
    expect(again.stdout).toContain("此前已加入");
    expect(await outboxCount(store.url)).toBe(9);

    const bad = await runCliCapture(["remind", "run", "--now", "24/04/2023"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--now 的时间无法识别（读到 "24/04/2023"）');
  });
});
