// `npm run bench -- parse [--iterations N] [--warmup N] [--only <section>]`
// Replies per second for the parser alone over the reply corpus (test/fixtures/replies), against a baseline
// measured in the same process (normaliseText alone over the same texts). Sections run in order; add one by
// appending to SECTIONS (e.g. the whole pipeline: handle → revision stored). Both sides are warmed up
// with 20 passes (5 left the JIT unsettled: the later timed passes ran about twice as fast as the first).

import { normaliseText } from "../src/parsing/normalise-text.js";
import { parseReport } from "../src/parsing/parse-report.js";
import type { ParseContext } from "../src/parsing/parsed-report.js";
import { contextFor, loadReplyCases } from "../test/support/reply-fixtures.js";
import { pipelineSection } from "./_pipeline.js";
import type { BenchFigures } from "./main.js";

export interface BenchOptions {
  iterations: number;
  warmup: number;
}

/** One corpus reply with the context its fixture asks for. */
export interface BenchReply {
  name: string;
  text: string;
  ctx: ParseContext;
}

export interface BenchSection {
  name: string;
  /** Prints its figures and returns the key ones (merged into the bench's --json object). */
  run(replies: BenchReply[], opts: BenchOptions): Promise<BenchFigures>;
}

export const SECTIONS: BenchSection[] = [
  { name: "parser", run: parserSection },
  // ── second section (inbound helper): the whole pipeline, handle → revision stored — bench/_pipeline.ts
  pipelineSection,
];

export async function run(args: string[]): Promise<BenchFigures> {
  const opts: BenchOptions = {
    iterations: numberArg(args, "--iterations", 50),
    warmup: numberArg(args, "--warmup", 20),
  };
  const only = stringArg(args, "--only");
  const replies = loadReplyCases().map(({ case: c }) => ({ name: c.name, text: c.text, ctx: contextFor(c) }));
  const chars = replies.reduce((n, r) => n + r.text.length, 0);
  console.log(
    `corpus: ${replies.length} replies, ${chars} characters; ${opts.warmup} warm-up + ${opts.iterations} timed passes`,
  );
  const figures: BenchFigures = {};
  for (const section of SECTIONS) {
    if (only && section.name !== only) continue;
    console.log(`\n## ${section.name}`);
    Object.assign(figures, await section.run(replies, opts));
  }
  return figures;
}

async function parserSection(replies: BenchReply[], opts: BenchOptions): Promise<BenchFigures> {
  let sink = 0;
  const baseline = measureBoth(replies.length, opts, () => {
    for (const r of replies) sink += normaliseText(r.text).length;
  });
  const parser = measureBoth(replies.length, opts, () => {
    for (const r of replies) sink += parseReport(r.text, r.ctx).sections.length;
  });
  console.log(
    `baseline (normaliseText only): ${fmt(baseline.wall)} replies/s (${fmt(baseline.cpu)} per CPU s)`,
  );
  console.log(`parser (parseReport):          ${fmt(parser.wall)} replies/s (${fmt(parser.cpu)} per CPU s)`);
  console.log(
    `ratio parser/baseline:         ${(parser.wall / baseline.wall).toFixed(3)} (parser costs ${(baseline.wall / parser.wall).toFixed(1)}× the normalisation; per CPU s ${(parser.cpu / baseline.cpu).toFixed(3)})`,
  );
  console.log(`per reply:                     ${(1e6 / parser.wall).toFixed(1)} µs`);
  if (sink < 0) console.log(sink); // keeps the work observable
  return {
    parserPerSec: parser.wall,
    normalisePerSec: baseline.wall,
    // per CPU second of this process: steadier than wall time on a shared machine
    parserCpuPerSec: parser.cpu,
    normaliseCpuPerSec: baseline.cpu,
  };
}

/** Runs `pass` warm-up + timed times; returns items per second (each pass handles `items`). */
export function measure(items: number, opts: BenchOptions, pass: () => void): number {
  return measureBoth(items, opts, pass).wall;
}

/** Items per wall-clock second and per CPU second (user + system) of this process. */
function measureBoth(items: number, opts: BenchOptions, pass: () => void): { wall: number; cpu: number } {
  for (let i = 0; i < opts.warmup; i++) pass();
  const c0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < opts.iterations; i++) pass();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  return { wall: (items * opts.iterations) / seconds, cpu: (items * opts.iterations) / cpuSeconds };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function numberArg(args: string[], name: string, fallback: number): number {
  const v = stringArg(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${v}")`);
  return n;
}

function stringArg(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[i + 1];
}
