import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { totalChanged } from "../../../src/programme/programme-data.js";
import { exportRosterCsv, exportRosterXlsx, rosterTemplateXlsx } from "../../../src/roster/export-roster.js";
import { importRoster } from "../../../src/roster/import-roster.js";
import { formatIssue } from "../../../src/roster/raw-sheet.js";
import { type CliContext, CliError } from "../cli-context.js";
import { parseYearOption, resolveProgrammeYear } from "../programme-year.js";
import { formatChanges } from "./seed.js";

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const full = path.resolve(file);
    if (code === "ENOENT")
      throw new CliError(
        `找不到名册文件 ${file}（${full}）：请检查文件名和所在文件夹；空白模板可用 npm run kaiqu -- roster template FILE.xlsx 生成 / ` +
          `roster file not found: ${full}; check the name and folder, or create a blank template with roster template FILE.xlsx`,
        2,
      );
    if (code === "EISDIR")
      throw new CliError(
        `${file} 是文件夹，请给出名册文件 (.xlsx/.csv) 的路径 / ${full} is a folder: give the roster file`,
        2,
      );
    throw new CliError(
      `无法读取名册文件 ${file}（${code ?? String(e)}）：请检查文件权限 / cannot read ${full} (${code ?? "error"}): check its permissions`,
      2,
    );
  }
}

function writeOutput(file: string, bytes: Buffer): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, bytes);
}

export function register(program: Command, ctx: CliContext): void {
  const roster = program
    .command("roster")
    .description("名单导入导出 (xlsx/csv) / roster: zones, memberships, targets, contacts, chat groups");

  roster
    .command("template")
    .description("生成带中文表头和说明的 xlsx 模板 / write an xlsx template")
    .argument("<file>", "输出文件, 如 名单模板.xlsx")
    .option("--json", "JSON output")
    .action(async (file: string, opts: { json?: boolean }) => {
      if (!/\.xlsx$/i.test(file))
        throw new CliError(`模板文件名应以 .xlsx 结尾 (读到 "${file}")，例如 名单模板.xlsx`, 2);
      const bytes = await rosterTemplateXlsx();
      writeOutput(file, bytes);
      if (opts.json) return ctx.json({ file, bytes: bytes.length });
      ctx.out(
        `已生成模板 ${file}（先看“说明”工作表）。填好后: npm run kaiqu -- roster import ${file} --dry-run`,
      );
    });

  roster
    .command("import")
    .description("导入名单 (全部成功或全部不写入) / import xlsx or csv files, all-or-nothing")
    .argument("<files...>", "一个 xlsx，或若干 csv（文件名含工作表名，如 联系人.csv）")
    .option("--year <year>", "年度 (文件没有“年度”工作表时使用; 默认最新年度)")
    .option("--dry-run", "只检查并显示将发生的变化，不写入")
    .option("--replace", "表中未列出的经开区、联系人、群聊将被停用（默认保留不动）")
    .option("--json", "JSON output")
    .action(
      async (
        files: string[],
        opts: { year?: string; dryRun?: boolean; replace?: boolean; json?: boolean },
      ) => {
        const year = opts.year === undefined ? undefined : parseYearOption(opts.year);
        const inputs = files.map((f) => ({ path: f, bytes: readInput(f) }));
        const store = await ctx.store();
        const r = await importRoster(store.db, inputs, {
          ...(year !== undefined ? { year } : {}),
          dryRun: opts.dryRun ?? false,
          replace: opts.replace ?? false,
        });
        const deactivatedLines = (
          [
            ["经开区", r.deactivated.zones],
            ["联系人", r.deactivated.contacts],
            ["群聊", r.deactivated.chatGroups],
          ] as [string, string[]][]
        )
          .filter(([, names]) => names.length > 0)
          .map(([label, names]) => `  ${r.dryRun ? "将停用" : "已停用"}${label}: ${names.join("、")}`);
        if (!r.ok) {
          if (opts.json) ctx.json({ ...r, changed: 0 });
          throw new CliError(
            `导入失败，未写入任何数据 — ${r.issues.length} 处问题:\n${r.issues.map((i) => `  ✗ ${formatIssue(i)}`).join("\n")}` +
              (deactivatedLines.length > 0 ? `\n${deactivatedLines.join("\n")}` : ""),
            1,
          );
        }
        const changed = totalChanged(r.changes);
        if (opts.json) return ctx.json({ ...r, changed });
        for (const e of r.encodings) ctx.out(`${e.file}: 按 ${e.encoding} 读取`);
        if (r.emptySheets.length > 0) ctx.out(`空表（只有表头）未处理: ${r.emptySheets.join("、")}`);
        ctx.out(
          `${r.dryRun ? "试导入（未写入）" : "导入完成"}: 工作表 ${r.sheets.join("、")}${r.year ? `，年度 ${r.year}` : ""}` +
            `，${changed === 0 ? "没有变化" : `变化 ${changed} 处`}`,
        );
        for (const line of formatChanges(r.changes)) ctx.out(line);
        for (const line of deactivatedLines) ctx.out(line);
      },
    );

  roster
    .command("export")
    .description("导出名单 / export the programme year as xlsx (or csv files with --csv)")
    .argument("<file>", "输出 xlsx 文件；加 --csv 时为输出目录")
    .option("--year <year>", "年度 (默认最新年度)")
    .option("--csv", "每个工作表一个 csv (UTF-8 BOM) 写入目录")
    .option("--json", "JSON output")
    .action(async (file: string, opts: { year?: string; csv?: boolean; json?: boolean }) => {
      const store = await ctx.store();
      const year = await resolveProgrammeYear(store.db, opts.year);
      if (opts.csv) {
        const r = await exportRosterCsv(store.db, year);
        if (!r) throw new CliError(`没有 ${year} 年度的方案`);
        mkdirSync(file, { recursive: true });
        for (const f of r.files) writeFileSync(path.join(file, f.name), f.bytes);
        if (opts.json) return ctx.json({ year, dir: file, files: r.files.map((f) => f.name) });
        ctx.out(`已导出 ${year} 年度到 ${file}/: ${r.files.map((f) => f.name).join("、")}`);
        return;
      }
      if (!/\.xlsx$/i.test(file))
        throw new CliError(`导出文件名应以 .xlsx 结尾 (读到 "${file}")；csv 请加 --csv 并给目录`, 2);
      const r = await exportRosterXlsx(store.db, year);
      if (!r) throw new CliError(`没有 ${year} 年度的方案`);
      writeOutput(file, r.bytes);
      const counts = {
        zones: r.data.zones?.length ?? 0,
        memberships: r.data.memberships?.length ?? 0,
        targets: r.data.targets?.length ?? 0,
        contacts: r.data.contacts?.length ?? 0,
        chatGroups: r.data.chatGroups?.length ?? 0,
      };
      if (opts.json)
        return ctx.json({ year, file, bytes: r.bytes.length, isSample: r.data.programme?.isSample, counts });
      ctx.out(
        `已导出 ${year} 年度到 ${file}${r.data.programme?.isSample ? "（样例数据）" : ""}: ` +
          `经开区 ${counts.zones}，名单 ${counts.memberships}，目标 ${counts.targets}，联系人 ${counts.contacts}，群聊 ${counts.chatGroups}`,
      );
    });
}
