// The at-least-once window of each WeCom channel, measured: for every message, the time from the
// moment the fake WeCom server accepted it (recorded when it handled the request) to the moment the
// outbox's mark-sent UPDATE for that row committed. A crash of the sending instance inside that
// window leaves the row "sending" under its lease, so another instance sends it again: the window is
// how long a message is exposed to being repeated. Run with the production dispatcher settings
// (OUTBOX_BATCH, OUTBOX_POLL_MS from .env.example) under a backlog, with answer delays standing for
// the network's way back from WeCom: spread evenly over [minDelayMs, maxDelayMs] (seeded, repeatable),
// so a fast answer waits for the pass's slowest one before the batched mark-sent.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WecomClient } from "../bot/transports/wecom-app/wecom-client.js";
import { createWecomSenders } from "../bot/transports/wecom-app/wecom-senders.js";
import { openStore } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createLogger } from "../src/log/logger.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { Outbox } from "../src/outbox/outbox.js";
import type { Clock } from "../src/time/clock.js";
import { FakeWecomServer } from "../test/support/fake-wecom-server.js";

const APP = { corpId: "wwcorp0001", agentId: 1000002, secret: "app-secret" };
const CHANNELS = ["wecom_app", "wecom_appchat", "wecom_robot"] as const;
type Channel = (typeof CHANNELS)[number];

export interface WindowFigures {
  /** ms from WeCom's acceptance to the committed mark-sent, per channel */
  p50: Record<Channel, number>;
  p99: Record<Channel, number>;
  max: Record<Channel, number>;
  messages: number;
}

/** `perChannel` messages on each channel to `recipients` recipients each. */
export async function measureWindows(o: {
  perChannel: number;
  recipients: number;
  minDelayMs: number;
  maxDelayMs: number;
  batch: number;
  pollMs: number;
}): Promise<WindowFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-bench-window-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await applyMigrations(url);
  const store = await openStore(url);
  const clock: Clock = { now: () => new Date() };
  const robotNames = Array.from({ length: o.recipients }, (_, i) => `WECOM_ROBOT_KEY_${i}`);
  const robotKeys = Object.fromEntries(robotNames.map((n, i) => [n, `robot-key-${i}`]));
  let seed = 42;
  const fake = await new FakeWecomServer({
    limits: false,
    robotKeys: Object.values(robotKeys),
    responseDelayMs: () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return o.minDelayMs + (seed / 2_147_483_648) * (o.maxDelayMs - o.minDelayMs);
    },
  }).start();
  const committed = new Map<number, number>();
  // the dispatcher's only way to record a delivery; the time is taken once the UPDATE has committed
  class TimedOutbox extends Outbox {
    override async markSentMany(items: Parameters<Outbox["markSentMany"]>[0]): Promise<number> {
      const n = await super.markSentMany(items);
      const t = Date.now();
      for (const it of items) committed.set(it.row.id, t);
      return n;
    }
  }
  try {
    const recipientOf = (ch: Channel, r: number) =>
      ch === "wecom_app" ? `member${r}` : ch === "wecom_appchat" ? `chat${r}` : robotNames[r]!;
    for (let r = 0; r < o.recipients; r++) fake.addChat(`chat${r}`, [`member${r}`, `other${r}`]);
    const rows = CHANNELS.flatMap((channel) =>
      Array.from({ length: o.perChannel }, (_, i) => ({
        idempotencyKey: `window:${channel}:${i}`,
        channel,
        recipient: recipientOf(channel, i % o.recipients),
        msgType: "text",
        payload: JSON.stringify({ content: `经开区培育提醒 ${channel}#${i}：请于4月22日前报送一季度数据。` }),
        purpose: "reminder",
        nextAttemptAt: clock.now(),
      })),
    );
    for (let i = 0; i < rows.length; i += 500)
      await store.db.outboundMessage.createMany({ data: rows.slice(i, i + 500) });
    const logger = createLogger("silent");
    const client = new WecomClient({ baseUrl: fake.url, app: APP, clock, duplicateCheckIntervalS: 14_400 });
    const senders = createWecomSenders({ client, clock, logger, robotKeys, rateLimits: false });
    const dispatcher = new OutboxDispatcher({
      outbox: new TimedOutbox(store, clock),
      senders,
      clock,
      logger,
      instanceId: "bench-window",
      batch: o.batch,
      maxAttempts: 8,
      leaseMs: 120_000,
      pollMs: o.pollMs,
    });
    dispatcher.start();
    while (committed.size < rows.length) {
      await new Promise((r) => setTimeout(r, 20));
      const failed = await store.db.outboundMessage.count({ where: { status: "failed" } });
      if (failed > 0) throw new Error(`${failed} messages failed`);
    }
    await dispatcher.stop();
    const ids = new Map(
      (await store.db.outboundMessage.findMany({ select: { id: true, idempotencyKey: true } })).map((r) => [
        r.idempotencyKey,
        r.id,
      ]),
    );
    const windows: Record<Channel, number[]> = { wecom_app: [], wecom_appchat: [], wecom_robot: [] };
    for (const d of fake.delivered) {
      const m = /(wecom_\w+)#(\d+)/.exec(d.content ?? "");
      if (!m) continue;
      const ch = m[1] as Channel;
      const id = ids.get(`window:${ch}:${m[2]}`);
      const t = id ? committed.get(id) : undefined;
      if (t === undefined) throw new Error(`delivered ${ch}#${m[2]} has no mark-sent`);
      windows[ch].push(t - d.at);
    }
    const pick = (q: number) =>
      Object.fromEntries(
        CHANNELS.map((ch) => {
          const v = windows[ch].sort((a, b) => a - b);
          if (v.length !== o.perChannel) throw new Error(`${ch}: ${v.length} of ${o.perChannel} delivered`);
          return [ch, v[Math.min(v.length - 1, Math.floor(q * v.length))]!];
        }),
      ) as Record<Channel, number>;
    return { p50: pick(0.5), p99: pick(0.99), max: pick(1), messages: rows.length };
  } finally {
    await fake.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
