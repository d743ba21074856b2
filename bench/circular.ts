// `npm run bench -- circular [zones…] [--json]`: assess and render a national-scale circular (default
// 2 000 and 20 000 zones; synthetic programme in memory) — markdown, xlsx and docx; the docx's charts
// (at most 40 bars whatever the zones: a constant cost, mostly the CJK font parsed by resvg) are
// timed on their own as chartsMs and not counted in totalMs —
// against a tenth of the smallest size measured first in the same process. Targets: 2 000 zones in
// < 2 s, 20 000 zones in < 20 s with RSS < 500 MB, time growing linearly with the zones.
// --json figures are those of the largest size (zones, totalMs, docxMs, xlsxMs, markdownMs, rssMb,
// assessMs, chartsMs) and the same with "At<zones>" for each other size.
import { performance } from "node:perf_hooks";
import { assessPeriod } from "../src/assessment/assess-period.js";
import type { AssessmentModel } from "../src/assessment/assessment-model.js";
import { figuresHash } from "../src/assessment/figures-hash.js";
import { loadCircularPhrases } from "../src/circulars/circular-phrases.js";
import { buildCircularView } from "../src/circulars/circular-view.js";
import { circularDocxFigures } from "../src/circulars/render-circular.js";
import { renderCircularDocx } from "../src/circulars/render-docx.js";
import { renderCircularMarkdown } from "../src/circulars/render-markdown.js";
import { renderCircularXlsx } from "../src/circulars/render-xlsx.js";
import { synthetic } from "./_synthetic-programme.js";
import type { BenchFigures } from "./main.js";

const META = { number: 1, docNumber: "黔商函〔2023〕1号", issuer: "贵州省商务厅经开区培育工作专班" };

async function time<T>(f: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await f();
  return { ms: performance.now() - t0, result };
}

/** Peak resident set size of this process so far, in MB (Linux reports maxRSS in KB). */
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

interface Row {
  zones: number;
  assessMs: number;
  markdownMs: number;
  xlsxMs: number;
  docxMs: number;
  chartsMs: number;
  totalMs: number;
  rssMb: number;
  sizes: string;
}

async function measure(zones: number): Promise<Row> {
  const { programme, reports } = synthetic(zones);
  const period = { year: 2023, quarter: 2 as const };
  const builtAt = new Date("2023-07-20T02:00:00Z");
  const phrases = loadCircularPhrases();
  const assess = await time(() => {
    const m = assessPeriod({ programme, period, reports, builtAt });
    figuresHash(m);
    return m;
  });
  const m: AssessmentModel = assess.result;
  const md = await time(() => renderCircularMarkdown(buildCircularView(m, META, phrases)));
  const xlsx = await time(() => renderCircularXlsx(m, META, phrases, builtAt));
  const charts = await time(() => circularDocxFigures(m));
  const figures = charts.result.figures;
  const docx = await time(async () => {
    const view = buildCircularView(m, META, phrases);
    return renderCircularDocx(
      m,
      view,
      phrases,
      { title: "通报", issuer: META.issuer, printedOn: "2023年7月20日" },
      undefined,
      figures,
    );
  });
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  return {
    zones,
    assessMs: assess.ms,
    markdownMs: md.ms,
    xlsxMs: xlsx.ms,
    docxMs: docx.ms,
    chartsMs: charts.ms,
    totalMs: md.ms + xlsx.ms + docx.ms,
    rssMb: peakRssMb(),
    sizes: `md ${kb(Buffer.byteLength(md.result.markdown))} (${md.result.robotParts.length}/${md.result.appParts.length} parts), xlsx ${kb(xlsx.result.length)}, docx ${kb(docx.result.length)}`,
  };
}

const TARGET_MS: Record<number, number> = { 2000: 2000, 20000: 20000 };

export async function run(args: string[]): Promise<BenchFigures> {
  const sizes = (args.length ? args : ["2000", "20000"]).map(Number).sort((a, b) => a - b);
  for (const z of sizes)
    if (!Number.isInteger(z) || z < 10)
      throw new Error(`zones must be integers ≥ 10 (got "${args.join(" ")}")`);
  const baseline = Math.max(10, Math.round(sizes[0]! / 10));
  console.log(
    `circular bench: ${baseline} zones (baseline, after a warm-up) then ${sizes.join(", ")} zones; Q2, 90 % reported; all three outputs, docx with its charts`,
  );
  await measure(baseline); // warm-up: module loading, JIT, the chart font
  const rows = [await measure(baseline)];
  for (const z of sizes) rows.push(await measure(z));
  const f = (ms: number) => `${ms.toFixed(0).padStart(8)} ms`;
  console.log(
    `${"zones".padStart(6)} ${"assess+hash".padStart(11)} ${"markdown".padStart(11)} ${"xlsx".padStart(11)} ${"docx".padStart(11)} ${"3 outputs".padStart(11)} ${"peak RSS".padStart(9)} ${"charts".padStart(11)}  target`,
  );
  for (const r of rows) {
    const target = TARGET_MS[r.zones];
    const verdict =
      target === undefined
        ? ""
        : `< ${target / 1000} s${r.zones >= 20000 ? ", < 500 MB" : ""}: ${r.totalMs < target && (r.zones < 20000 || r.rssMb < 500) ? "met" : "MISSED"}`;
    console.log(
      `${String(r.zones).padStart(6)} ${f(r.assessMs)} ${f(r.markdownMs)} ${f(r.xlsxMs)} ${f(r.docxMs)} ${f(r.totalMs)} ${`${r.rssMb.toFixed(0)} MB`.padStart(9)} ${f(r.chartsMs)}  ${verdict}   ${r.sizes}`,
    );
  }
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    const x = (k: keyof Row) => ((b[k] as number) / (a[k] as number)).toFixed(1);
    console.log(
      `×${(b.zones / a.zones).toFixed(0)} zones (${a.zones} → ${b.zones}): markdown ×${x("markdownMs")}, xlsx ×${x("xlsxMs")}, docx ×${x("docxMs")}, 3 outputs ×${x("totalMs")}`,
    );
  }
  const figures: BenchFigures = {};
  const big = rows.at(-1)!;
  const keys = [
    "zones",
    "totalMs",
    "docxMs",
    "xlsxMs",
    "markdownMs",
    "rssMb",
    "assessMs",
    "chartsMs",
  ] as const;
  for (const k of keys) figures[k] = Math.round(big[k] * 10) / 10;
  for (const r of rows.slice(0, -1))
    for (const k of keys.slice(1)) figures[`${k}At${r.zones}`] = Math.round(r[k] * 10) / 10;
  return figures;
}
