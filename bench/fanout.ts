// `npm run bench -- fanout [--messages N] [--members M] [--scale S] [--batch B]`
// N outbox messages (temp SQLite store) through the real dispatcher and WeCom sender to the fake
// WeCom server. Phase 1: no limits anywhere → messages/s. Phase 2: WeCom's real limits on both
// sides (30/min per member) on a scaled clock (S× real time) so that WeCom minutes pass in
// seconds. By default S is chosen from phase 1 so that one WeCom minute lasts twice as long as
// sending one minute's budget (30 × members) takes: the limit clearly binds, and the run stays
// about twice phase 1. Total time is compared with the theoretical minimum. Both phases count
// duplicates, missing messages and messages WeCom would have dropped silently (all must be 0).
// A phase is timed from the dispatcher's start to the instant the fake WeCom accepted its last
// message (the store is then checked for every row marked sent, untimed).
// Phase 3: the at-least-once window per channel (bench/_delivery-window.ts) with the production
// dispatcher settings and WeCom answering after 50–300 ms.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WecomClient } from "../bot/transports/wecom-app/wecom-client.js";
import { WECOM_RATE_LIMITS } from "../bot/transports/wecom-app/wecom-rate-limits.js";
import { createWecomSenders } from "../bot/transports/wecom-app/wecom-senders.js";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createLogger } from "../src/log/logger.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { Outbox } from "../src/outbox/outbox.js";
import type { Clock } from "../src/time/clock.js";
import { FakeWecomServer } from "../test/support/fake-wecom-server.js";
import { measureWindows } from "./_delivery-window.js";
import type { BenchFigures } from "./main.js";

const APP = { corpId: "wwcorp0001", agentId: 1000002, secret: "app-secret" };

interface PhaseResult {
  seconds: number;
  sent: number;
  delivered: number;
  duplicates: number;
  /** never reached WeCom's recipients */
  missing: number;
  /** resends WeCom's duplicate check absorbed */
  resends: number;
  dropped: number;
  deferrals: number;
}

export async function run(args: string[]): Promise<BenchFigures> {
  const messages = intArg(args, "--messages", 10_000);
  const members = intArg(args, "--members", 50);
  const scaleArg = args.includes("--scale") ? intArg(args, "--scale", 1) : undefined;
  const batch = intArg(args, "--batch", 100);
  console.log(
    `fanout bench: ${messages} messages to ${members} members, dispatcher batch ${batch}, temp SQLite store`,
  );

  const base = await phase({ messages, members, batch, limits: false, clock: scaledClock(1), noop: true });
  console.log(
    `baseline (same dispatcher and store, a sender that does nothing): ${(base.sent / base.seconds).toFixed(0)} messages/s`,
  );
  const free = await phase({ messages, members, batch, limits: false, clock: scaledClock(1) });
  console.log(
    `unthrottled: ${free.sent} sent in ${free.seconds.toFixed(2)} s = ${(free.sent / free.seconds).toFixed(0)} messages/s; ` +
      `duplicates ${free.duplicates}, missing ${free.missing}, silently dropped ${free.dropped}; ` +
      `${((free.sent / free.seconds / (base.sent / base.seconds)) * 100).toFixed(0)}% of the baseline`,
  );

  const perMember = Math.ceil(messages / members);
  const { limit, windowMs } = WECOM_RATE_LIMITS.app[0]!;
  const rate = free.sent / free.seconds;
  const scale = scaleArg ?? Math.max(1, windowMs / 1000 / (2 * ((limit * members) / rate)));
  // the last member batch can start (windows − 1) full windows after the first; sending it then takes ≥ its share of phase 1
  const windows = Math.ceil(perMember / limit);
  const minScaledS = ((windows - 1) * windowMs) / 1000;
  const lastWindow = Math.min(limit, perMember - (windows - 1) * limit) * members;
  const minRealS = minScaledS / scale + lastWindow / rate;
  const lim = await phase({ messages, members, batch, limits: true, clock: scaledClock(scale) });
  console.log(
    `with limits (${limit}/min per member; clock ×${scale.toFixed(1)}, 1 WeCom minute = ${(60 / scale).toFixed(1)} s): ` +
      `${lim.sent} sent in ${lim.seconds.toFixed(2)} s real = ${((lim.seconds * scale) / 60).toFixed(1)} WeCom minutes`,
  );
  console.log(
    `theoretical minimum: ${windows} windows per member → ${(minScaledS / 60).toFixed(0)} WeCom minutes = ${minRealS.toFixed(2)} s real ` +
      `(incl. sending the last window at phase-1 speed); ratio actual/minimum ${(lim.seconds / minRealS).toFixed(2)}`,
  );
  console.log(
    `deferrals (rate budget, not attempts): ${lim.deferrals}; duplicates ${lim.duplicates}; missing ${lim.missing}; ` +
      `silently dropped ${lim.dropped}; resends absorbed by duplicate check ${free.resends + lim.resends}`,
  );
  const w = await measureWindows({
    perChannel: 400,
    recipients: 20,
    minDelayMs: 50,
    maxDelayMs: 300,
    batch: 20,
    pollMs: 1000,
  });
  for (const ch of ["wecom_app", "wecom_appchat", "wecom_robot"] as const)
    console.log(
      `at-least-once window ${ch} (accepted by WeCom → mark-sent committed; batch 20, poll 1 s, answers after 50–300 ms): ` +
        `p50 ${w.p50[ch]} ms, p99 ${w.p99[ch]} ms, max ${w.max[ch]} ms`,
    );
  if (free.duplicates + lim.duplicates + free.dropped + lim.dropped + free.missing + lim.missing > 0)
    console.log("FAIL: duplicates, missing or dropped messages are not 0");
  // bench/main.ts prints these as the JSON object on the last line with --json
  return {
    nullSenderPerSec: Math.round(base.sent / base.seconds),
    unthrottledPerSec: Math.round(free.sent / free.seconds),
    limitedRatio: Number((lim.seconds / minRealS).toFixed(3)),
    duplicates: free.duplicates + lim.duplicates,
    missing: free.missing + lim.missing,
    dropped: free.dropped + lim.dropped,
    appWindowP99Ms: w.p99.wecom_app,
    appchatWindowP99Ms: w.p99.wecom_appchat,
    robotWindowP99Ms: w.p99.wecom_robot,
    windowMaxMs: Math.max(...Object.values(w.max)),
  };
}

