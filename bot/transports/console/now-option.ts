import { type Clock, dayjs, TZ } from "../../../src/time/clock.js";
import { CliError } from "../../cli/cli-context.js";

/**
 * Reads a `--now` value: an ISO instant with its offset ("2023-04-21T09:30:00+08:00", "…Z"), or a
 * local Shanghai date-time "YYYY-MM-DD HH:mm[:ss]" / "YYYY-MM-DDTHH:mm" / "YYYY-MM-DD" — never the
 * server's own time zone (a UTC server would otherwise move the instant by eight hours).
 */
export function parseNow(text: string): Date {
  const t = text.trim();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const d = dayjs.tz(`${local[1]} ${local[2] ?? "00:00"}:${local[3] ?? "00"}`, "YYYY-MM-DD HH:mm:ss", TZ);
    if (d.isValid() && d.format("YYYY-MM-DD") === local[1]) return d.toDate();
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new CliError(
    `--now 的时间无法识别（读到 "${text}"）。示例：2023-04-21T09:30:00+08:00，或按北京时间写 "2023-04-21 09:30"`,
  );
}

/**
 * `--now <time>`: a clock that starts at the given instant (parseNow) and runs on from there (so a
 * chat keeps plausible times), for trying periods and deadlines. Without the option, the CLI's clock.
 */
export function clockFromOption(now: string | undefined, base: Clock): Clock {
  if (now === undefined) return base;
  const start = parseNow(now).getTime();
  const t0 = base.now().getTime();
  return { now: () => new Date(start + (base.now().getTime() - t0)) };
}
