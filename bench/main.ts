// `npm run bench -- <name> [args] [--json]` runs bench/<name>.ts; with no name, lists them.
// A bench module exports `run(args)`; it prints its figures for people and returns the key figures as
// numbers (rates per second, times in ms). With `--json` this file prints them as one JSON object on
// the last line of stdout (`{"bench": "<name>", ...figures}`), for scripts and CI to compare runs.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** What a bench's run() may return: named figures (numbers), printed as JSON with --json. */
export type BenchFigures = Record<string, number>;

const dir = path.dirname(fileURLToPath(import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "main.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join("|")}> [args] [--json]`);
  process.exit(name ? 2 : 0);
}
const json = rest.includes("--json");
const args = rest.filter((a) => a !== "--json");
const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as {
  run(args: string[]): Promise<BenchFigures | undefined>;
};
const figures = (await mod.run(args)) ?? {};
if (json) {
  for (const [k, v] of Object.entries(figures))
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new Error(`bench ${name}: figure ${k} is not a number`);
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}
