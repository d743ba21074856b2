import { afterEach, describe, expect, it } from "vitest";
import { startBot } from "../bot/compose.js";
import type { HandleResult } from "../bot/inbound/handle.js";
import type { TransportContext, TransportModule } from "../bot/transports/transport.js";
import { TRANSPORT_MODULES } from "../bot/transports/transports.js";
import { loadConfig } from "../src/config/config.js";
import { notifyTaskForce } from "../src/delivery/notify-task-force.js";
import { createLogger } from "../src/log/logger.js";
import type { OutboxRow } from "../src/outbox/outbox.js";
import { fixedClock } from "../src/time/clock.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";

const FULL = "惠水经开区 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场";

/** A whole platform in a few lines: a channel spec, a sender, an inbound entry. */
function tinyPlatform(outbox: OutboxRow[]) {
  let ctx: TransportContext | undefined;
  const module: TransportModule = {
    name: "tiny",
    channels: {
      inbound: "tiny",
      // its senders are WeCom users: found by their userid, as on the other WeCom transports
      identity: "wecom",
      outbox: {
        tiny: {
          limits: { bytes: 300 },
          capabilities: { cards: false, files: false, groups: false, mentions: false },
          // the core reaches WeCom users on it too (alerts, reminders) — no change outside this module
          delivery: { unavailable: () => undefined, contactIdentity: "wecom" },
        },
      },
      replyAddress: (e) => ({ channel: "tiny", recipient: e.senderRef }),
    },
    start: async (c) => {
      ctx = c;
      return {
        name: "tiny",
        senders: {
          tiny: {
            send: async (row) => {
              outbox.push(row);
              return { kind: "sent" as const };
            },
          },
        },
        status: () => ({ state: "connected" }),
        stop: async () => {},
      };
    },
  };
  let n = 0;
  const say = (text: string) =>
    ctx!.handle({
      channel: "tiny",
      externalId: `t${++n}`,
      senderRef: "qn_li",
      kind: "text",
      text,
      receivedAt: new Date("2023-04-10T02:00:00Z"),
    }) as Promise<HandleResult>;
  return { module, say };
}

describe.each(TEST_PROVIDERS)("a new platform is one module plus one line on %s", (provider) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("a tiny transport registered with one line runs the report dialogue end to end", async () => {
    const db = await createTestDatabaseUrl(provider);
    cleanups.push(db.drop);
    const config = loadConfig({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      SCHEDULER_ENABLED: "false",
    });
    const sent: OutboxRow[] = [];
    const tiny = tinyPlatform(sent);
    const bot = await startBot(config, {
      clock: fixedClock("2023-04-10T02:00:00Z"),
      logger: createLogger("silent"),
      dispatcher: { pollMs: 50 },
      transports: [...TRANSPORT_MODULES, tiny.module], // ← the one line
    });
    cleanups.push(() => bot.stop());
    await seedRosterFixture(bot.app.store.db);
    expect(bot.channels).toContain("tiny");

    const echo = await tiny.say(FULL);
    expect(echo.outcome).toBe("awaiting_confirmation");
    const done = await tiny.say("确认");
    expect(done.outcome).toBe("stored");
    expect(await bot.app.store.db.reportRevision.count()).toBe(1);
    await waitFor("replies delivered", () => sent.length >= 3);
    // no card on a channel without cards; every part within the declared 300 bytes
    expect(sent.every((r) => r.msgType === "text" && r.channel === "tiny" && r.recipient === "qn_li")).toBe(
      true,
    );
    for (const r of sent) expect(Buffer.byteLength(r.payload.content ?? "")).toBeLessThanOrEqual(300);
    const health = await fetch(`${bot.url}/healthz`).then(
      (r) => r.json() as Promise<Record<string, unknown>>,
    );
    expect(health.tiny).toEqual({ state: "connected" });
    expect(health.clock).toEqual({ training: false });

    // the core's delivery reaches the new platform: a task-force alert goes to the member known by a
    // WeCom userid over "tiny" (no other platform configured), the one without any identity to the fallback
    const before = sent.length;
    expect(await notifyTaskForce(bot.app, { key: "tiny-check", text: "测试告警" })).toBe(2);
    const rows = await bot.app.store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: "alert:tiny-check:" } },
      orderBy: { idempotencyKey: "asc" },
    });
    expect(rows.map((r) => [r.idempotencyKey, r.channel, r.recipient])).toEqual([
      [`alert:tiny-check:${ROSTER.contacts.taskForce}`, "tiny", ROSTER.contacts.taskForceWecom],
      [`alert:tiny-check:${ROSTER.contacts.taskForce2}`, "console", ROSTER.contacts.taskForce2],
    ]);
    await waitFor("alert delivered on tiny", () => sent.length > before);
    expect(sent.at(-1)?.payload.content).toBe("测试告警");
  });
});
