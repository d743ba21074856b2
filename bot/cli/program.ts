import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command } from "commander";
import type { CliContext } from "./cli-context.js";

/** A CLI command module in bot/cli/commands/: registers its subcommands on the program. */
export interface CommandModule {
  register(program: Command, ctx: CliContext): void;
}

const COMMANDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "commands");

/**
 * Builds the `kaiqu` program from the modules in bot/cli/commands/ (alphabetical). A module is named
 * after the top-level command it registers (roster.ts → `kaiqu roster …`); given the arguments, only
 * the module of the command being run is loaded (start-up: heavy libraries such as exceljs are
 * imported by the commands that use them), and all of them for help or an unknown command.
 */
export async function buildProgram(ctx: CliContext, argv: string[] = []): Promise<Command> {
  const program = new Command("kaiqu")
    .description("经开区培育调度机器人 — 命令行 / kaiqu-bot command line")
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  const all = readdirSync(COMMANDS_DIR)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"))
    .sort();
  const wanted = argv[0];
  const only = all.filter((f) => f.replace(/\.(ts|js)$/, "") === wanted);
  const files = only.length > 0 ? only : all;
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(COMMANDS_DIR, f)).href)) as Partial<CommandModule>;
    if (typeof mod.register !== "function") throw new Error(`bot/cli/commands/${f} exports no register()`);
    mod.register(program, ctx);
  }
  return program;
}
