// `npm run bench -- circular [zones]`: assess and render a national-scale circular (default 2 000 zones,
// synthetic programme in memory), against a tenth of the zones measured in the same process.
import { performance } from "node:perf_hooks";
import { assessPeriod } from "../src/assessment/assess-period.js";
import type { AssessmentModel } from "../src/assessment/assessment-model.js";
import { figuresHash } from "../src/assessment/figures-hash.js";
import { loadCircularPhrases } from "../src/circulars/circular-phrases.js";
import { buildCircularView } from "../src/circulars/circular-view.js";
import { renderCircularDocx } from "../src/circulars/render-docx.js";
import { renderCircularMarkdown } from "../src/circulars/render-markdown.js";
import { renderCircularXlsx } from "../src/circulars/render-xlsx.js";
import type { GroupCode } from "../src/domain/codes.js";
import { Decimal } from "../src/domain/decimal.js";
import type { Quarter } from "../src/domain/period.js";
import { type Programme, programmeSettingsSchema } from "../src/programme/programme.js";
import type { ConfirmedReport } from "../src/reports/confirmed-reports.js";

const FT: GroupCode[] = ["foreign_trade"];
const META = { number: 1, docNumber: "黔商函〔2023〕1号", issuer: "贵州省商务厅经开区培育工作专班" };

/** Deterministic pseudo-random numbers (LCG), so every run measures the same data. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function synthetic(zones: number): { programme: Programme; reports: ConfirmedReport[] } {
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

async function time<T>(f: () => Promise<T> | T, repeat: number): Promise<{ ms: number; result: T }> {
  let result = await f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) result = await f();
  return { ms: (performance.now() - t0) / repeat, result };
}

interface Row {
  zones: number;
  assess: number;
  markdown: number;
  xlsx: number;
  docx: number;
  total: number;
  sizes: string;
}

async function measure(zones: number, repeat: number): Promise<Row> {
  const { programme, reports } = synthetic(zones);
  const period = { year: 2023, quarter: 2 as const };
  const builtAt = new Date("2023-07-20T02:00:00Z");
  const phrases = loadCircularPhrases();
  const assess = await time(() => {
    const m = assessPeriod({ programme, period, reports, builtAt });
    figuresHash(m);
    return m;
  }, repeat);
  const m: AssessmentModel = assess.result;
  const view = buildCircularView(m, META, phrases);
  const md = await time(() => renderCircularMarkdown(buildCircularView(m, META, phrases)), repeat);
  const xlsx = await time(() => renderCircularXlsx(m, META, phrases, builtAt), repeat);
  const docx = await time(
    () => renderCircularDocx(m, view, phrases, { title: "通报", issuer: META.issuer }),
    repeat,
  );
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  return {
    zones,
    assess: assess.ms,
    markdown: md.ms,
    xlsx: xlsx.ms,
    docx: docx.ms,
    total: assess.ms + md.ms + xlsx.ms + docx.ms,
    sizes: `md ${kb(Buffer.byteLength(md.result.markdown))} (${md.result.robotParts.length}/${md.result.appParts.length} parts), xlsx ${kb(xlsx.result.length)}, docx ${kb(docx.result.length)}`,
  };
}

export async function run(args: string[]): Promise<void> {
  const zones = Number(args[0] ?? 2000);
  if (!Number.isInteger(zones) || zones < 10)
    throw new Error(`zones must be an integer ≥ 10 (got "${args[0]}")`);
  const baseline = Math.max(10, Math.round(zones / 10));
  console.log(`circular bench: ${baseline} zones (baseline) vs ${zones} zones, Q2, 90 % reported`);
  const rows = [await measure(baseline, 5), await measure(zones, 3)];
  const f = (ms: number) => `${ms.toFixed(1).padStart(9)} ms`;
  console.log(
    `${"zones".padStart(6)} ${"assess+hash".padStart(12)} ${"markdown".padStart(12)} ${"xlsx".padStart(12)} ${"docx".padStart(12)} ${"all".padStart(12)}`,
  );
  for (const r of rows) {
    console.log(
      `${String(r.zones).padStart(6)} ${f(r.assess)} ${f(r.markdown)} ${f(r.xlsx)} ${f(r.docx)} ${f(r.total)}   ${r.sizes}`,
    );
  }
  const [small, big] = rows as [Row, Row];
  const ratio = (a: number, b: number) => (a / b).toFixed(1);
  console.log(
    `scaling ×${zones / baseline} zones → assess ×${ratio(big.assess, small.assess)}, markdown ×${ratio(big.markdown, small.markdown)}, ` +
      `xlsx ×${ratio(big.xlsx, small.xlsx)}, docx ×${ratio(big.docx, small.docx)}, all ×${ratio(big.total, small.total)}`,
  );
  console.log(
    `at ${zones} zones the assessment is ${((big.assess / big.total) * 100).toFixed(1)} % of assess+render`,
  );
}
