import { PassThrough, Readable } from "node:stream";
import { CliContext } from "../../bot/cli/cli-context.js";
import { runCli } from "../../bot/cli/run-cli.js";
import { openStore, type Store } from "../../src/db/database.js";

/** Collects everything written to a stream as UTF-8 text. */
function capture(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer | string) => chunks.push(typeof c === "string" ? Buffer.from(c) : c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/**
 * The real CliContext, except that the store is opened without the migrate-on-open step: test
 * stores are migrated when created, and on SQLite that step opens the file with the top-level
 * better-sqlite3 while Prisma's adapter uses its own nested copy — two SQLite libraries in one
 * process, and the migrator closing its connection under the test's open Prisma connection
 * deletes the shared WAL index ("disk I/O error" on the next query).
 */
class CaptureContext extends CliContext {
  private opened: Promise<Store> | undefined;

  override store(): Promise<Store> {
    this.opened ??= openStore(this.config.DATABASE_URL);
    return this.opened;
  }

  override async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}

/**
 * Runs the real `kaiqu` CLI in-process (same commands and code paths as `npm run kaiqu -- …`) with
 * the given environment and captured stdout/stderr. `opts.stdin` is fed to the command as standard
 * input (empty input when omitted). The CLI opens and closes its own store connection; the database
 * must already be migrated (createTestStore / createCliTestStore do that).
 */
export async function runCliCapture(
  args: string[],
  env: Record<string, string | undefined>,
  opts?: { stdin?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const stdin = Readable.from(opts?.stdin === undefined ? [] : [Buffer.from(opts.stdin, "utf8")]);
  const ctx = new CaptureContext({ LOG_LEVEL: "warn", ...env }, undefined, out.stream, err.stream, stdin);
  const code = await runCli(args, ctx);
  // Let the PassThrough streams flush their pending 'data' events.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}
