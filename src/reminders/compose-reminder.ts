import { daysBetween, formatChineseDate, type WorkCalendar, workdaysBetween } from "../calendar/workdays.js";
import { type Period, periodLabel } from "../domain/period.js";
import { formatReportTemplate } from "../parsing/format-template.js";
import { indicatorsForZone, type Programme, type ZoneDef } from "../programme/programme.js";
import type { BureauGap } from "./bureau-gaps.js";
import type { ScheduledStep } from "./reminder-schedule.js";
import {
  type ReminderTemplates,
  renderTemplate,
  stepTemplate,
  type TemplateVars,
} from "./reminder-templates.js";

/**
 * Countdown wording for the day a reminder is actually sent: "今天截止", "明天截止", "距截止还有N天",
 * and, when no workday is left before a deadline on a weekend or holiday, a note saying so.
 */
export function countdownText(sendDate: string, deadline: string, cal: WorkCalendar): string {
  const days = daysBetween(sendDate, deadline);
  if (days < 0) return "已过截止日期";
  if (days === 0) return "今天截止";
  const base = days === 1 ? "明天截止" : `距截止还有${days}天`;
  const lastWorkday = !cal.isWorkday(deadline) && workdaysBetween(cal, sendDate, deadline) === 0;
  return lastWorkday ? `${base}（截止日为非工作日，今天是截止前最后一个工作日）` : base;
}

/** "4月22日（星期六）", with the year when it differs from the programme year (Q4). */
export function deadlineText(deadline: string, period: Period): string {
  const year = Number(deadline.slice(0, 4));
  return `${year === period.year ? "" : `${year}年`}${formatChineseDate(deadline)}`;
}

function zoneList(t: ReminderTemplates, zones: ZoneDef[]): string {
  return zones
    .map((z, i) => renderTemplate(t.lines.zone, { 序号: String(i + 1), 经开区: z.name }))
    .join("\n");
}

function contactNames(t: ReminderTemplates, gap: BureauGap): string {
  return gap.contacts.length ? gap.contacts.map((c) => c.name).join("、") : t.lines.noContact;
}

/**
 * The fill-in template for the zones (the parser's formatReportTemplate; while that yields nothing,
 * a plain list of the zones' fields).
 */
export function reportTemplateBlock(programme: Programme, period: Period, zones: ZoneDef[]): string {
  const formatted = formatReportTemplate(
    { period, zones: zones.map((zone) => ({ zone })) },
    programme.indicators,
  );
  if (formatted.trim() !== "") return formatted;
  return zones
    .map((zone) =>
      [
        `${periodLabel(period)} ${zone.name}`,
        ...indicatorsForZone(programme, zone).map((i) => `${i.label}${i.unit ? `（${i.unit}）` : ""}：`),
      ].join("\n"),
    )
    .join("\n\n");
}

export interface ComposeContext {
  programme: Programme;
  period: Period;
  deadline: string;
  cal: WorkCalendar;
  templates: ReminderTemplates;
  /** The day the message goes out (wording such as the countdown fits it). */
  sendDate: string;
  escalateLeadFromOverdueDay: number;
}

function commonVars(ctx: ComposeContext, step: ScheduledStep): TemplateVars {
  return {
    季度: periodLabel(ctx.period),
    截止日期: deadlineText(ctx.deadline, ctx.period),
    倒计时: countdownText(ctx.sendDate, ctx.deadline, ctx.cal),
    逾期天数: step.kind === "overdue" ? String(step.n) : "",
    督办起始日: String(ctx.escalateLeadFromOverdueDay),
  };
}

/** What a message about one bureau's missing zones says, addressed to `salutation`. */
function bureauVars(
  ctx: ComposeContext,
  step: ScheduledStep,
  gap: BureauGap,
  salutation: string,
): TemplateVars {
  return {
    ...commonVars(ctx, step),
    称呼: salutation,
    市州: gap.prefecture.name,
    经开区清单: zoneList(ctx.templates, gap.missing),
    经开区数: String(gap.missing.length),
    联络员: contactNames(ctx.templates, gap),
  };
}

/** Text of a bureau step (to a contact, or to the bureau's group when `salutation` is the group's). */
export function composeBureauReminder(
  ctx: ComposeContext,
  step: ScheduledStep,
  gap: BureauGap,
  salutation: string,
): string {
  const vars = bureauVars(ctx, step, gap, salutation);
  const template = stepTemplate(ctx.templates, step.step);
  if (template.includes("{填报模板}")) {
    vars.填报模板 = reportTemplateBlock(ctx.programme, ctx.period, gap.missing);
  }
  return renderTemplate(template, vars);
}

/** The opening notice (or the step that absorbed it) comes with the pre-filled report form. */
export function carriesOpening(step: ScheduledStep): boolean {
  return step.kind === "open" || step.merged.includes("open");
}

/**
 * The pre-filled form sent as its own message after the opening notice, so that it can be copied and
 * sent back as it is; undefined when the step has none or its template embeds {填报模板} instead.
 */
export function composeOpeningForm(
  ctx: ComposeContext,
  step: ScheduledStep,
  gap: BureauGap,
): string | undefined {
  if (!carriesOpening(step) || stepTemplate(ctx.templates, step.step).includes("{填报模板}"))
    return undefined;
  return reportTemplateBlock(ctx.programme, ctx.period, gap.missing);
}

export function composeLeadReminder(
  ctx: ComposeContext,
  step: ScheduledStep,
  gap: BureauGap,
  leadName: string,
): string {
  return renderTemplate(ctx.templates.steps["lead-overdue"], bureauVars(ctx, step, gap, leadName));
}

export function composeDigest(
  ctx: ComposeContext,
  step: ScheduledStep,
  gaps: BureauGap[],
  name: string,
): string {
  const t = ctx.templates;
  const lines = gaps.map((g, i) =>
    renderTemplate(t.lines.digestBureau, {
      序号: String(i + 1),
      市州: g.prefecture.name,
      经开区: g.missing.map((z) => z.name).join("、"),
      经开区数: String(g.missing.length),
      联络员: contactNames(t, g),
    }),
  );
  return renderTemplate(t.steps["digest-overdue"], {
    ...commonVars(ctx, step),
    称呼: name,
    市州数: String(gaps.length),
    经开区数: String(gaps.reduce((n, g) => n + g.missing.length, 0)),
    未报送清单: lines.join("\n"),
  });
}

export function groupSalutation(t: ReminderTemplates, gap: BureauGap): string {
  return renderTemplate(t.lines.groupSalutation, { 市州: gap.prefecture.name });
}
