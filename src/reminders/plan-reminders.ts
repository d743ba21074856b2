import type { WorkCalendar } from "../calendar/workdays.js";
import { type Address, contactAddress, groupRoute } from "../delivery/addresses.js";
import { type DeliveryRoutes, routeOf } from "../delivery/delivery-routes.js";
import { type Period, periodKey } from "../domain/period.js";
import type { Purpose } from "../outbox/outbox-message.js";
import type { Programme } from "../programme/programme.js";
import { bureauGaps, type RosterSnapshot, taskForceOf } from "./bureau-gaps.js";
import {
  type ComposeContext,
  composeBureauReminder,
  composeDigest,
  composeLeadReminder,
  composeOpeningForm,
  groupSalutation,
} from "./compose-reminder.js";
import {
  planSchedule,
  type ReminderSchedule,
  type ScheduledStep,
  type StepKind,
  type Stream,
} from "./reminder-schedule.js";
import type { ReminderTemplates } from "./reminder-templates.js";

export type Audience = "bureau_contact" | "bureau_lead" | "task_force" | "group";

/** One message of one step to one recipient. */
export interface PlannedReminder {
  /** Outbox idempotency key: remind:<year>Q<q>:<step>:<recipient id> (groups: group:<id>). */
  key: string;
  period: Period;
  /** The step in the key: a schedule step, or "open-form" for the report form after the opening notice. */
  step: string;
  /** The schedule step this message belongs to. */
  partOf: string;
  stream: Stream;
  kind: StepKind;
  /** Planned instant and local day. */
  at: Date;
  date: string;
  merged: string[];
  audience: Audience;
  recipientId: string;
  recipientName: string;
  prefectureCode: string | null;
  /** Zones the message names (still without a confirmed report). */
  zones: { id: string; name: string }[];
  /** Undefined when a group cannot be reached (nothing can be sent to it): `unreachable` says why. */
  address: Address | undefined;
  unreachable?: string;
  /** Identities of the bureau's contacts to @-mention in a group copy (where the channel mentions by identity). */
  mentions?: string[];
  purpose: Purpose;
  text: string;
  /** A file row: the bureau's pre-filled report form (settings.reminders.attachForm), sent after the text. */
  form?: true;
}

/** Key step of the report form attached to a step's reminder ("<step>-form"). */
export const formStep = (step: string) => `${step}-form`;

export interface PlanInput {
  programme: Programme;
  period: Period;
  calendar: WorkCalendar;
  roster: RosterSnapshot;
  templates: ReminderTemplates;
  routes: DeliveryRoutes;
}

/** Key step of the pre-filled report form that follows the opening notice. */
export const OPENING_FORM_STEP = "open-form";

export function reminderKey(period: Period, step: string, recipientId: string): string {
  return `remind:${periodKey(period)}:${step}:${recipientId}`;
}

/**
 * The messages of one step as they would go out on `sendDate` to the roster as it stands (pure).
 * Only bureaus with zones still missing are addressed; the digest lists them all; nothing once all are in.
 */
export function remindersForStep(
  input: PlanInput,
  schedule: ReminderSchedule,
  step: ScheduledStep,
  sendDate: string,
): PlannedReminder[] {
  const { programme, period, roster, templates } = input;
  const gaps = bureauGaps(programme, roster);
  if (gaps.length === 0) return [];
  const ctx: ComposeContext = {
    programme,
    period,
    deadline: schedule.deadline,
    cal: input.calendar,
    templates,
    sendDate,
    escalateLeadFromOverdueDay: schedule.escalateLeadFromOverdueDay,
  };
  const base = {
    period,
    step: step.step,
    partOf: step.step,
    stream: step.stream,
    kind: step.kind,
    at: step.at,
    date: step.date,
    merged: step.merged,
  };
  const out: PlannedReminder[] = [];
  if (step.stream === "digest") {
    for (const tf of taskForceOf(roster)) {
      out.push({
        ...base,
        key: reminderKey(period, step.step, tf.id),
        audience: "task_force",
        recipientId: tf.id,
        recipientName: tf.name,
        prefectureCode: null,
        zones: gaps.flatMap((g) => g.missing.map((z) => ({ id: z.id, name: z.name }))),
        address: contactAddress(tf, input.routes),
        purpose: "digest",
        text: composeDigest(ctx, step, gaps, tf.name),
      });
    }
    return out;
  }
  for (const gap of gaps) {
    const zones = gap.missing.map((z) => ({ id: z.id, name: z.name }));
    const prefectureCode = gap.prefecture.code;
    if (step.stream === "lead") {
      for (const lead of gap.leads) {
        out.push({
          ...base,
          key: reminderKey(period, step.step, lead.id),
          audience: "bureau_lead",
          recipientId: lead.id,
          recipientName: lead.name,
          prefectureCode,
          zones,
          address: contactAddress(lead, input.routes),
          purpose: "reminder",
          text: composeLeadReminder(ctx, step, gap, lead.name),
        });
      }
      continue;
    }
    for (const c of gap.contacts) {
      out.push({
        ...base,
        key: reminderKey(period, step.step, c.id),
        audience: "bureau_contact",
        recipientId: c.id,
        recipientName: c.name,
        prefectureCode,
        zones,
        address: contactAddress(c, input.routes),
        purpose: "reminder",
        text: composeBureauReminder(ctx, step, gap, c.name),
      });
      if (programme.settings.reminders.attachForm) {
        out.push({
          ...out.at(-1)!,
          key: reminderKey(period, formStep(step.step), c.id),
          step: formStep(step.step),
          text: "[文件] 报送表",
          form: true,
        });
      }
      const form = composeOpeningForm(ctx, step, gap);
      if (form !== undefined) {
        out.push({
          ...out.at(-1)!,
          key: reminderKey(period, OPENING_FORM_STEP, c.id),
          step: OPENING_FORM_STEP,
          text: form,
        });
      }
    }
    for (const g of gap.copyGroups) {
      const route = groupRoute(g, input.routes);
      const address = route.address;
      const by = address && routeOf(input.routes, address.channel)?.mentionIdentity;
      const mentions = by ? gap.contacts.flatMap((c) => (c.identities[by] ? [c.identities[by]] : [])) : [];
      out.push({
        ...base,
        key: reminderKey(period, step.step, `group:${g.id}`),
        audience: "group",
        recipientId: g.id,
        recipientName: g.name,
        prefectureCode,
        zones,
        address,
        ...("reason" in route ? { unreachable: route.reason } : {}),
        ...(mentions.length ? { mentions } : {}),
        purpose: "reminder",
        text: composeBureauReminder(ctx, step, gap, groupSalutation(templates, gap)),
      });
    }
  }
  return out;
}

/**
 * Every planned reminder of a period (pure): the schedule from the programme's settings and the
 * work calendar, each step addressed to the roster as it stands and worded for its planned day.
 */
export function planReminders(input: PlanInput): {
  schedule: ReminderSchedule;
  reminders: PlannedReminder[];
} {
  const schedule = planSchedule(input.programme, input.period, input.calendar);
  const reminders = schedule.steps.flatMap((s) => remindersForStep(input, schedule, s, s.date));
  return { schedule, reminders };
}
