// `npm run bench -- web-board [zones (2000)] [--json]`: the quarter board rendered on the server
// for a synthetic programme in memory, as the route does after its store reads, against a tenth of
// the zones measured in the same process. Target: < 300 ms for 2 000 zones.
// - cold: a new revision arrived (new cache key): assessment → board view → two ECharts SVGs → HTML;
// - warm: nothing changed since the last view (the usual reload): fingerprint of the revisions →
//   cached assessment and SVGs → board rows → HTML.
// - route: the same through GET /web/board on a temporary SQLite store, store reads included
//   (bench/_web-board-route.ts).
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Eta } from "eta";
import { BoardCache } from "../bot/web/board-cache.js";
import { buildBoard } from "../bot/web/board-view.js";
import { viewHelpers } from "../bot/web/view-helpers.js";
import { userOf } from "../bot/web/web-user.js";
import { synthetic } from "./_synthetic-programme.js";
import { measureRoute } from "./_web-board-route.js";
import type { BenchFigures } from "./main.js";

const views = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../templates/web");
const eta = new Eta({ views, cache: true, autoEscape: true, autoTrim: false });
const user = userOf(
  {
    id: "TF",
    name: "基准",
    role: "task_force",
    prefectureCode: null,
    identities: {},
    active: true,
  },
  "s".repeat(43),
  "c".repeat(43),
);

/** Everything the board route does after its store reads: assess, build the view and charts, render HTML. */
function renderBoard(input: ReturnType<typeof synthetic>, cache: BoardCache): string {
  const model = cache.model(
    input.programme,
    { year: 2023, quarter: 2 },
    input.reports,
    new Date("2023-07-20T02:00:00Z"),
  );
  const board = buildBoard(model, {}, user, "2023-07-20", { cache });
  return eta.render("board", {
    ...viewHelpers,
    user,
    title: "季度看板",
    nav: "board",
    board,
    periods: ["2023Q2"],
    period: "2023Q2",
    exportQuery: "period=2023Q2",
  });
}

interface Measured {
  zones: number;
  coldMs: number;
  warmMs: number;
  bytes: number;
}

/** cold: a fresh cache every time (a new revision is a new key); warm: the same cache again. */
function measure(n: number, repeat: number): Measured {
  const input = synthetic(n);
  renderBoard(input, new BoardCache()); // warm-up (template compile, ECharts init, JIT)
  let t0 = performance.now();
  for (let i = 0; i < repeat; i++) renderBoard(input, new BoardCache());
  const coldMs = (performance.now() - t0) / repeat;
  const cache = new BoardCache();
  let html = renderBoard(input, cache);
  t0 = performance.now();
  for (let i = 0; i < repeat; i++) html = renderBoard(input, cache);
  const warmMs = (performance.now() - t0) / repeat;
  if (cache.misses !== 1) throw new Error(`warm renders missed the cache: ${cache.misses}`);
  return { zones: n, coldMs, warmMs, bytes: Buffer.byteLength(html) };
}

const r1 = (x: number) => Number(x.toFixed(1));

export async function run(args: string[]): Promise<BenchFigures> {
  const zones = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
  const baseline = measure(Math.max(1, Math.round(zones / 10)), 10);
  const full = measure(zones, 5);
  const ms = r1(full.coldMs);
  const warmMs = r1(full.warmMs);
  const ratioToBaseline = Number((full.coldMs / baseline.coldMs).toFixed(2));
  const route = await measureRoute(zones, 5);
  console.log(
    `看板 ${zones} 个经开区：新数据 ${ms} ms/次，数据未变（缓存）${warmMs} ms/次，HTML ${(full.bytes / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `基线 ${baseline.zones} 个：新数据 ${r1(baseline.coldMs)} ms，缓存 ${r1(baseline.warmMs)} ms；比值 ${ratioToBaseline}（目标 < 300 ms：新数据${full.coldMs < 300 ? "达到" : "未达到"}，缓存${full.warmMs < 300 ? "达到" : "未达到"}）`,
  );
  console.log(
    `经 GET /web/board（SQLite，含读库）：新数据 ${r1(route.routeMs)} ms/次，数据未变 ${r1(route.routeWarmMs)} ms/次（目标 < 300 ms：${route.routeMs < 300 ? "达到" : "未达到"}）`,
  );
  // numbers only: bench/main.ts prints them as the JSON line with --json
  return {
    zones,
    ms,
    warmMs,
    htmlBytes: full.bytes,
    baselineZones: baseline.zones,
    baselineMs: r1(baseline.coldMs),
    baselineWarmMs: r1(baseline.warmMs),
    ratioToBaseline,
    targetMs: 300,
    withinTarget: full.coldMs < 300 ? 1 : 0,
    warmWithinTarget: full.warmMs < 300 ? 1 : 0,
    routeMs: r1(route.routeMs),
    routeWarmMs: r1(route.routeWarmMs),
    routeWithinTarget: route.routeMs < 300 ? 1 : 0,
  };
}
