import { formatLocal, localDate } from "../time/clock.js";
import type { ReminderSchedule, ScheduledStep, Stream } from "./reminder-schedule.js";

export interface DueStep {
  step: ScheduledStep;
  /** Sent on a later day than planned (after downtime). */
  late: boolean;
}

export interface SkippedStep {
  step: ScheduledStep;
  reason: string;
}

/**
 * Which steps go out at `now` (pure). Per stream only the latest step whose time has come counts;
 * earlier ones are superseded. It goes out when still meaningful:
 * - before the deadline (open, T-n, D0): until the end of the deadline day; a step missed on an
 *   earlier day (downtime) only from the day's reminder time on, and not on a day that has its own step;
 * - after the deadline (overdue, lead, digest): only on its own day.
 * Whether it was already sent is decided by the outbox's idempotency key, not here.
 */
export function selectDueSteps(
  schedule: ReminderSchedule,
  now: Date,
): { due: DueStep[]; skipped: SkippedStep[] } {
  const today = localDate(now);
  const timeNow = formatLocal(now, "HH:mm");
  const due: DueStep[] = [];
  const skipped: SkippedStep[] = [];
  const streams: Stream[] = ["bureau", "lead", "digest"];
  for (const stream of streams) {
    const steps = schedule.steps.filter((s) => s.stream === stream);
    const past = steps.filter((s) => s.at.getTime() <= now.getTime());
    const latest = past.at(-1);
    if (!latest) continue;
    if (latest.date === today) {
      due.push({ step: latest, late: false });
      continue;
    }
    if (latest.kind === "overdue") {
      // the stream's last step on an earlier day: its reminders are over, nothing to report
      if (latest !== steps.at(-1))
        skipped.push({ step: latest, reason: `计划于${latest.date}发送，已过期不再补发` });
      continue;
    }
    if (today > schedule.deadline) {
      if (latest !== steps.at(-1))
        skipped.push({
          step: latest,
          reason: `截止日${schedule.deadline}已过，不再补发（逾期提醒另行发送）`,
        });
      continue;
    }
    if (steps.some((s) => s.date === today)) {
      skipped.push({ step: latest, reason: "今天另有计划提醒，由其代替补发" });
      continue;
    }
    if (timeNow < schedule.time) {
      skipped.push({ step: latest, reason: `补发等到今天${schedule.time}` });
      continue;
    }
    due.push({ step: latest, late: true });
  }
  return { due, skipped };
}
