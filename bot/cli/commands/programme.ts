import type { Command } from "commander";
import { renderProgrammeText } from "../../../src/programme/programme-text.js";
import { loadProgrammeView } from "../../../src/programme/programme-view.js";
import type { CliContext } from "../cli-context.js";
import { resolveProgrammeYear } from "../programme-year.js";

export function register(program: Command, ctx: CliContext): void {
  const cmd = program.command("programme").description("年度方案 / programme year");
  cmd
    .command("show")
    .description("显示截止日期、名单及经开区、指标、目标 / deadlines, groups, indicators, targets")
    .option("--year <year>", "年度 (默认: 最新年度)")
    .option("--json", "JSON output")
    .action(async (opts: { year?: string; json?: boolean }) => {
      const store = await ctx.store();
      const year = await resolveProgrammeYear(store.db, opts.year);
      const view = await loadProgrammeView(store.db, year);
      if (!view) throw new Error(`programme ${year} vanished while reading`);
      if (opts.json) return ctx.json(view);
      ctx.out(renderProgrammeText(view));
    });
}
