// Issue #18 part 5: errors at the edges are one clear line (Chinese + English, what to do), never a
// stack trace, a JSON log line or a hang; logs are readable on a terminal and never mixed into output.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { startBot } from "../bot/compose.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { fixedClock } from "../src/time/clock.js";
import { runCliCapture } from "./support/cli.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const dir = mkdtempSync(path.join(tmpdir(), "kaiqu-edges-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a real entry point (bot/main.ts or bot/cli/main.ts) as a child process, in `dir` (no .env). */
function spawnEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(ROOT, entry), ...args],
      {
        cwd: dir,
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? "", HOME: dir, SCHEDULER_ENABLED: "false", ...env },
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? null) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
        }),
    );
  });
}

function expectOneClearLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toMatch(/[\u4e00-\u9fff]/); // Chinese
  expect(lines[0]).toMatch(/ \/ [a-zA-Z]/); // " / English"
  expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
  expect(stderr.trim().startsWith("{")).toBe(false); // not a JSON log line
}

describe("clear errors at the edges", () => {
  const fileAsFolder = path.join(dir, "not-a-folder");
  writeFileSync(fileAsFolder, "x");

  it("a DATABASE_URL whose folder is a file: one line naming the file, non-zero exit (CLI and bot)", async () => {
    const env = { DATABASE_URL: `file:${fileAsFolder}/sub/kaiqu.db` };
    const cli = await spawnEntry("bot/cli/main.ts", ["programme", "show"], env);
    expect(cli.code).not.toBe(0);
    expectOneClearLine(cli.stderr, /not-a-folder.*是一个文件.*DATABASE_URL/);
    const bot = await spawnEntry("bot/main.ts", [], { ...env, PORT: "0" });
    expect(bot.code).not.toBe(0);
    expectOneClearLine(bot.stderr, /not-a-folder.*是一个文件.*DATABASE_URL/);
    expect(bot.stdout).toBe("");
  });

  it("DATABASE_URL=file:/proc/… fails fast with a clear message instead of hanging", async () => {
    const r = await spawnEntry("bot/cli/main.ts", ["programme", "show"], {
      DATABASE_URL: "file:/proc/kaiqu/kaiqu.db",
    });
    expect(r.code).not.toBe(0);
    expect(r.ms).toBeLessThan(25_000); // the old code hung until the 30 s kill
    expectOneClearLine(r.stderr, /\/proc.*DATABASE_URL/);
  });

  it("a port in use at bot start: one line saying to free it or change PORT, not JSON", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await spawnEntry("bot/main.ts", [], {
        DATABASE_URL: `file:${path.join(dir, "port.db")}`,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "warn",
      });
      expect(r.code).not.toBe(0);
      // the empty-store warning may precede it on stdout; stderr holds only the one line
      expectOneClearLine(r.stderr, new RegExp(`端口 ${port} 已被占用.*PORT`));
      expect(r.stdout).not.toMatch(/EADDRINUSE/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it("a missing roster file: says the file is not found, where, and what to do — not only ENOENT", async () => {
    const r = await runCliCapture(["roster", "import", path.join(dir, "missing.xlsx")], {
      DATABASE_URL: `file:${path.join(dir, "roster.db")}`,
    });
    expect(r.code).toBe(2);
    expectOneClearLine(r.stderr, /找不到名册文件 .*missing\.xlsx.*roster template/);
  });

  it("an empty store: the bot logs how to seed or import, the CLI chat says so instead of 'no contact'", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (s: string) => lines.push(s) });
    const bot = await startBot(
      loadConfig({
        DATABASE_URL: `file:${path.join(dir, "empty.db")}`,
        HOST: "127.0.0.1",
        PORT: "0",
        SCHEDULER_ENABLED: "false",
      }),
      { logger, clock: fixedClock("2023-04-10T02:00:00Z") },
    );
    await bot.stop();
    const warn = lines.map((l) => JSON.parse(l)).find((l) => /还没有任何年度方案/.test(l.msg));
    expect(warn?.level).toBe(40);
    expect(warn?.msg).toMatch(/seed --sample.*roster import/);

    const chat = await runCliCapture(["chat", "--as", "qn_contact"], {
      DATABASE_URL: `file:${path.join(dir, "empty.db")}`,
    });
    expect(chat.code).not.toBe(0);
    expect(chat.stderr).toMatch(/还没有任何年度方案.*npm run kaiqu -- seed --sample/);
  });
});

describe("logs", () => {
  function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text(): string } {
    const chunks: string[] = [];
    const stream = new Writable({
      write(c, _e, cb) {
        chunks.push(String(c));
        cb();
      },
    }) as Writable & { isTTY?: boolean };
    if (isTTY) stream.isTTY = true;
    return { stream, text: () => chunks.join("") };
  }

  it("are human-readable (pino-pretty) on a terminal and JSON otherwise, redacted either way", () => {
    const tty = sink(true);
    createLogger("info", tty.stream).info({ token: "s3cr3t", key: "idem-1" }, "已启动 hello");
    const pretty = tty.text();
    expect(pretty).toMatch(/INFO.*已启动 hello/);
    expect(pretty.trim().startsWith("{")).toBe(false);
    expect(pretty).not.toContain("s3cr3t");
    expect(pretty).toContain("idem-1");

    const pipe = sink(false);
    createLogger("info", pipe.stream).info({ token: "s3cr3t" }, "已启动 hello");
    const json = JSON.parse(pipe.text());
    expect(json).toMatchObject({ msg: "已启动 hello", token: "***", level: 30 });
  });

  it("the CLI keeps log lines out of stdout, even at LOG_LEVEL=info with migrations being applied", async () => {
    const r = await spawnEntry("bot/cli/main.ts", ["seed", "--sample"], {
      DATABASE_URL: `file:${path.join(dir, "cli-logs.db")}`,
      LOG_LEVEL: "info",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toBe("");
    for (const line of r.stdout.split("\n")) expect(line).not.toMatch(/^\s*\{.*"level"\s*:/);
    expect(r.stderr).toMatch(/migrations applied/); // the log went to stderr, so the check above can fail
  });
});
