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
import type { GroupCode } from "../src/domain/codes.js";
import { Decimal } from "../src/domain/decimal.js";
import type { Quarter } from "../src/domain/period.js";
import { type Programme, programmeSettingsSchema } from "../src/programme/programme.js";
import type { ConfirmedReport } from "../src/reports/confirmed-reports.js";

const FT: GroupCode[] = ["foreign_trade"];
const views = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../templates/web");
const eta = new Eta({ views, cache: true, autoEscape: true, autoTrim: false });
const user = userOf(
  {
    id: "TF",
    name: "基准",
    role: "task_force",
    prefectureCode: null,
    wecomUserId: null,
    wechatId: null,
    wechatAlias: null,
    active: true,
  },
  "s".repeat(43),
  "c".repeat(43),
);

function synthetic(n: number): { programme: Programme; reports: ConfirmedReport[] } {
  let s = n >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const prefectures = Array.from({ length: Math.max(1, Math.ceil(n / 60)) }, (_, i) => ({
    code: String(1000 + i),
    name: `第${i + 1}市`,
    shortName: `市${i + 1}`,
    sortOrder: i,
  }));
  const zones = Array.from({ length: n }, (_, i) => ({
    id: `Z${String(i).padStart(5, "0")}`,
    name: `第${i + 1}经开区`,
    shortName: `区${i + 1}`,
    aliases: [],
    prefectureCode: prefectures[i % prefectures.length]!.code,
    groups: FT,
  }));
  const quotas = { projects: "10", trips: "15", entities: "5", trainings: "5" };
  const targets = zones.flatMap((z) => [
    {
      scope: "zone" as const,
      zoneId: z.id,
      indicatorKey: "trade_total",
      value: Decimal.of(Math.round(20000 + rnd() * 200000)),
    },
    ...Object.entries(quotas).map(([k, v]) => ({
      scope: "zone" as const,
      zoneId: z.id,
      indicatorKey: k,
      value: Decimal.parse(v),
    })),
  ]);
  const total = Decimal.sum(targets.filter((t) => t.indicatorKey === "trade_total").map((t) => t.value));
  const programme: Programme = {
    year: 2023,
    title: "基准测试（合成数据）",
    isSample: true,
    quarters: [1, 2, 3, 4].map((q) => ({
      quarter: q as Quarter,
      deadline: "2023-07-15",
      expectedProgressPct: Decimal.of(q * 25),
    })),
    indicators: [
      { key: "trade_total", label: "进出口", unit: "万元", kind: "money" as const, groups: [] },
      { key: "trade_yoy", label: "进出口同比", unit: "%", kind: "percent" as const, groups: [] },
      { key: "projects", label: "包装招商项目", unit: "个", kind: "count" as const, groups: FT },
      { key: "trips", label: "赴外招商", unit: "次", kind: "count" as const, groups: FT },
      { key: "entities", label: "引进外贸市场主体", unit: "家", kind: "count" as const, groups: FT },
      { key: "trainings", label: "人才培训", unit: "场", kind: "count" as const, groups: FT },
    ].map((i, k) => ({ ...i, aliases: [], cumulative: true, required: k === 0, sortOrder: k })),
    prefectures,
    zones,
    targets: [
      { scope: "group", groupCode: "foreign_trade", indicatorKey: "trade_total", value: total },
      ...targets,
    ],
    settings: programmeSettingsSchema.parse({}),
  };
  const reports = zones
    .filter(() => rnd() < 0.9)
    .map((z, i) => ({
      zoneId: z.id,
      revisionId: i + 1,
      revisionNo: 1,
      values: {
        trade_total: (rnd() * 150000).toFixed(2),
        trade_yoy: (rnd() * 40 - 10).toFixed(1),
        projects: String(Math.floor(rnd() * 12)),
        trips: String(Math.floor(rnd() * 16)),
        entities: String(Math.floor(rnd() * 6)),
        trainings: String(Math.floor(rnd() * 6)),
      },
      late: rnd() < 0.1,
      contactId: "bench",
      channel: "console",
      confirmedAt: new Date("2023-07-10T02:00:00Z"),
    }));
  return { programme, reports };
}

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

export async function run(args: string[]): Promise<void> {
  const json = args.includes("--json");
  const zones = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
  const baseline = measure(Math.max(1, Math.round(zones / 10)), 10);
  const full = measure(zones, 5);
  const result = {
    bench: "web-board",
    zones,
    ms: Number(full.ms.toFixed(1)),
    htmlBytes: full.bytes,
    baseline: { zones: baseline.zones, ms: Number(baseline.ms.toFixed(1)) },
    ratioToBaseline: Number((full.ms / baseline.ms).toFixed(2)),
    targetMs: 300,
    withinTarget: full.ms < 300,
  };
  if (!json) {
    console.log(`看板 ${zones} 个经开区：${result.ms} ms/次，HTML ${(full.bytes / 1024).toFixed(0)} KiB`);
    console.log(
      `基线 ${baseline.zones} 个：${result.baseline.ms} ms；比值 ${result.ratioToBaseline}（目标 < 300 ms：${result.withinTarget ? "达到" : "未达到"}）`,
    );
  }
  console.log(JSON.stringify(result));
}
