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
import { synthetic } from "./_synthetic-programme.js";

const META = { number: 1, docNumber: "黔商函〔2023〕1号", issuer: "贵州省商务厅经开区培育工作专班" };

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
