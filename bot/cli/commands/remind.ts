import type { Command } from "commander";
import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { parsePeriodKey, periodKey, periodLabel } from "../../../src/domain/period.js";
import { loadProgramme } from "../../../src/programme/programme-repository.js";
import { type PlannedReminder, planReminders } from "../../../src/reminders/plan-reminders.js";
import { loadReminderTemplates } from "../../../src/reminders/reminder-templates.js";
import {
  loadRosterSnapshot,
  type RunReport,
  runCalendar,
  runDueReminders,
} from "../../../src/reminders/run-due-reminders.js";
import { formatLocal } from "../../../src/time/clock.js";
import { parseNow } from "../../transports/console/now-option.js";
import { type CliContext, CliError } from "../cli-context.js";

const STATUS_LABEL: Record<RunReport["reminders"][number]["status"], string> = {
  queued: "已加入队列",
  already_queued: "此前已加入",
  would_send: "将发送",
  unreachable: "无法送达",
};

function recipientJson(r: PlannedReminder) {
  return {
    key: r.key,
    step: r.step,
    audience: r.audience,
    id: r.recipientId,
    name: r.recipientName,
    prefectureCode: r.prefectureCode,
    channel: r.address?.channel ?? null,
    recipient: r.address?.recipient ?? null,
    ...(r.unreachable ? { unreachable: r.unreachable } : {}),
    zones: r.zones,
    text: r.text,
  };
}

function describe(r: PlannedReminder): string {
  const to = r.address
    ? `${r.address.channel}:${r.address.recipient}`
    : `无法送达：${r.unreachable ?? "渠道未配置"}`;
  const who = r.audience === "group" ? `群聊 ${r.recipientName}` : r.recipientName;
  return `${who} [${to}]  ${r.zones.map((z) => z.name).join("、")}`;
}

function indent(text: string, pad = "      "): string {
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

export function register(program: Command, ctx: CliContext): void {
  const remind = program.command("remind").description("季度报送提醒 / quarterly reminders");

  remind
    .command("plan")
    .description("列出一个季度的全部计划提醒及当前收件人 / list every planned reminder of a quarter")
    .option("--period <period>", "季度，如 2024Q1（默认：当前开放报送的季度）")
    .option("--text", "同时打印每条提醒的文字")
    .option("--json", "JSON output")
    .action(async (opts: { period?: string; text?: boolean; json?: boolean }) => {
      const period = opts.period ? parsePeriodKey(opts.period) : openPeriodAt(ctx.clock.now());
      if (!period) {
        throw new CliError(`--period 格式不对（读到 "${opts.period}"），应为 年份+季度，例如 2024Q1`);
      }
      const app = await ctx.app();
      const programme = await loadProgramme(app.store.db, period.year);
      if (!programme) {
        throw new CliError(
          `未找到${period.year}年度方案（${periodKey(period)}），请先导入该年度的名册和截止日期`,
        );
      }
      const warnings: string[] = [];
      const calendar = runCalendar(app, warnings);
      const roster = await loadRosterSnapshot(app.store.db, period);
      const { schedule, reminders } = planReminders({
        programme,
        period,
        calendar,
        roster,
        templates: loadReminderTemplates(),
        routes: app.routes,
      });
      const byStep = schedule.steps.map((s) => ({
        step: s,
        reminders: reminders.filter((r) => r.partOf === s.step),
      }));
      if (opts.json) {
        return ctx.json({
          period: periodKey(period),
          deadline: schedule.deadline,
          opensOn: schedule.opensOn,
          time: schedule.time,
          asOf: ctx.clock.now().toISOString(),
          warnings: [...new Set(warnings)],
          steps: byStep.map(({ step, reminders: rs }) => ({
            step: step.step,
            stream: step.stream,
            kind: step.kind,
            date: step.date,
            nominalDate: step.nominalDate,
            localTime: formatLocal(step.at),
            at: step.at.toISOString(),
            merged: step.merged,
            recipients: rs.map(recipientJson),
          })),
        });
      }
      ctx.out(
        `${periodLabel(period)}（${periodKey(period)}）提醒计划：截止 ${schedule.deadline}，${schedule.opensOn} 开启，每次 ${schedule.time}（北京时间）`,
      );
      ctx.out(`收件人按 ${formatLocal(ctx.clock.now())} 的报送情况列出`);
      for (const w of new Set(warnings)) ctx.out(`警告：${w}`);
      for (const { step, reminders: rs } of byStep) {
        const moved = step.nominalDate !== step.date ? `（原定 ${step.nominalDate}，遇非工作日提前）` : "";
        const merged = step.merged.length ? `（合并 ${step.merged.join("、")}）` : "";
        ctx.out(`${formatLocal(step.at)}  ${step.step}${moved}${merged}`);
        if (rs.length === 0) ctx.out("    （无收件人：相关经开区均已报送）");
        for (const r of rs) {
          ctx.out(`    → ${r.step === step.step ? "" : `（${r.step}）`}${describe(r)}`);
          if (opts.text) ctx.out(indent(r.text));
        }
      }
    });

  remind
    .command("run")
    .description("按给定时刻执行一次提醒检查（与定时器相同）/ run the reminder tick for an instant")
    .option(
      "--now <time>",
      '时刻，如 2023-04-21T09:30:00+08:00 或 "2023-04-21 09:30"（北京时间）；默认当前时间',
    )
    .option("--dry-run", "只显示将发送的内容，不加入发送队列")
    .option("--json", "JSON output")
    .action(async (opts: { now?: string; dryRun?: boolean; json?: boolean }) => {
      const now = opts.now ? parseNow(opts.now) : ctx.clock.now();
      const app = await ctx.app();
      const report = await runDueReminders(app, now, { dryRun: opts.dryRun ?? false });
      if (opts.json) {
        return ctx.json({
          ...report,
          warnings: [...new Set(report.warnings)],
          reminders: report.reminders.map((r) => ({
            ...recipientJson(r),
            period: periodKey(r.period),
            step: r.step,
            status: r.status,
            outboxId: r.outboxId ?? null,
            plannedAt: r.at.toISOString(),
          })),
        });
      }
      ctx.out(`${formatLocal(now)}（北京时间）提醒检查${report.dryRun ? "：试运行，不加入发送队列" : ""}`);
      for (const p of report.periods) {
        const head = `${p.period}${p.deadline ? `（截止 ${p.deadline}）` : ""}`;
        if (p.due.length === 0 && p.skipped.length === 0) {
          ctx.out(`${head}：无到期提醒`);
          continue;
        }
        ctx.out(`${head}：`);
        for (const d of p.due)
          ctx.out(`  到期 ${d.step}（计划 ${formatLocal(d.plannedAt)}${d.late ? "，补发" : ""}）`);
        for (const s of p.skipped)
          ctx.out(`  跳过 ${s.step}（计划 ${formatLocal(s.plannedAt)}）：${s.reason}`);
      }
      for (const r of report.reminders) {
        ctx.out(`  ${STATUS_LABEL[r.status]}  ${periodKey(r.period)} ${r.step} → ${describe(r)}`);
        if (report.dryRun && r.status === "would_send") ctx.out(indent(r.text));
      }
      for (const w of new Set(report.warnings)) ctx.out(`警告：${w}`);
      ctx.out(
        report.dryRun
          ? `共 ${report.reminders.filter((r) => r.status === "would_send").length} 条将发送（未加入队列）`
          : `新加入发送队列 ${report.queued} 条（由运行中的机器人按队列发送）`,
      );
    });
}
