// `npm run bench -- startup [--idle S (20)] [--cli-runs N (5)]`
// Start-up of the built program (run `npm run build` first; `npm ci` does it): the bot as `npm start`
// runs it (node dist/bot/main.js, console-only, fresh SQLite store) from process start to the first
// 200 of /healthz, and the resident memory of its whole process tree after S seconds idle; the CLI as
// `npm run kaiqu -- programme show` (node dist/bot/cli/main.js, median of N runs) against the
// baseline `node -e 0` measured in the same run.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BOT = path.join(ROOT, "dist/bot/main.js");
const CLI = path.join(ROOT, "dist/bot/cli/main.js");

export async function run(args: string[]): Promise<Record<string, number>> {
  const idleS = numArg(args, "--idle", 20);
  const cliRuns = numArg(args, "--cli-runs", 5);
  if (!existsSync(BOT) || !existsSync(CLI)) throw new Error("no build: run `npm run build` first");
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-bench-startup-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, "kaiqu.db")}`,
    LOG_LEVEL: "warn",
    SCHEDULER_ENABLED: "true",
  };
  for (const k of Object.keys(env)) if (k.startsWith("WECOM_") || k.startsWith("WECHATY_")) delete env[k];
  try {
    // a migrated, seeded store, as after the quick start's first command
    const seed = spawnSync(process.execPath, [CLI, "seed", "--sample"], { env, cwd: dir });
    if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);

    const node = median(Array.from({ length: cliRuns }, () => timeRun(["-e", "0"], env, dir)));
    const cli = median(Array.from({ length: cliRuns }, () => timeRun([CLI, "programme", "show"], env, dir)));

    const port = await freePort();
    const t0 = performance.now();
    const bot = spawn(process.execPath, [BOT], {
      env: { ...env, PORT: String(port) },
      cwd: dir,
      stdio: "ignore",
    });
    let readyMs = Number.NaN;
    try {
      for (;;) {
        if (bot.exitCode !== null) throw new Error(`bot exited with ${bot.exitCode}`);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
          .then((r) => r.status === 200)
          .catch(() => false);
        if (ok) {
          readyMs = performance.now() - t0;
          break;
        }
        if (performance.now() - t0 > 60_000) throw new Error("bot not ready after 60 s");
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, idleS * 1000));
      const rssMb = treeRssKb(bot.pid!) / 1024;
      console.log(`node -e 0:                   ${node.toFixed(0)} ms (median of ${cliRuns})`);
      console.log(
        `kaiqu programme show:        ${cli.toFixed(0)} ms (median of ${cliRuns}; ${(cli / node).toFixed(1)}× node -e 0)`,
      );
      console.log(`bot start → /healthz 200:    ${readyMs.toFixed(0)} ms`);
      console.log(`bot process tree after ${idleS} s idle: ${rssMb.toFixed(0)} MB RSS`);
      return { botReadyMs: readyMs, botRssMb: rssMb, cliMs: cli, nodeBaselineMs: node, cliRatio: cli / node };
    } finally {
      bot.kill("SIGTERM");
      await new Promise((r) => bot.once("exit", r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeRun(argv: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`);
  return ms;
}

/** RSS of a process and all its descendants (Linux /proc), in kB. */
function treeRssKb(pid: number): number {
  const children = new Map<number, number[]>();
  for (const d of readdirProc()) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), d]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
    total += Number(m?.[1] ?? 0);
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

function readdirProc(): number[] {
  return readdirSync("/proc")
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function numArg(args: string[], name: string, def: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name}: expected a non-negative number`);
  return v;
}
