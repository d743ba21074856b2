import type { Command } from "commander";
import { GROUP_CODES, GROUP_LABELS, type GroupCode } from "../../../src/domain/codes.js";
import { listProgrammeYears } from "../../../src/programme/programme-repository.js";
import { readPrefectures, readZones } from "../../../src/programme/read-programme-data.js";
import { prefectureIndex } from "../../../src/roster/roster-resolvers.js";
import { choices, GROUP_WORDS, parseGroup } from "../../../src/roster/roster-values.js";
import { type CliContext, CliError } from "../cli-context.js";
import { resolveProgrammeYear } from "../programme-year.js";

export function register(program: Command, ctx: CliContext): void {
  const zones = program.command("zones").description("经开区 / zones");
  zones
    .command("list")
    .description("列出经开区及其本年度名单 / list zones with their groups in a year")
    .option("--year <year>", "年度 (默认: 最新年度)")
    .option("--prefecture <name>", "只看一个市州 (简称、全称或代码)")
    .option("--group <group>", `只看一个名单 (${choices(GROUP_WORDS)})`)
    .option("--all", "包括已停用的经开区")
    .option("--json", "JSON output")
    .action(
      async (opts: { year?: string; prefecture?: string; group?: string; all?: boolean; json?: boolean }) => {
        const { db } = await ctx.store();
        const noYears = (await listProgrammeYears(db)).length === 0;
        const year =
          opts.year === undefined && noYears ? undefined : await resolveProgrammeYear(db, opts.year);
        const prefectures = await readPrefectures(db);
        let prefectureCode: string | undefined;
        if (opts.prefecture !== undefined) {
          const r = prefectureIndex(prefectures).find(opts.prefecture);
          if (!r.item)
            throw new CliError(
              `未知的市州 "${opts.prefecture}"，请用简称、全称或代码，例如 --prefecture 黔南`,
              2,
            );
          prefectureCode = r.item.code;
        }
        let group: GroupCode | undefined;
        if (opts.group !== undefined) {
          group = parseGroup(opts.group);
          if (!group) throw new CliError(`未知的名单 "${opts.group}"，可用: ${choices(GROUP_WORDS)}`, 2);
        }
        const memberships = year === undefined ? [] : await db.zoneMembership.findMany({ where: { year } });
        const groupsOf = (id: string) =>
          GROUP_CODES.filter((g) => memberships.some((m) => m.zoneId === id && m.groupCode === g));
        const prefOf = new Map(prefectures.map((p) => [p.code, p]));
        const rank = (code: string) => prefOf.get(code)?.sortOrder ?? Number.MAX_SAFE_INTEGER;
        const rows = (await readZones(db))
          .filter((z) => opts.all || z.active)
          .filter((z) => prefectureCode === undefined || z.prefectureCode === prefectureCode)
          .map((z) => ({
            ...z,
            prefecture: prefOf.get(z.prefectureCode)?.shortName ?? z.prefectureCode,
            groups: groupsOf(z.id),
          }))
          .filter((z) => group === undefined || z.groups.includes(group))
          .sort(
            (a, b) =>
              rank(a.prefectureCode) - rank(b.prefectureCode) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          );
        if (opts.json) return ctx.json({ year: year ?? null, count: rows.length, zones: rows });
        ctx.out(`${year === undefined ? "（尚无年度方案）" : `${year} 年度`} 经开区 ${rows.length} 个`);
        for (const z of rows) {
          const groups = z.groups.map((g) => GROUP_LABELS[g]).join("、") || "—";
          ctx.out(
            `  ${z.prefecture.padEnd(4, "　")} ${z.shortName.padEnd(6, "　")} ${z.id.padEnd(18)} ${groups}` +
              `${z.active ? "" : "  [已停用]"}${z.aliases.length ? `  别名: ${z.aliases.join("、")}` : ""}`,
          );
        }
      },
    );
}
