// A synthetic programme in memory for the benches that render at national scale (circular, web-board):
// `zones` foreign-trade zones in prefectures of 60, targets drawn from a seeded LCG, 90 % of the zones
// reported, so every run measures the same data.
import type { GroupCode } from "../src/domain/codes.js";
import { Decimal } from "../src/domain/decimal.js";
import type { Quarter } from "../src/domain/period.js";
import { type Programme, programmeSettingsSchema } from "../src/programme/programme.js";
import type { ConfirmedReport } from "../src/reports/confirmed-reports.js";

const FT: GroupCode[] = ["foreign_trade"];

/** Deterministic pseudo-random numbers (LCG), so every run measures the same data. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function synthetic(zones: number): { programme: Programme; reports: ConfirmedReport[] } {
  const rnd = lcg(zones);
  const prefectures = Array.from({ length: Math.max(1, Math.ceil(zones / 60)) }, (_, i) => ({
    code: String(1000 + i),
    name: `第${i + 1}市`,
    shortName: `市${i + 1}`,
    sortOrder: i,
  }));
  const zoneDefs = Array.from({ length: zones }, (_, i) => ({
    id: `Z${String(i).padStart(5, "0")}`,
    name: `第${i + 1}经开区`,
    shortName: `区${i + 1}`,
    aliases: [],
    prefectureCode: prefectures[i % prefectures.length]!.code,
    groups: FT,
  }));
  const quotas = { projects: "10", trips: "15", entities: "5", trainings: "5" };
  const targets = zoneDefs.flatMap((z) => [
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
    ].map((i, n) => ({ ...i, aliases: [], cumulative: true, required: n === 0, sortOrder: n })),
    prefectures,
    zones: zoneDefs,
    targets: [
      { scope: "group", groupCode: "foreign_trade", indicatorKey: "trade_total", value: total },
      ...targets,
    ],
    settings: programmeSettingsSchema.parse({}),
  };
  const reports: ConfirmedReport[] = zoneDefs
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