/** A clock running `scale` times faster than real time from now on. */
function scaledClock(scale: number): Clock {
  const t0 = Date.now();
  return { now: () => new Date(t0 + (Date.now() - t0) * scale), rate: scale };
}

async function phase(o: {
  messages: number;
  members: number;
  batch: number;
  limits: boolean;
  clock: Clock;
  /** Baseline: no HTTP, the sender reports success at once. */
  noop?: boolean;
}): Promise<PhaseResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-bench-fanout-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await applyMigrations(url);
  const store: Store = await openStore(url);
  const fake = await new FakeWecomServer({
    now: () => o.clock.now().getTime(),
    limits: o.limits ? { appPerMember: 30, appchatPerMember: 200, robot: 20 } : false,
  }).start();
  try {
    const outbox = new Outbox(store, o.clock);
    const rows = Array.from({ length: o.messages }, (_, i) => ({
      idempotencyKey: `fanout:${i}`,
      channel: "wecom_app",
      recipient: `member${String(i % o.members).padStart(3, "0")}`,
      msgType: "text",
      payload: JSON.stringify({ content: `经开区培育提醒 #${i}：请于4月22日前报送一季度数据。` }),
      purpose: "reminder",
      nextAttemptAt: o.clock.now(),
    }));
    for (let i = 0; i < rows.length; i += 500)
      await store.db.outboundMessage.createMany({ data: rows.slice(i, i + 500) });
    const logger = createLogger("silent");
    const client = new WecomClient({
      baseUrl: fake.url,
      app: APP,
      clock: o.clock,
      duplicateCheckIntervalS: 240,
    });
    const senders = createWecomSenders({
      client,
      clock: o.clock,
      logger,
      robotKeys: {},
      rateLimits: o.limits ? WECOM_RATE_LIMITS : false,
    });
    let deferrals = 0;
    // when the last message was accepted (the fake WeCom answered it), timed exactly rather than by the poll below
    let lastSentAt = 0;
    let accepted = 0;
    const counting = {
      send: async (row: Parameters<NonNullable<typeof senders.wecom_app>["send"]>[0]) => {
        if (o.noop) {
          lastSentAt = performance.now();
          accepted++;
          return { kind: "sent" as const };
        }
        const r = await senders.wecom_app!.send(row);
        if (r.kind === "defer") deferrals++;
        if (r.kind === "sent") {
          lastSentAt = performance.now();
          accepted++;
        }
        return r;
      },
    };
    const dispatcher = new OutboxDispatcher({
      outbox,
      senders: { wecom_app: counting },
      clock: o.clock,
      logger,
      instanceId: "bench",
      batch: o.batch,
      maxAttempts: 8,
      leaseMs: 3_600_000,
      pollMs: 5,
    });
    const t0 = performance.now();
    dispatcher.start();
    // the store is asked only now and then (its queries would take CPU from the dispatcher)
    for (let polls = 1; ; polls++) {
      await new Promise((r) => setTimeout(r, 50));
      if (accepted >= o.messages) {
        const sent = await store.db.outboundMessage.count({ where: { status: "sent" } });
        if (sent >= o.messages) break;
      }
      if (polls % 10 === 0) {
        const failed = await store.db.outboundMessage.count({ where: { status: "failed" } });
        if (failed > 0) throw new Error(`${failed} messages failed`);
      }
    }
    const seconds = (lastSentAt - t0) / 1000;
    await dispatcher.stop();
    const contents = o.noop ? rows.map((r) => r.payload) : fake.delivered.map((d) => d.content);
    return {
      seconds,
      sent: o.messages,
      delivered: contents.length,
      duplicates: contents.length - new Set(contents).size,
      missing: o.messages - new Set(contents).size,
      resends: fake.suppressed.length,
      dropped: fake.dropped.length,
      deferrals,
    };
  } finally {
    await fake.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function intArg(args: string[], name: string, def: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: expected a positive integer`);
  return v;
}
