import { quarterDeadline, reportingOpensOn } from "../calendar/quarter-deadlines.js";
import { addDays, nthWorkdayAfter, type WorkCalendar, workdayOnOrBefore } from "../calendar/workdays.js";
import type { Period, Quarter } from "../domain/period.js";
import type { ProgrammeSettings } from "../programme/programme.js";
import { localInstant } from "../time/clock.js";

/** bureau: the bureau contacts (and group copies); lead: the bureau lead; digest: the task force. */
export type Stream = "bureau" | "lead" | "digest";
export type StepKind = "open" | "before" | "deadline" | "overdue";

export interface ScheduledStep {
  stream: Stream;
  /** The step as written in idempotency keys: open, T-7, D0, overdue-2, lead-overdue-2, digest-overdue-2. */
  step: string;
  kind: StepKind;
  /** Days before the deadline (before, deadline), the overdue workday's number (overdue), 0 for open. */
  n: number;
  /** The day the rule gives before moving to a workday. */
  nominalDate: string;
  /** The local day it is sent. */
  date: string;
  at: Date;
  /** Less urgent steps that fell on the same day and are sent as this one. */
  merged: string[];
}

export interface ReminderSchedule {
  period: Period;
  deadline: string;
  opensOn: string;
  /** Local time of day "HH:mm". */
  time: string;
  escalateLeadFromOverdueDay: number;
  /** Sorted by time, then bureau → lead → digest. */
  steps: ScheduledStep[];
}

/** What the schedule needs of a programme year (a full Programme will do). */
export interface ScheduleSource {
  year: number;
  quarters: { quarter: Quarter; deadline: string }[];
  settings: ProgrammeSettings;
}

const STREAM_ORDER: Record<Stream, number> = { bureau: 0, lead: 1, digest: 2 };

interface Candidate {
  step: string;
  kind: StepKind;
  n: number;
  nominalDate: string;
  date: string;
  urgency: number;
}

/**
 * Every reminder step of a period, from the programme's settings (pure). Before the deadline: the
 * opening notice on the first workday after the quarter, then T-n for each `beforeDays` (0 = the
 * deadline day, step D0); a step on a non-workday moves to the previous workday, never before the
 * opening; steps landing on one day become one (the most urgent, listing the others in `merged`).
 * After the deadline: one step per workday, at most `overdueMax`; the lead from the
 * `escalateLeadFromOverdueDay`-th; the task-force digest on each.
 */
export function planSchedule(programme: ScheduleSource, period: Period, cal: WorkCalendar): ReminderSchedule {
  const r = programme.settings.reminders;
  const deadline = quarterDeadline(programme, period.quarter);
  const opensOn = reportingOpensOn(cal, period);
  const candidates: Candidate[] = [];
  if (r.openingNotice) {
    candidates.push({ step: "open", kind: "open", n: 0, nominalDate: opensOn, date: opensOn, urgency: -1 });
  }
  for (const days of [...new Set(r.beforeDays)].sort((a, b) => b - a)) {
    const nominalDate = addDays(deadline, -days);
    const date = workdayOnOrBefore(cal, nominalDate);
    if (date < opensOn) continue;
    candidates.push({
      step: days === 0 ? "D0" : `T-${days}`,
      kind: days === 0 ? "deadline" : "before",
      n: days,
      nominalDate,
      date,
      urgency: 1000 - days,
    });
  }
  const byDate = new Map<string, Candidate[]>();
  for (const c of candidates) byDate.set(c.date, [...(byDate.get(c.date) ?? []), c]);

  const steps: ScheduledStep[] = [];
  for (const [date, group] of byDate) {
    const kept = group.reduce((a, b) => (b.urgency > a.urgency ? b : a));
    steps.push({
      stream: "bureau",
      step: kept.step,
      kind: kept.kind,
      n: kept.n,
      nominalDate: kept.nominalDate,
      date,
      at: localInstant(date, r.time),
      merged: group.filter((c) => c !== kept).map((c) => c.step),
    });
  }
  for (let k = 1; k <= r.overdueMax; k++) {
    const date = nthWorkdayAfter(cal, deadline, k);
    const base = { kind: "overdue" as const, n: k, nominalDate: date, date, at: localInstant(date, r.time) };
    steps.push({ ...base, stream: "bureau", step: `overdue-${k}`, merged: [] });
    if (k >= r.escalateLeadFromOverdueDay) {
      steps.push({ ...base, stream: "lead", step: `lead-overdue-${k}`, merged: [] });
    }
    if (r.taskForceDigest) steps.push({ ...base, stream: "digest", step: `digest-overdue-${k}`, merged: [] });
  }
  steps.sort((a, b) => a.at.getTime() - b.at.getTime() || STREAM_ORDER[a.stream] - STREAM_ORDER[b.stream]);
  return {
    period,
    deadline,
    opensOn,
    time: r.time,
    escalateLeadFromOverdueDay: r.escalateLeadFromOverdueDay,
    steps,
  };
}
