// The callback bench's open-loop client (bench/callback.ts), run in a worker thread: like WeCom,
// the client is not the server's process — its requests, fetch's buffers and their garbage live
// in another heap, so its GC pauses and its CPU do not land on the server's event loop. It posts
// with node:http over kept-alive sockets: fetch (undici) cost the client several times the CPU per
// request, and its own lateness was most of the tail it measured.
// (The leading underscore keeps bench/main.ts from listing this file as a bench of its own.)
import http from "node:http";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { encryptedPost, textMessageXml } from "../test/support/wecom-callbacks.js";

export interface OpenLoopJob {
  url: string;
  rate: number;
  requests: number;
  /** First WeCom MsgId to use (each request has its own). */
  firstMsgId: string;
}

export interface OpenLoopResult {
  latenciesMs: number[];
  /** from the moment the request was actually handed to fetch (the client's own lateness left out) */
  sentLatenciesMs: number[];
  failures: number;
  seconds: number;
  /** the client's own stalls: its event-loop delay (max) and GC pauses (max) */
  clientLoopDelayMaxMs: number;
  clientGcMaxMs: number;
  /** how late the client sent, at worst (ms after the scheduled time) */
  clientLateMaxMs: number;
}

async function main(job: OpenLoopJob): Promise<OpenLoopResult> {
  let seq = BigInt(job.firstMsgId);
  const reqs = Array.from({ length: job.requests }, () =>
    encryptedPost(
      textMessageXml({
        from: "qn_li",
        content: "惠水经开区 进出口累计3.2亿元，包装招商项目3个",
        msgId: String(seq++),
      }),
    ),
  );
  const latenciesMs: number[] = [];
  const sentLatenciesMs: number[] = [];
  let failures = 0;
  let lateMax = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let gcMax = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration);
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  loop.enable();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const due = t0 + (i * 1000) / job.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const r = reqs[i]!;
    // latency from the scheduled send time: includes any delay of the sender itself
    const sent = performance.now();
    lateMax = Math.max(lateMax, sent - due);
    pending.push(
      post(agent, job.url + r.path, r.body).then(
        (status) => {
          const end = performance.now();
          latenciesMs.push(end - due);
          sentLatenciesMs.push(end - sent);
          if (status !== 200) failures++;
        },
        () => {
          failures++;
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  loop.disable();
  gcObserver.disconnect();
  return {
    latenciesMs,
    sentLatenciesMs,
    failures,
    seconds: (performance.now() - t0) / 1000,
    clientLoopDelayMaxMs: loop.max / 1e6,
    clientGcMaxMs: gcMax,
    clientLateMaxMs: lateMax,
  };
}

/** POSTs a body and resolves with the status once the whole answer has arrived. */
function post(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "text/xml", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

if (parentPort) {
  const port = parentPort;
  main(workerData as OpenLoopJob).then(
    (r) => port.postMessage({ ok: true, result: r }),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.stack : String(e) }),
  );
}
