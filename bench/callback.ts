// `npm run bench -- callback [--requests N] [--concurrency C] [--rate R (200)] [--seconds S (5)]`
// Encrypted WeCom callbacks over loopback: the real server with the production wiring (all checks,
// XML, replay guard, dedupe, the message stored in the database before the 200, background hand-off)
// against a bare Fastify route that only verifies the signature and decrypts. Closed loop
// (C concurrent clients, in this process) for throughput; then an open loop at R requests/s for the
// real server's p99, its client in a worker thread (bench/_open-loop-worker.ts), with the stalls of
// both threads and the machine's CPU steal printed beside it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { decrypt, getSignature } from "@wecom/crypto";
import Fastify from "fastify";
import { acceptInbound } from "../bot/inbound/inbound-store.js";
import { createHttpServer } from "../bot/server/create-server.js";
import { openStore } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createLogger } from "../src/log/logger.js";
import { Outbox } from "../src/outbox/outbox.js";
import { systemClock } from "../src/time/clock.js";
import {
  CALLBACK,
  type CallbackRequest,
  encryptedPost,
  textMessageXml,
} from "../test/support/wecom-callbacks.js";
import { cpuTimes, stealPercentSince } from "./_cpu-steal.js";
import type { OpenLoopJob, OpenLoopResult } from "./_open-loop-worker.js";

interface Result {
  name: string;
  requests: number;
  seconds: number;
  latenciesMs: number[];
  failures: number;
}

