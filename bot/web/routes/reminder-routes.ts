import type { FastifyInstance } from "fastify";
import { periodKey, periodLabel } from "../../../src/domain/period.js";
import { loadProgramme } from "../../../src/programme/programme-repository.js";
import { planReminders } from "../../../src/reminders/plan-reminders.js";
import { loadReminderTemplates } from "../../../src/reminders/reminder-templates.js";
import { loadRosterSnapshot, runCalendar } from "../../../src/reminders/run-due-reminders.js";
import type { WebRuntime } from "../web-console.js";
import { periodFrom } from "../web-query.js";
import { html, requireTaskForce, WebError } from "../web-user.js";

export function registerReminderRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;
  web.get<{ Querystring: { period?: string } }>("/reminders", async (req, reply) => {
    const user = requireTaskForce(req);
    const period = periodFrom(req.query.period, app.clock.now());
    const programme = await loadProgramme(app.store.db, period.year);
    if (!programme) throw new WebError(404, `${period.year}年度尚未设置培育计划。`);
    const warnings: string[] = [];
    const [roster, sent] = await Promise.all([
      loadRosterSnapshot(app.store.db, period),
      app.store.db.outboundMessage.findMany({
        where: { idempotencyKey: { startsWith: `remind:${periodKey(period)}:` } },
        orderBy: { id: "asc" },
        select: {
          id: true,
          idempotencyKey: true,
          channel: true,
          recipient: true,
          status: true,
          createdAt: true,
          sentAt: true,
          lastError: true,
        },
      }),
    ]);
    const { schedule, reminders } = planReminders({
      programme,
      period,
      calendar: runCalendar(app, warnings),
      roster,
      templates: loadReminderTemplates(),
      routes: app.routes,
    });
    const sentByKey = new Map(sent.map((s) => [s.idempotencyKey, s]));
    return html(reply).view("reminders", {
      user,
      title: "提醒",
      nav: "reminders",
      period: periodKey(period),
      periodLabel: periodLabel(period),
      schedule,
      warnings: [...new Set(warnings)],
      steps: schedule.steps.map((s) => ({
        step: s,
        reminders: reminders
          .filter((r) => r.partOf === s.step)
          .map((r) => ({ ...r, outbox: sentByKey.get(r.key) ?? null })),
      })),
      sent,
    });
  });
}
