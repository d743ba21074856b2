import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { parsePeriodKey, periodKey, periodShortLabel } from "../../../src/domain/period.js";
import { bureauForm } from "../../../src/files/bureau-form.js";
import { latestRevisionFile } from "../../../src/files/revision-file.js";
import { findContactByRef, loadProgramme } from "../../../src/programme/programme-repository.js";
import { formatLocal } from "../../../src/time/clock.js";
import type { HandleResult } from "../../inbound/handle.js";
import { openConsoleSession } from "../../transports/console/console-session.js";
import { clockFromOption } from "../../transports/console/now-option.js";
import { type CliContext, CliError } from "../cli-context.js";

/** Exit codes of `report submit`: stored (or echoed for confirmation without --yes) 0; refused 1; more input needed 3. */
function exitCodeOf(last: HandleResult, yes: boolean): number {
  if (last.status === "failed") return 1;
  switch (last.outcome) {
    case "stored":
    case "info":
    case "cancelled":
      return 0;
    case "awaiting_confirmation":
      return yes ? 1 : 0;
    case "awaiting_missing":
    case "awaiting_unit":
      return 3;
    default:
      return 1;
  }
}

export function register(program: Command, ctx: CliContext): void {
  const report = program.command("report").description("季度报送 / quarterly reports");

  report
    .command("submit")
    .description(
      "从标准输入读取一条报送消息，按联系人身份走与聊天相同的流程（电话、邮件收到的报送）/ submit one message from stdin through the chat pipeline",
    )
    .requiredOption("--as <contact>", "联系人ID或企业微信userid / contact id or WeCom userid")
    .option("--yes", "核对后自动回复“确认” / confirm after the echo")
    .option("--file <file>", "报送文件（.xlsx/.xls/.csv）代替标准输入 / a report workbook instead of stdin")
    .option("--period <period>", "报送期间，如 2023Q1（消息未写期间时使用）/ period of the message")
    .option("--now <iso>", "当前时刻（测试用）/ the current instant")
    .option("--json", "JSON output")
    .action(
      async (opts: {
        as: string;
        yes?: boolean;
        file?: string;
        period?: string;
        now?: string;
        json?: boolean;
      }) => {
        const clock = clockFromOption(opts.now, ctx.clock);
        const period = opts.period === undefined ? undefined : parsePeriodKey(opts.period);
        if (opts.period !== undefined && !period) {
          throw new CliError(`--period: 需要如 2023Q1 的期间（读取到“${opts.period}”）`, 2);
        }
        let bytes: Buffer | undefined;
        if (opts.file !== undefined) {
          try {
            bytes = readFileSync(opts.file);
          } catch {
            throw new CliError(`--file: 无法读取文件“${opts.file}” / cannot read the file`, 2);
          }
        }
        const input = bytes ? "" : (await ctx.readStdin()).trim();
        if (!bytes && input === "")
          throw new CliError("标准输入为空：请通过标准输入提供报送内容 / stdin is empty", 2);
        const replies: string[] = [];
        const session = await openConsoleSession({
          config: ctx.config,
          store: await ctx.store(),
          clock,
          logger: ctx.logger,
          as: opts.as,
          print: (text) => {
            replies.push(text);
            if (!opts.json) ctx.out(`${text}\n`);
          },
        });
        // The period goes in front as its own line: the parser reads it like a period the contact wrote.
        const text = period ? `${periodShortLabel(period)}\n${input}` : input;
        const name = opts.file ? path.basename(opts.file) : "";
        const results = [
          bytes
            ? await session.send(`[文件] ${name}`, "text", { kind: "file", fileName: name, bytes })
            : await session.send(text),
        ];
        if (opts.yes && results[0]!.outcome === "awaiting_confirmation")
          results.push(await session.send("确认"));
        const last = results[results.length - 1]!;
        if (opts.json) ctx.json({ results, replies });
        const code = exitCodeOf(last, Boolean(opts.yes));
        if (code !== 0) {
          throw new CliError(
            code === 3
              ? "报送尚未完成：草稿已保留，请按提示补充后再次提交 / incomplete: draft kept"
              : "报送未保存 / the report was not stored",
            code,
          );
        }
      },
    );

  report
    .command("form")
    .description(
      "写出某市州某季度的预填报送表（Excel）/ write the pre-filled report workbook of a bureau and quarter",
    )
    .requiredOption("--as <contact>", "市州联系人（决定市州）/ the bureau contact")
    .option("--period <period>", "期间，如 2023Q2（默认当前开放期间）/ period")
    .option("--now <iso>", "当前时刻 / the current instant")
    .argument("<file>", "输出文件 FILE.xlsx")
    .action(async (file: string, opts: { as: string; period?: string; now?: string }) => {
      const clock = clockFromOption(opts.now, ctx.clock);
      const period = opts.period === undefined ? openPeriodAt(clock.now()) : parsePeriodKey(opts.period);
      if (!period) throw new CliError(`--period: 需要如 2023Q2 的期间（读取到“${opts.period}”）`, 2);
      const db = (await ctx.store()).db;
      const contact = await findContactByRef(db, opts.as);
      if (!contact) throw new CliError(`--as: 联系人“${opts.as}”不存在`);
      if (!contact.prefectureCode)
        throw new CliError(`--as: 联系人“${opts.as}”不属于任何市州（报送表按市州生成）`);
      const programme = await loadProgramme(db, period.year);
      if (!programme) throw new CliError(`${period.year}年的培育计划未设置（先运行 kaiqu seed 或导入名册）`);
      const form = await bureauForm(db, programme, period, contact.prefectureCode);
      if (!form)
        throw new CliError(`${period.year}年名册中市州 ${contact.prefectureCode} 没有需报送的经开区`);
      const { bytes, prefecture, zones } = form;
      writeFileSync(file, bytes);
      ctx.out(
        `已写出${periodShortLabel(period)}${prefecture.shortName}报送表（${zones.length} 个经开区）：${file}\n`,
      );
    });

  report
    .command("file")
    .description(
      "取出某经开区某期间最新报送所用的原始文件 / fetch the file a zone's latest revision was read from",
    )
    .requiredOption("--zone <zone>", "经开区ID、简称或全称 / zone")
    .requiredOption("--period <period>", "期间，如 2023Q2 / period")
    .argument("<out>", "输出文件 / output file")
    .action(async (out: string, opts: { zone: string; period: string }) => {
      const period = parsePeriodKey(opts.period);
      if (!period) throw new CliError(`--period: 需要如 2023Q2 的期间（读取到“${opts.period}”）`, 2);
      const db = (await ctx.store()).db;
      const programme = await loadProgramme(db, period.year);
      const zone = programme?.zones.find((z) =>
        [z.id, z.shortName, z.name, ...z.aliases].includes(opts.zone),
      );
      if (!zone) throw new CliError(`--zone: ${period.year}年名册中没有经开区“${opts.zone}”`);
      const f = await latestRevisionFile(db, ctx.config.FILE_STORE_DIR, zone.id, period);
      if (f.kind === "no_revision")
        throw new CliError(`${zone.shortName}${periodShortLabel(period)}尚无报送`);
      if (f.kind === "not_a_file")
        throw new CliError(
          `${zone.shortName}${periodShortLabel(period)}第${f.revisionNo}版是文字报送，没有原件文件`,
        );
      if (f.kind === "missing")
        throw new CliError(`原件 ${f.storedPath} 在 ${ctx.config.FILE_STORE_DIR} 中缺失或已被改动`);
      const { bytes } = f;
      const rev = { revisionNo: f.revisionNo, rawFileName: f.name };
      writeFileSync(out, bytes);
      ctx.out(
        `${zone.shortName}${periodShortLabel(period)}第${rev.revisionNo}版原件「${rev.rawFileName}」已写出：${out}\n`,
      );
    });

  report
    .command("list")
    .description("列出某期间的报送版本 / list report revisions of a period")
    .option("--period <period>", "期间，如 2023Q1（默认当前开放期间）/ period")
    .option("--zone <zone>", "经开区ID或简称 / zone id or short name")
    .option("--now <iso>", "当前时刻（决定默认期间）/ the current instant")
    .option("--json", "JSON output")
    .action(async (opts: { period?: string; zone?: string; now?: string; json?: boolean }) => {
      const clock = clockFromOption(opts.now, ctx.clock);
      const period = opts.period === undefined ? openPeriodAt(clock.now()) : parsePeriodKey(opts.period);
      if (!period) throw new CliError(`--period: 需要如 2023Q1 的期间（读取到“${opts.period}”）`, 2);
      const db = (await ctx.store()).db;
      const programme = await loadProgramme(db, period.year);
      const zone = opts.zone
        ? programme?.zones.find((z) => [z.id, z.shortName, z.name, ...z.aliases].includes(opts.zone!))
        : undefined;
      if (opts.zone && !zone) {
        const known = (programme?.zones ?? []).filter((z) => z.groups.length > 0).map((z) => z.shortName);
        throw new CliError(
          `--zone: ${period.year}年名册中没有经开区“${opts.zone}”。可填经开区ID、简称或全称，例如 --zone ${known[0] ?? "惠水"}${known.length ? `（培育经开区：${known.join("、")}）` : ""}`,
        );
      }
      const rows = await db.reportRevision.findMany({
        where: { year: period.year, quarter: period.quarter, ...(zone ? { zoneId: zone.id } : {}) },
        orderBy: [{ zoneId: "asc" }, { revisionNo: "asc" }],
      });
      const list = rows.map((r) => ({
        id: r.id,
        period: periodKey(period),
        zoneId: r.zoneId,
        revisionNo: r.revisionNo,
        status: r.status,
        late: r.late,
        contactId: r.contactId,
        channel: r.channel,
        confirmedAt: r.confirmedAt?.toISOString() ?? null,
        values: JSON.parse(r.values) as Record<string, string>,
      }));
      if (opts.json) return ctx.json(list);
      if (list.length === 0) return ctx.out(`${periodShortLabel(period)}没有报送记录`);
      for (const r of list) {
        const name = programme?.zones.find((z) => z.id === r.zoneId)?.shortName ?? r.zoneId;
        ctx.out(
          `${name}\t第${r.revisionNo}版\t${r.status}${r.late ? "（逾期）" : ""}\t${r.confirmedAt ? formatLocal(new Date(r.confirmedAt)) : "-"}\t${r.contactId}/${r.channel}`,
        );
      }
    });
}
