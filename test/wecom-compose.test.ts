import { afterEach, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../bot/compose.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";
import { CALLBACK, wecomEnv } from "./support/wecom-callbacks.js";

describe.each(TEST_PROVIDERS)("composition root on %s", (provider) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function boot(env: Record<string, string>, clock = fixedClock("2023-04-10T02:00:00Z")) {
    const db = await createTestDatabaseUrl(provider);
    cleanups.push(db.drop);
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger("info", { write: (s: string) => logs.push(JSON.parse(s)) } as never);
    const config = loadConfig({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      SCHEDULER_ENABLED: "false",
      ...env,
    });
    const bot: RunningBot = await startBot(config, { clock, logger, dispatcher: { pollMs: 20 } });
    cleanups.push(() => bot.stop());
    return { bot, logs, clock };
  }

  it("starts console-only without WeCom settings, says how to try it, and serves /healthz", async () => {
    const { bot, logs } = await boot({});
    expect(bot.channels).toEqual(["console"]);
    const hint = logs.find((l) => String(l.msg).includes("npm run kaiqu -- chat --as"));
    expect(String(hint?.msg)).toContain("未配置企业微信");
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      store: { ok: true, provider },
      scheduler: { enabled: false },
      outbox: { pending: 0 },
      channels: ["console"],
    });
    expect((await fetch(`${bot.url}/wecom/callback`)).status).toBe(404);
    // alerts and reminders on the console are logged; replies wait for a chat session first
    await bot.app.outbox.enqueue({
      idempotencyKey: "a1",
      channel: "console",
      recipient: "TF-01",
      msgType: "text",
      payload: { content: "提醒内容" },
      purpose: "reminder",
    });
    await bot.app.outbox.enqueue({
      idempotencyKey: "r1",
      channel: "console",
      recipient: "TF-01",
      msgType: "text",
      payload: { content: "回复内容" },
      purpose: "reply",
    });
    await waitFor("the logged reminder", async () =>
      logs.find((l) => l.msg === "console message" && l.text === "提醒内容"),
    );
    const reply = await waitFor("the reply left to a chat session", async () => {
      const r = await bot.app.store.db.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: "r1" } });
      return r.status === "pending" && r.lastError?.includes("console chat session") ? r : undefined;
    });
    expect(reply).toMatchObject({ attempts: 0, sentAt: null });
    expect(reply.nextAttemptAt.getTime()).toBe(reply.createdAt.getTime() + 30_000);
    expect(logs.some((l) => l.text === "回复内容")).toBe(false);
  });

  it("wires the WeCom senders and alerts the task force over another channel when a message is given up", async () => {
    const clock = fixedClock("2023-04-10T02:00:00Z");
    const fake = await new FakeWecomServer({ robotKeys: ["rk-1"], now: () => clock.now().getTime() }).start();
    cleanups.push(() => fake.stop());
    const { bot, logs } = await boot(
      {
        ...wecomEnv(fake.url),
        WECOM_ROBOT_KEY_PROVINCE: "rk-1",
      },
      clock,
    );
    expect(bot.channels.sort()).toEqual(["console", "wecom_app", "wecom_appchat", "wecom_robot"]);
    await seedRosterFixture(bot.app.store.db);
    fake.inject("message/send", 60020);
    const { id } = await bot.app.outbox.enqueue({
      idempotencyKey: "remind-1",
      channel: "wecom_app",
      recipient: ROSTER.contacts.qiannanWecom,
      msgType: "text",
      payload: { content: "请于4月22日前报送一季度数据" },
      purpose: "reminder",
    });
    const alerts = await waitFor("the task-force alert", async () => {
      const rows = await bot.app.store.db.outboundMessage.findMany({
        where: { purpose: "alert", idempotencyKey: { startsWith: "alert:outbox-failed:" } },
      });
      return rows.length === 2 ? rows : undefined;
    });
    expect(alerts.map((a) => a.channel)).toEqual(["console", "console"]); // wecom_app is the failing channel
    expect(JSON.parse(alerts[0]!.payload).content).toContain("errcode 60020");
    expect(JSON.parse(alerts[0]!.payload).content).toContain(`outbox retry ${id}`);
    expect(await bot.app.store.db.outboundMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "failed",
      lastErrcode: 60020,
    });
    expect(logs.some((l) => String(l.msg).includes("WeCom 配置错误") && l.errcode === 60020)).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(CALLBACK.secret);
    expect(JSON.stringify(logs)).not.toContain("rk-1");
  });

  it("one alert per failure cause: a deleted robot key fails eight rows, an app-wide error every recipient", async () => {
    const clock = fixedClock("2023-04-10T02:00:00Z");
    const fake = await new FakeWecomServer({ robotKeys: ["rk-1"], now: () => clock.now().getTime() }).start();
    cleanups.push(() => fake.stop());
    // the key is configured here but unknown to WeCom (deleted robot): 93000 on every send
    const { bot } = await boot({ ...wecomEnv(fake.url), WECOM_ROBOT_KEY_PROVINCE: "rk-gone" }, clock);
    await seedRosterFixture(bot.app.store.db);
    const db = bot.app.store.db;
    for (let i = 1; i <= 8; i++)
      await bot.app.outbox.enqueue({
        idempotencyKey: `circular:9:G1:text-${i}`,
        channel: "wecom_robot",
        recipient: "WECOM_ROBOT_KEY_PROVINCE",
        msgType: "markdown",
        payload: { content: `通报第 ${i} 段` },
        purpose: "circular",
      });
    // the robot cause's alert goes to the task force over the app (message/send): let it go out before
    // the three injected 60020 answers are queued, or it could take one of them (a race seen in CI)
    const robotAlerts = await waitFor("the robot cause's alerts sent", async () => {
      const failed = await db.outboundMessage.count({ where: { purpose: "circular", status: "failed" } });
      const rows = await db.outboundMessage.findMany({ where: { purpose: "alert" } });
      return failed === 8 && rows.length === 2 && rows.every((r) => r.status === "sent") ? rows : undefined;
    });
    expect(robotAlerts.map((a) => a.channel).sort()).toEqual(["console", "wecom_app"]); // one task-force member has no WeCom id
    fake.inject("message/send", 60020, 60020, 60020);
    for (const user of ["u1", "u2", "u3"])
      await bot.app.outbox.enqueue({
        idempotencyKey: `remind-${user}`,
        channel: "wecom_app",
        recipient: user,
        msgType: "text",
        payload: { content: "请报送" },
        purpose: "reminder",
      });
    await waitFor("all eleven rows given up", async () => {
      const n = await db.outboundMessage.count({ where: { purpose: { not: "alert" }, status: "failed" } });
      return n === 11 ? n : undefined;
    });
    const alerts = await waitFor("the alerts of both causes", async () => {
      const rows = await db.outboundMessage.findMany({ where: { purpose: "alert" }, orderBy: { id: "asc" } });
      return rows.length >= 4 ? rows : undefined;
    });
    // two causes × two task-force contacts; the old code queued one alert per row (11 × 2)
    expect(alerts).toHaveLength(4);
    const texts = alerts.map((a) => JSON.parse(a.payload).content as string);
    expect(texts.filter((t) => t.includes("errcode 93000"))).toHaveLength(2);
    expect(texts.filter((t) => t.includes("errcode 60020"))).toHaveLength(2);
    expect(texts[0]).toContain("同一原因今天导致的其他发送失败不再逐条告警");
  });

  it("runs robots without app credentials", async () => {
    const { bot } = await boot({ WECOM_ROBOT_KEY_PROVINCE: "rk-2" });
    expect(bot.channels.sort()).toEqual(["console", "wecom_robot"]);
  });
});
