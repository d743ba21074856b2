import type { Clock } from "../../src/time/clock.js";
import { CliError } from "../cli/cli-context.js";

/**
 * `--now <ISO>`: a clock that starts at the given instant and runs on from there (so a chat keeps
 * plausible times), for trying periods and deadlines. Without the option, the CLI's clock.
 */
export function clockFromOption(now: string | undefined, base: Clock): Clock {
  if (now === undefined) return base;
  const start = Date.parse(now);
  if (Number.isNaN(start)) {
    throw new CliError(`--now: 需要 ISO 时间，例如 2023-04-10T09:00:00+08:00（读取到“${now}”）`, 2);
  }
  const t0 = base.now().getTime();
  return { now: () => new Date(start + (base.now().getTime() - t0)) };
}
