import type { Command } from "commander";
import type { ProgrammeChanges } from "../../../src/programme/programme-data.js";
import { totalChanged } from "../../../src/programme/programme-data.js";
import { SAMPLE_PROGRAMME, SAMPLE_YEAR } from "../../../src/programme/sample-programme.js";
import { SeedRefusedError, seedSampleProgramme } from "../../../src/programme/seed-programme.js";
import { type CliContext, CliError } from "../cli-context.js";

const TABLE_LABELS: Record<keyof ProgrammeChanges, string> = {
  programmeYears: "年度",
  quarters: "季度截止",
  prefectures: "市州",
  indicators: "指标",
  zones: "经开区",
  memberships: "培育名单",
  targets: "目标",
  contacts: "联系人",
  chatGroups: "群聊",
};

export function formatChanges(changes: ProgrammeChanges): string[] {
  return (Object.keys(TABLE_LABELS) as (keyof ProgrammeChanges)[]).map((k) => {
    const c = changes[k];
    const parts = [`新增 ${c.created}`, `更新 ${c.updated}`, `未变 ${c.unchanged}`];
    if (c.deleted) parts.push(`删除 ${c.deleted}`);
    if (c.deactivated) parts.push(`停用 ${c.deactivated}`);
    return `  ${TABLE_LABELS[k].padEnd(5, "　")} ${parts.join("  ")}`;
  });
}

/** Row counts of the sample itself (what a fresh store holds after seeding). */
function sampleCounts() {
  const s = SAMPLE_PROGRAMME;
  const inGroup = (g: string) => s.memberships?.filter((m) => m.groupCode === g).length ?? 0;
  return {
    prefectures: s.prefectures?.length ?? 0,
    zones: s.zones?.length ?? 0,
    memberships: {
      national: inGroup("national"),
      foreign_trade: inGroup("foreign_trade"),
      provincial: inGroup("provincial"),
    },
    indicators: s.indicators?.length ?? 0,
    targets: s.targets?.length ?? 0,
    contacts: s.contacts?.length ?? 0,
    chatGroups: s.chatGroups?.length ?? 0,
  };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("seed")
    .description("载入样例方案 / load the sample programme (2023, marked as sample)")
    .option("--sample", `载入 ${SAMPLE_YEAR} 年样例方案 (市州、经开区、名单、指标、目标、联系人、群聊)`)
    .option("--json", "JSON output (counts per table)")
    .action(async (opts: { sample?: boolean; json?: boolean }) => {
      if (!opts.sample)
        throw new CliError(
          "请指定要载入的数据: --sample (样例方案)。正式名单请用 kaiqu roster import FILE。\n例如: npm run kaiqu -- seed --sample",
          2,
        );
      const store = await ctx.store();
      let changes: ProgrammeChanges;
      try {
        changes = await seedSampleProgramme(store.db);
      } catch (e) {
        if (e instanceof SeedRefusedError) throw new CliError(e.message, 1);
        throw e;
      }
      const changed = totalChanged(changes);
      if (opts.json)
        return ctx.json({ year: SAMPLE_YEAR, sample: true, changed, changes, rows: sampleCounts() });
      ctx.out(
        changed === 0
          ? `${SAMPLE_YEAR} 年样例方案已是最新，未作改动。`
          : `已载入 ${SAMPLE_YEAR} 年样例方案（样例数据，非官方名单）:`,
      );
      for (const line of formatChanges(changes)) ctx.out(line);
      ctx.out(`查看: npm run kaiqu -- programme show --year ${SAMPLE_YEAR}`);
    });
}
