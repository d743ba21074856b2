import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RESEND_NOTICE } from "../bot/transports/wecom-app/row-marker.js";
import {
  WECOM_ARRIVAL_GUARD_MS,
  type WecomRateLimits,
} from "../bot/transports/wecom-app/wecom-rate-limits.js";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { Outbox } from "../src/outbox/outbox.js";
import type { NewOutboxMessage } from "../src/outbox/outbox-message.js";
import { type Delivered, FakeWecomServer } from "./support/fake-wecom-server.js";
import { type SharedClock, sharedClock } from "./support/shared-clock.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";
import { wecomEnv } from "./support/wecom-callbacks.js";

/**
 * Several instances (#16.2): three bot processes — the real composition root, each its own process
 * (test/support/bot-instance.ts) — on one PostgreSQL database against the fake WeCom server, which
 * enforces WeCom's per-member and per-robot windows (app and app-chat excess dropped silently, robot
 * excess 45009). One instance is killed with SIGKILL in the middle of the batch.
 *
 * Time runs 10× faster for every process and the fake server (one shared clock), and the budgets are
 * smaller than WeCom's, so that every recipient needs two windows (~12 s); the code paths are the production ones.
 */
const SPEED = 10;
/**
 * The arrival guard covers a delay in real time (a request on its way, another host's clock): on a
 * clock running SPEED× faster it is SPEED× longer in clock ms (0.5 s real, as in production).
 */
const GUARD_MS = WECOM_ARRIVAL_GUARD_MS * SPEED;
const LIMITS: WecomRateLimits = {
  app: [{ limit: 8, windowMs: 60_000, guardMs: GUARD_MS }],
  appchat: [{ limit: 6, windowMs: 60_000, guardMs: GUARD_MS }],
  robot: [{ limit: 6, windowMs: 60_000, guardMs: GUARD_MS }],
};
const LEASE_MS = 60_000; // clock ms: 6 s real

const WORKER = path.resolve(import.meta.dirname, "support/bot-instance.ts");
const MEMBERS = ["u1", "u2", "u3"];
/** The robots by the name of the variable holding their key (the roster names that variable). */
const ROBOTS = { WECOM_ROBOT_KEY_R1: "rk-1", WECOM_ROBOT_KEY_R2: "rk-2" } as const;
const CHAT = { id: "chat-a", members: ["u1", "u4"] };

/** A text long enough to go in two parts; every line names its row, so each part can be traced. */
function longText(tag: string): string {
  return Array.from(
    { length: 46 },
    (_, i) => `${tag} 第${String(i + 1).padStart(2, "0")}行 ${"数据".repeat(12)}`,
  ).join("\n");
}

function batch(): NewOutboxMessage[] {
  const out: NewOutboxMessage[] = [];
  const add = (
    channel: NewOutboxMessage["channel"],
    recipient: string,
    purpose: NewOutboxMessage["purpose"],
    n: number,
  ) => {
    for (let i = 1; i <= n; i++) {
      const tag = `【${channel}/${recipient}/${purpose}/${i}】`;
      out.push({
        idempotencyKey: `batch:${channel}:${recipient}:${purpose}:${i}`,
        channel,
        recipient,
        msgType: "text",
        // two purposes per recipient: two ordered streams that different instances may send at once
        payload: { content: i % 3 === 0 ? longText(tag) : `${tag} 请于4月22日前报送一季度数据` },
        purpose,
      });
    }
  };
  for (const u of MEMBERS) {
    add("wecom_app", u, "reminder", 7);
    add("wecom_app", u, "reply", 7);
  }
  for (const r of Object.keys(ROBOTS)) {
    add("wecom_robot", r, "circular", 5);
    add("wecom_robot", r, "reminder", 5);
  }
  add("wecom_appchat", CHAT.id, "circular", 5);
  add("wecom_appchat", CHAT.id, "reminder", 5);
  return out;
}

/** Timings for a run by hand (KAIQU_TEST_VERBOSE=1); the test asserts no timing. */
const phase = (text: string) => {
  if (process.env.KAIQU_TEST_VERBOSE) process.stderr.write(`three-instances: ${text}\n`);
};

/** The row tag a delivered text carries (its first line starts with it), the resend notice removed. */
const TAG = /【(wecom_[a-z]+\/[^/]+\/[a-z]+\/\d+)】/;

