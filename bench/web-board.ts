// `npm run bench -- web-board [zones (2000)] [--json]`: the quarter board rendered on the server
// (assessment → board view with its two SVG charts → eta HTML) for a synthetic programme in memory,
// against a tenth of the zones measured in the same process. Target: < 300 ms for 2 000 zones.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Eta } from "eta";
import { buildBoard } from "../bot/web/board-view.js";
import { viewHelpers } from "../bot/web/view-helpers.js";
import { userOf } from "../bot/web/web-user.js";
import { assessPeriod } from "../src/assessment/assess-period.js";
import { synthetic } from "./_synthetic-programme.js";
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
function renderBoard(input: ReturnType<typeof synthetic>): string {
  const model = assessPeriod({
    ...input,
    period: { year: 2023, quarter: 2 },
    builtAt: new Date("2023-07-20T02:00:00Z"),
  });
  const board = buildBoard(model, {}, user, "2023-07-20");
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

function measure(n: number, repeat: number): { zones: number; ms: number; bytes: number } {
  const input = synthetic(n);
  let html = renderBoard(input); // warm-up (template compile, ECharts init)
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) html = renderBoard(input);
  return { zones: n, ms: (performance.now() - t0) / repeat, bytes: Buffer.byteLength(html) };
}

export async function run(args: string[]): Promise<BenchFigures> {
  const zones = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
  const baseline = measure(Math.max(1, Math.round(zones / 10)), 10);
  const full = measure(zones, 5);
  const ms = Number(full.ms.toFixed(1));
  const baselineMs = Number(baseline.ms.toFixed(1));
  const ratioToBaseline = Number((full.ms / baseline.ms).toFixed(2));
  console.log(`看板 ${zones} 个经开区：${ms} ms/次，HTML ${(full.bytes / 1024).toFixed(0)} KiB`);
  console.log(
    `基线 ${baseline.zones} 个：${baselineMs} ms；比值 ${ratioToBaseline}（目标 < 300 ms：${full.ms < 300 ? "达到" : "未达到"}）`,
  );
  // numbers only: bench/main.ts prints them as the JSON line with --json
  return {
    zones,
    ms,
    htmlBytes: full.bytes,
    baselineZones: baseline.zones,
    baselineMs,
    ratioToBaseline,
    targetMs: 300,
    withinTarget: full.ms < 300 ? 1 : 0,
  };
}
