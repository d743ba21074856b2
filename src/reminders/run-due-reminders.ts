import type { AppContext } from "../app-context.js";
import { reminderPeriodsAt } from "../calendar/quarter-deadlines.js";
import { createWorkCalendar, uncoveredYearWarning, type WorkCalendar } from "../calendar/workdays.js";
import type { Db, Tx } from "../db/database.js";
import { type Period, periodKey, type Quarter } from "../domain/period.js";
import { bureauForm, writeFormFile } from "../files/bureau-form.js";
import { type Programme, type ProgrammeSettings, programmeSettingsSchema } from "../programme/programme.js";
import { listChatGroups, listContacts, loadProgramme } from "../programme/programme-repository.js";
import { listLatestConfirmed } from "../reports/confirmed-reports.js";
import { recordHeartbeat } from "../scheduler/job-heartbeat.js";
import { localDate } from "../time/clock.js";
import type { RosterSnapshot } from "./bureau-gaps.js";
import { type PlannedReminder, remindersForStep } from "./plan-reminders.js";
import {
  planSchedule,
  type ScheduledStep,
  type ScheduleSource,
  type StepKind,
  type Stream,
} from "./reminder-schedule.js";
import { loadReminderTemplates, type ReminderTemplates } from "./reminder-templates.js";
import { selectDueSteps } from "./select-due-steps.js";

export const REMINDERS_JOB = "reminders";

export interface StepSummary {
  step: string;
  stream: Stream;
  kind: StepKind;
  plannedAt: Date;
  /** Due: sent on a later day than planned. */
  late?: boolean;
  /** Skipped: why. */
  reason?: string;
}

export interface PeriodRun {
  period: string;
  deadline?: string;
  due: StepSummary[];
  skipped: StepSummary[];
}

export type ReminderStatus = "queued" | "already_queued" | "would_send" | "unreachable";

export interface RunReminder extends PlannedReminder {
  status: ReminderStatus;
  outboxId?: number;
}

export interface RunReport {
  now: Date;
  dryRun: boolean;
  periods: PeriodRun[];
  reminders: RunReminder[];
  /** Rows created now (0 in a dry run). */
  queued: number;
  warnings: string[];
}

export async function loadRosterSnapshot(db: Db | Tx, period: Period): Promise<RosterSnapshot> {
  const [contacts, groups, confirmed] = await Promise.all([
    listContacts(db),
    listChatGroups(db),
    listLatestConfirmed(db, period),
  ]);
  return { contacts, groups, confirmedZoneIds: new Set(confirmed.map((c) => c.zoneId)) };
}

/** Warnings already logged, per logger (one logger per process in production: once per process). */
const loggedOnce = new WeakMap<object, Set<string>>();

function warnOnce(app: AppContext, key: string, fields: Record<string, unknown>, msg: string): void {
  const seen = loggedOnce.get(app.logger) ?? new Set<string>();
  loggedOnce.set(app.logger, seen);
  if (seen.has(key)) return;
  seen.add(key);
  app.logger.warn(fields, msg);
}

/** A work calendar for one run: years without holiday data go to the report and, once per process, to the log. */
export function runCalendar(app: AppContext, warnings: string[]): WorkCalendar {
  return createWorkCalendar({
    onUncoveredYear: (year) => {
      const msg = uncoveredYearWarning(year);
      warnings.push(msg);
      warnOnce(app, `calendar:${year}`, { year }, msg);
    },
  });
}

/**
 * The scheduler's one entry point: queues every reminder due at `now` that is not stale, for the
 * period(s) whose reminders can be due then. Safe to call any number of times, from any number of
 * instances: each message's idempotency key lets the outbox queue it once. `dryRun` computes and
 * reports without queueing (and without touching the heartbeat).
 */
export async function runDueReminders(
  app: AppContext,
  now: Date,
  opts: { dryRun?: boolean } = {},
): Promise<RunReport> {
  const dryRun = opts.dryRun ?? false;
  const report: RunReport = { now, dryRun, periods: [], reminders: [], queued: 0, warnings: [] };
  try {
    await collect(app, now, report);
    await deliver(app, report);
  } catch (e) {
    if (!dryRun) {
      await recordHeartbeat(app.store.db, {
        name: REMINDERS_JOB,
        at: app.clock.now(),
        instance: app.config.instanceId,
        error: e instanceof Error ? e.message : String(e),
      }).catch((he) => app.logger.error({ err: he }, "reminders: heartbeat not recorded"));
    }
    throw e;
  }
  if (!dryRun) {
    await recordHeartbeat(app.store.db, {
      name: REMINDERS_JOB,
      at: app.clock.now(),
      instance: app.config.instanceId,
    });
  }
  return report;
}

