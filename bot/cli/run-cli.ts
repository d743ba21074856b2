import { CommanderError } from "commander";
import { startupErrorMessage } from "../startup-error.js";
import { CliContext, CliError } from "./cli-context.js";
import { buildProgram } from "./program.js";

/** Runs the CLI with argv (without node and script); returns the exit code. Errors go to stderr. */
export async function runCli(argv: string[], ctx = new CliContext()): Promise<number> {
  try {
    const program = await buildProgram(ctx, argv);
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError)
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : e.exitCode || 2;
    if (e instanceof CliError) {
      ctx.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    const message = startupErrorMessage(e);
    if (message !== undefined) {
      ctx.stderr.write(`${message}\n`);
      return 2;
    }
    ctx.stderr.write(`错误 / error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    await ctx.close().catch(() => {});
  }
}