export async function run(args: string[]): Promise<Record<string, number>> {
  const rate = intArg(args, "--rate", 200);
  const openSeconds = intArg(args, "--seconds", 5);
  const requests = intArg(args, "--requests", 3000);
  const concurrency = intArg(args, "--concurrency", 16);
  const warmup = Math.min(300, requests);
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-bench-callback-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await applyMigrations(url);
  const store = await openStore(url);
  let handled = 0;
  const real = createHttpServer({
    logger: createLogger("silent"),
    clock: systemClock,
    bodyLimitBytes: 65_536,
    health: { store, outbox: new Outbox(store, systemClock) },
    wecom: {
      token: CALLBACK.token,
      encodingAESKey: CALLBACK.encodingAESKey,
      corpId: CALLBACK.corpId,
      replayWindowS: 300,
      // as bot/compose.ts wires it: stored before the 200 (WeCom does not redeliver after it)
      accept: (e) => acceptInbound(store.db, e),
      onEvent: async () => {
        handled++;
      },
    },
  });
  // the server's own time per request (arrival of the request → its answer sent), during the open loop
  const serverSide = { on: false, ms: [] as number[] };
  const arrived = new WeakMap<object, number>();
  real.fastify.addHook("onRequest", async (req) => {
    if (serverSide.on) arrived.set(req, performance.now());
  });
  real.fastify.addHook("onResponse", async (req) => {
    const t = arrived.get(req);
    if (t !== undefined) serverSide.ms.push(performance.now() - t);
  });
  const bare = Fastify({ logger: false });
  bare.addContentTypeParser("text/xml", { parseAs: "string" }, (_r, body, done) => done(null, body));
  bare.post<{ Querystring: Record<string, string> }>("/wecom/callback", async (req, reply) => {
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(String(req.body))?.[1] ?? "";
    const q = req.query;
    if (getSignature(CALLBACK.token, q.timestamp!, q.nonce!, encrypt) !== q.msg_signature)
      return reply.code(401).send("");
    decrypt(CALLBACK.encodingAESKey, encrypt);
    return reply.code(200).send("");
  });
  try {
    const realUrl = await real.listen("127.0.0.1", 0);
    const bareUrl = await bare.listen({ host: "127.0.0.1", port: 0 });
    let seq = 9_000_000_000_000_000_000n;
    const build = (n: number) =>
      Array.from({ length: n }, () =>
        encryptedPost(
          textMessageXml({
            from: "qn_li",
            content: "惠水经开区 进出口累计3.2亿元，包装招商项目3个",
            msgId: String(seq++),
          }),
        ),
      );
    console.log(
      `callback bench: ${requests} requests per server in 6 alternating rounds after ${warmup} warm-up, concurrency ${concurrency}, loopback (the closed-loop clients run in this process, the open-loop client in a worker thread)`,
    );
    // alternate warm-up so neither side profits from a warmer JIT
    await load("warm", bareUrl, build(warmup), concurrency);
    await load("warm", realUrl, build(warmup), concurrency);
    // alternating rounds, so that load from elsewhere on the machine hits both sides alike
    const rounds = 6;
    const per = Math.ceil(requests / rounds);
    const b: Result = { name: "bare verify+decrypt", requests: 0, seconds: 0, latenciesMs: [], failures: 0 };
    const r: Result = { name: "kaiqu server", requests: 0, seconds: 0, latenciesMs: [], failures: 0 };
    for (let i = 0; i < rounds; i++) {
      for (const [acc, base] of (i % 2 === 0
        ? [
            [b, bareUrl],
            [r, realUrl],
          ]
        : [
            [r, realUrl],
            [b, bareUrl],
          ]) as [Result, string][]) {
        const x = await load(acc.name, base, build(per), concurrency);
        acc.requests += x.requests;
        acc.seconds += x.seconds;
        acc.latenciesMs.push(...x.latenciesMs);
        acc.failures += x.failures;
      }
    }
    await real.inFlight.drain();
    for (const x of [b, r]) print(x);
    const tb = b.requests / b.seconds;
    const tr = r.requests / r.seconds;
    console.log(
      `ratio kaiqu/bare throughput: ${(tr / tb).toFixed(2)}  (p50 latency ratio ${(pct(r.latenciesMs, 50) / pct(b.latenciesMs, 50)).toFixed(2)})`,
    );
    serverSide.on = true;
    const open = await openLoop(realUrl, rate * openSeconds, rate, seq);
    serverSide.on = false;
    await real.inFlight.drain();
    console.log(
      `open loop at ${rate} req/s for ${openSeconds} s (kaiqu server): p50 ${pct(open.latenciesMs, 50).toFixed(2)} ms, p99 ${pct(open.latenciesMs, 99).toFixed(2)} ms, failures ${open.failures}`,
    );
    console.log(
      `  inside the server (request arrived → answer sent): p50 ${pct(serverSide.ms, 50).toFixed(2)} ms, p99 ${pct(serverSide.ms, 99).toFixed(2)} ms, max ${Math.max(...serverSide.ms).toFixed(1)} ms`,
    );
    const st = open.stalls;
    console.log(
      `  meanwhile in this process: event-loop delay p99 ${st.loopDelayP99Ms.toFixed(1)} ms, max ${st.loopDelayMaxMs.toFixed(1)} ms; ` +
        `GC pauses max ${st.gcMaxMs.toFixed(1)} ms, total ${st.gcTotalMs.toFixed(0)} ms; ` +
        `the machine: ${Number.isNaN(st.stealPercent) ? "steal unknown" : `${st.stealPercent.toFixed(1)} % of its CPU time stolen by the hypervisor`}`,
    );
    const stored = await store.db.inboundMessage.count();
    console.log(
      `events handed to the inbound handler: ${handled} (expected ${r.requests + warmup + open.requests}); rows stored ${stored}`,
    );
    if (b.failures + r.failures + open.failures > 0)
      console.log(`FAILURES: bare ${b.failures}, kaiqu ${r.failures}, open loop ${open.failures}`);
    return {
      barePerSec: tb,
      serverPerSec: tr,
      serverRatio: tr / tb,
      serverP99Ms: pct(open.latenciesMs, 99),
      serverP50Ms: pct(open.latenciesMs, 50),
      serverInsideP99Ms: pct(serverSide.ms, 99),
      openLoopDelayMaxMs: open.stalls.loopDelayMaxMs,
      openGcMaxMs: open.stalls.gcMaxMs,
      ...(Number.isFinite(open.stalls.stealPercent) ? { openStealPercent: open.stalls.stealPercent } : {}),
      failures: b.failures + r.failures + open.failures,
    };
  } finally {
    await real.close(5_000);
    await bare.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What stalled this process during the open loop: the event loop's delay (the load generator and the
 * server share it) and the garbage collector's pauses — to tell a slow request from a stalled process
 * or a busy machine (neither stalled, yet slow).
 */
export interface Stalls {
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcMaxMs: number;
  gcTotalMs: number;
  /** CPU time the hypervisor gave to other guests meanwhile, % (NaN where unknown) */
  stealPercent: number;
}

/**
 * Sends at a fixed rate regardless of answers (open loop), so a slow answer cannot hide queueing.
 * The client runs in a worker thread (bench/_open-loop-worker.ts): its requests and its garbage are
 * not the server's, as WeCom's are not; this thread only serves, and watches its own stalls.
 */
async function openLoop(
  base: string,
  requests: number,
  rate: number,
  firstMsgId: bigint,
): Promise<Result & { stalls: Stalls }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const gc = { max: 0, total: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.max = Math.max(gc.max, e.duration);
      gc.total += e.duration;
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  loop.enable();
  const cpu0 = cpuTimes();
  const job: OpenLoopJob = { url: base, rate, requests, firstMsgId: String(firstMsgId) };
  // the worker registers tsx's loader first, then loads the TypeScript client, as `npm run bench` does
  const client = new URL("./_open-loop-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(client)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  let result: OpenLoopResult;
  try {
    result = await new Promise<OpenLoopResult>((resolve, reject) => {
      worker.once("message", (m: { ok: true; result: OpenLoopResult } | { ok: false; error: string }) =>
        m.ok ? resolve(m.result) : reject(new Error(`open-loop client: ${m.error}`)),
      );
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`open-loop client exited (${code})`)));
    });
  } finally {
    loop.disable();
    gcObserver.disconnect();
    await worker.terminate();
  }
  const steal = stealPercentSince(cpu0);
  console.log(
    `  the client (worker thread): p99 from its actual send ${pct(result.sentLatenciesMs, 99).toFixed(2)} ms; sent late by up to ${result.clientLateMaxMs.toFixed(1)} ms; ` +
      `its event-loop delay max ${result.clientLoopDelayMaxMs.toFixed(1)} ms, GC pauses max ${result.clientGcMaxMs.toFixed(1)} ms`,
  );
  return {
    name: "open loop",
    requests,
    seconds: result.seconds,
    latenciesMs: result.latenciesMs,
    failures: result.failures,
    stalls: {
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
      gcMaxMs: gc.max,
      gcTotalMs: gc.total,
      stealPercent: steal ?? Number.NaN,
    },
  };
}

async function load(
  name: string,
  base: string,
  reqs: CallbackRequest[],
  concurrency: number,
): Promise<Result> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        const r = reqs[i];
        if (!r) return;
        const s = performance.now();
        const res = await fetch(base + r.path, {
          method: "POST",
          headers: { "content-type": "text/xml" },
          body: r.body,
        });
        await res.arrayBuffer();
        latenciesMs.push(performance.now() - s);
        if (res.status !== 200) failures++;
      }
    }),
  );
  return { name, requests: reqs.length, seconds: (performance.now() - t0) / 1000, latenciesMs, failures };
}

function print(r: Result): void {
  console.log(
    `${r.name.padEnd(20)} ${(r.requests / r.seconds).toFixed(0).padStart(6)} req/s   p50 ${pct(r.latenciesMs, 50).toFixed(2)} ms   p99 ${pct(r.latenciesMs, 99).toFixed(2)} ms`,
  );
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

function intArg(args: string[], name: string, def: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: expected a positive integer`);
  return v;
}