async function collect(app: AppContext, now: Date, report: RunReport): Promise<void> {
  const db = app.store.db;
  const cal = runCalendar(app, report.warnings);
  const today = localDate(now);
  const sources = new Map<number, ScheduleSource | undefined>();
  const programmes = new Map<number, Programme>();
  let templates: ReminderTemplates | undefined;
  const periods = reminderPeriodsAt(now);
  for (const period of periods) {
    if (!sources.has(period.year)) sources.set(period.year, await loadScheduleSource(db, period.year));
    const source = sources.get(period.year);
    const run: PeriodRun = { period: periodKey(period), due: [], skipped: [] };
    report.periods.push(run);
    if (!source) {
      if (period === periods.at(-1)) {
        const msg = `未找到${period.year}年度方案，${periodKey(period)}不发送提醒（请先导入该年度的名册和截止日期）`;
        report.warnings.push(msg);
        warnOnce(app, `programme:${period.year}`, { year: period.year }, msg);
      }
      continue;
    }
    const schedule = planSchedule(source, period, cal);
    run.deadline = schedule.deadline;
    const { due, skipped } = selectDueSteps(schedule, now);
    const summary = (s: ScheduledStep) => ({ step: s.step, stream: s.stream, kind: s.kind, plannedAt: s.at });
    run.due = due.map((d) => ({ ...summary(d.step), late: d.late }));
    run.skipped = skipped.map((s) => ({ ...summary(s.step), reason: s.reason }));
    if (due.length === 0) continue;
    let programme = programmes.get(period.year);
    if (!programme) {
      programme = await loadProgramme(db, period.year);
      if (!programme) continue; // removed meanwhile
      programmes.set(period.year, programme);
    }
    templates ??= loadReminderTemplates();
    const roster = await loadRosterSnapshot(db, period);
    const input = { programme, period, calendar: cal, roster, templates, routes: app.routes };
    for (const d of due) {
      for (const r of remindersForStep(input, schedule, d.step, today)) {
        report.reminders.push({ ...r, status: "would_send" });
      }
    }
  }
}

/** The little a tick needs to decide whether anything is due: the year's deadlines and settings. */
async function loadScheduleSource(db: Db | Tx, year: number): Promise<ScheduleSource | undefined> {
  const py = await db.programmeYear.findUnique({
    where: { year },
    select: { settings: true, quarters: { select: { quarter: true, deadline: true } } },
  });
  if (!py) return undefined;
  let settings: ProgrammeSettings;
  try {
    settings = programmeSettingsSchema.parse(JSON.parse(py.settings));
  } catch (e) {
    throw new Error(`${year}年度方案的设置（settings）无效：${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    year,
    settings,
    quarters: py.quarters.map((q) => ({ quarter: q.quarter as Quarter, deadline: q.deadline })),
  };
}

/**
 * The file row of a reminder's report form: written once per bureau and step into
 * FILE_STORE_DIR/forms/<period>/ (the row names the path; every channel's sender uploads it: WeCom
 * media upload + file message, the 智能机器人's chunked upload, a WeChat FileBox, the console prints it).
 */
async function formPayload(
  app: AppContext,
  r: PlannedReminder,
  forms: Map<string, Promise<{ path: string; filename: string }>>,
): Promise<{ path: string; filename: string }> {
  const key = `${r.prefectureCode}|${r.step}`;
  if (!forms.has(key))
    forms.set(
      key,
      (async () => {
        const programme = await loadProgramme(app.store.db, r.period.year);
        const form =
          programme && (await bureauForm(app.store.db, programme, r.period, r.prefectureCode ?? ""));
        if (!form)
          throw new Error(
            `报送表无法生成：${r.period.year}年名册中市州 ${r.prefectureCode} 没有需报送的经开区`,
          );
        const stem = form.filename.replace(/\.xlsx$/, "");
        const file = writeFormFile(
          app.config.FILE_STORE_DIR,
          r.period,
          `${stem}-${r.partOf}.xlsx`,
          form.bytes,
        );
        return { path: file, filename: form.filename };
      })(),
    );
  return forms.get(key)!;
}

async function deliver(app: AppContext, report: RunReport): Promise<void> {
  if (report.reminders.length === 0) return;
  const keys = report.reminders.map((r) => r.key);
  const existing = new Map(
    (
      await app.store.db.outboundMessage.findMany({
        where: { idempotencyKey: { in: keys } },
        select: { id: true, idempotencyKey: true },
      })
    ).map((r) => [r.idempotencyKey, r.id]),
  );
  const forms = new Map<string, Promise<{ path: string; filename: string }>>();
  for (const r of report.reminders) {
    const id = existing.get(r.key);
    if (id !== undefined) {
      r.status = "already_queued";
      r.outboxId = id;
      continue;
    }
    if (!r.address) {
      r.status = "unreachable";
      const msg = `群聊“${r.recipientName}”设置了同步提醒，但无法送达（${r.unreachable ?? "渠道未配置"}），${r.step} 未能抄送`;
      report.warnings.push(msg);
      warnOnce(app, r.key, { group: r.recipientId, key: r.key }, msg);
      continue;
    }
    if (report.dryRun) continue;
    const res = await app.outbox.enqueue({
      idempotencyKey: r.key,
      channel: r.address.channel,
      recipient: r.address.recipient,
      ...(r.form
        ? { msgType: "file" as const, payload: await formPayload(app, r, forms) }
        : {
            msgType: "text" as const,
            payload: { content: r.text, ...(r.mentions ? { mentions: r.mentions } : {}) },
          }),
      purpose: r.purpose,
    });
    r.outboxId = res.id;
    r.status = res.created ? "queued" : "already_queued";
    if (res.created) report.queued++;
  }
  if (report.queued > 0) {
    app.logger.info(
      {
        queued: report.queued,
        steps: [
          ...new Set(
            report.reminders
              .filter((r) => r.status === "queued")
              .map((r) => `${periodKey(r.period)}:${r.step}`),
          ),
        ],
      },
      "reminders queued",
    );
  }
}
