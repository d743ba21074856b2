import { PassThrough, Readable } from "node:stream";
import { CliContext } from "../../bot/cli/cli-context.js";
import { runCli } from "../../bot/cli/run-cli.js";

/** Collects everything written to a stream as UTF-8 text. */
function capture(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer | string) => chunks.push(typeof c === "string" ? Buffer.from(c) : c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/**
 * Runs the real `kaiqu` CLI in-process (same CliContext, commands and code paths as
 * `npm run kaiqu -- …`, including the migrate-on-open step of DB_MIGRATE_ON_START) with the given
 * environment and captured stdout/stderr. `opts.stdin` is fed to the command as standard input
 * (empty input when omitted). The CLI opens and closes its own store connection.
 */
export async function runCliCapture(
  args: string[],
  env: Record<string, string | undefined>,
  opts?: { stdin?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const stdin = Readable.from(opts?.stdin === undefined ? [] : [Buffer.from(opts.stdin, "utf8")]);
  const ctx = new CliContext({ LOG_LEVEL: "warn", ...env }, undefined, out.stream, err.stream, stdin);
  const code = await runCli(args, ctx);
  // Let the PassThrough streams flush their pending 'data' events.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}