describe.skipIf(!TEST_PROVIDERS.includes("postgresql"))("three instances on one PostgreSQL database", () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it("0 over-limit sends, 0 silent duplicates, 0 losses — with a kill -9 of one instance mid-run", async () => {
    const spec: SharedClock = { t0: Date.now(), start: Date.parse("2023-04-10T02:00:00Z"), speed: SPEED };
    const clock = sharedClock(spec);
    const fake = await new FakeWecomServer({
      robotKeys: Object.values(ROBOTS),
      now: clock.ms,
      limits: { appPerMember: 8, appchatPerMember: 6, robot: 6 },
    }).start();
    cleanups.push(() => fake.stop());
    fake.addChat(CHAT.id, CHAT.members);
    const db = await createTestDatabaseUrl("postgresql");
    cleanups.push(db.drop);
    await applyMigrations(db.url);
    const store: Store = await openStore(db.url);
    cleanups.unshift(() => store.close());

    const logs = new Map<string, string>();
    const start = (id: string) =>
      new Promise<ChildProcess>((resolve, reject) => {
        const child = fork(WORKER, [], {
          execArgv: ["--import", "tsx"],
          stdio: ["ignore", "pipe", "pipe", "ipc"],
          env: {
            PATH: process.env.PATH ?? "",
            DATABASE_URL: db.url,
            DB_MIGRATE_ON_START: "false",
            HOST: "127.0.0.1",
            PORT: "0",
            INSTANCE_ID: id,
            LOG_LEVEL: "warn",
            OUTBOX_BATCH: "5",
            ...wecomEnv(fake.url),
            ...ROBOTS,
            KAIQU_TEST_CLOCK: JSON.stringify(spec),
            KAIQU_TEST_WECOM_LIMITS: JSON.stringify(LIMITS),
            KAIQU_TEST_LEASE_MS: String(LEASE_MS),
          },
        });
        children.push(child);
        logs.set(id, "");
        const log = (b: Buffer) => logs.set(id, (logs.get(id) ?? "") + b.toString());
        child.stdout?.on("data", log);
        child.stderr?.on("data", log);
        child.once("message", () => resolve(child));
        child.once("exit", (code) =>
          reject(new Error(`${id} exited (${code}) before ready:\n${logs.get(id)}`)),
        );
      });
    const [, bot2] = await Promise.all(["bot-1", "bot-2", "bot-3"].map(start));

    phase(` ready ${Date.now() - spec.t0}`);
    const outbox = new Outbox(store, clock);
    const messages = batch();
    for (const m of messages) await outbox.enqueue(m);
    const total = messages.length;
    const rows = () =>
      store.db.outboundMessage.findMany({ where: { idempotencyKey: { startsWith: "batch:" } } });

    // kill -9 in the middle: once a third has gone, at a moment bot-2 holds rows it has not marked sent.
    // bot-2 marks a send within 20 ms, so rows seen "sending" could be marked before a SIGKILL lands
    // (CI saw it): it is frozen first (SIGSTOP), its statements already on the wire given time to
    // commit, and killed only if it still holds rows — otherwise it goes on and the probe tries again.
    const heldByBot2 = () =>
      store.db.outboundMessage.findMany({
        where: { idempotencyKey: { startsWith: "batch:" }, status: "sending", claimedBy: "bot-2" },
      });
    const inFlight = await waitFor(
      "bot-2 mid-batch with rows in flight",
      async () => {
        if (fake.delivered.length < total / 3) return undefined;
        if ((await heldByBot2()).length === 0) return undefined;
        bot2!.kill("SIGSTOP");
        await new Promise((r) => setTimeout(r, 200));
        const held = await heldByBot2();
        if (held.length === 0) {
          bot2!.kill("SIGCONT");
          return undefined;
        }
        bot2!.kill("SIGKILL");
        return held;
      },
      45_000,
    );
    await new Promise((r) => bot2!.once("exit", r));
    // what bot-2 held when it died (read after its death: nothing can change them but a takeover)
    const orphaned = new Set(
      (
        await store.db.outboundMessage.findMany({
          where: { idempotencyKey: { startsWith: "batch:" }, status: "sending", claimedBy: "bot-2" },
        })
      ).map((r) => r.idempotencyKey),
    );
    expect(inFlight.length).toBeGreaterThan(0);
    phase(` killed ${Date.now() - spec.t0} delivered ${fake.delivered.length} orphaned ${orphaned.size}`);

    const done = await waitFor(
      "every row sent by the two survivors",
      async () => {
        const all = await rows();
        return all.every((r) => r.status === "sent") ? all : undefined;
      },
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${[...logs].map(([k, v]) => `--- ${k}\n${v.slice(-3000)}`).join("\n")}`);
    });
    await fake.idle();
    phase(` done ${Date.now() - spec.t0} delivered ${fake.delivered.length}`);

    // every instance took part, and bot-2's unfinished claims were taken over
    const by = (id: string) => done.filter((r) => r.claimedBy === id).length;
    expect(by("bot-1")).toBeGreaterThan(0);
    expect(by("bot-3")).toBeGreaterThan(0);
    expect(orphaned.size).toBeGreaterThan(0);
    for (const r of done.filter((x) => orphaned.has(x.idempotencyKey))) {
      expect(r.claimedBy).not.toBe("bot-2");
      expect(r.uncertainSince).not.toBeNull();
    }

    // 0 over-limit: WeCom dropped nothing silently and refused no robot send for its rate
    expect(fake.dropped).toEqual([]);
    expect(fake.calls.filter((c) => c.endpoint === "webhook/send" && c.errcode === 45009)).toEqual([]);
    // … and the budgets mattered: each member, robot and chat got more than one window's budget in all,
    // yet no sliding 60 s window holds more than the limit (how full the fullest one gets is timing, not asserted)
    const sent = (to: string, endpoint: string) =>
      fake.delivered.filter((d) => d.to === to && d.endpoint === endpoint).map((d) => d.at);
    const fullestWindow = (at: number[]) =>
      Math.max(...at.map((t) => at.filter((x) => x >= t && x < t + 60_000).length));
    const checks: [string, string, number][] = [
      ...MEMBERS.map((u): [string, string, number] => [u, "message/send", 8]),
      ...Object.values(ROBOTS).map((k): [string, string, number] => [k, "webhook/send", 6]),
      [CHAT.id, "appchat/send", 6],
    ];
    for (const [to, endpoint, limit] of checks) {
      const at = sent(to, endpoint);
      expect(at.length, `${endpoint} → ${to}`).toBeGreaterThan(limit);
      expect(fullestWindow(at), `${endpoint} → ${to}`).toBeLessThanOrEqual(limit);
    }

    // 0 losses: every line of every row reached its recipient
    const byTag = new Map<string, Delivered[]>();
    for (const d of fake.delivered) {
      const tag = TAG.exec(d.content ?? "")?.[1];
      if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), d]);
    }
    for (const m of messages) {
      const tag = TAG.exec(m.payload.content!)![1]!;
      const got = (byTag.get(tag) ?? []).map((d) => d.content ?? "").join("\n");
      for (const line of m.payload.content!.split("\n")) expect(got, m.idempotencyKey).toContain(line);
    }

    // 0 silent duplicates: app messages never twice (WeCom's duplicate check keyed to the row);
    // robots and app chats have no duplicate check — a row bot-2 died holding may arrive again, and
    // then only announced as a resend (【补发】 in front, or as the message just before it)
    const notice = RESEND_NOTICE.trim();
    for (const [tag, ds] of byTag) {
      const seen = new Map<string, Delivered[]>();
      for (const d of ds) {
        const body = (d.content ?? "").replace(RESEND_NOTICE, "");
        seen.set(body, [...(seen.get(body) ?? []), d]);
      }
      for (const copies of seen.values()) {
        if (copies.length === 1) continue;
        const key = messages.find((m) => m.payload.content!.includes(`【${tag}】`))!.idempotencyKey;
        expect(key.startsWith("batch:wecom_app:"), `${key} delivered twice`).toBe(false);
        expect(orphaned.has(key), `${key} twice but not in flight at the kill`).toBe(true);
        expect(copies).toHaveLength(2);
        const again = copies[1]!;
        const before = fake.delivered.filter((d) => d.to === again.to && d.at <= again.at);
        const announced =
          again.content!.startsWith(RESEND_NOTICE) ||
          before.some((d, i) => d.content === notice && before[i + 1] === again);
        expect(announced, `${key}: the second copy is not announced`).toBe(true);
      }
    }

    for (const c of children) if (c !== bot2) c.kill("SIGTERM");
    await Promise.all(
      children
        .filter((c) => c !== bot2)
        .map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once("exit", r)))),
    );
  }, 150_000);
});
