import { schedule, validate } from "node-cron";
import type { AppContext } from "../app-context.js";
import { runDueReminders } from "../reminders/run-due-reminders.js";
import { TZ } from "../time/clock.js";

export interface SchedulerStatus {
  running: boolean;
  lastTickAt?: Date;
  lastError?: string;
}

export interface SchedulerHandle {
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
  status(): SchedulerStatus;
}

/**
 * Runs `job` on demand, never twice at once in this process: a tick that arrives while the previous
 * one is still running is skipped (the next tick catches up). Errors are recorded, not thrown.
 */
export function createTicker(job: () => Promise<void>, onError: (e: unknown) => void) {
  let inFlight: Promise<void> | undefined;
  let lastTickAt: Date | undefined;
  let lastError: string | undefined;
  return {
    /** Resolves "skipped" when a tick was already running. */
    async tick(at: Date): Promise<"ran" | "skipped"> {
      if (inFlight) return "skipped";
      lastTickAt = at;
      inFlight = job().then(
        () => {
          lastError = undefined;
        },
        (e: unknown) => {
          lastError = e instanceof Error ? e.message : String(e);
          onError(e);
        },
      );
      try {
        await inFlight;
      } finally {
        inFlight = undefined;
      }
      return "ran";
    },
    idle: async () => {
      await inFlight;
    },
    get lastTickAt() {
      return lastTickAt;
    },
    get lastError() {
      return lastError;
    },
  };
}

/**
 * Starts the reminder timer (node-cron, Asia/Shanghai; `cron` defaults to SCHEDULER_CRON): every tick
 * calls runDueReminders(app, app.clock.now()). The timer only decides when to look; exactly-once comes
 * from the outbox's idempotency keys, so several instances may run it. `tickOnStart` also ticks at once
 * (useful with a sparse cron). The caller decides whether to start it (SCHEDULER_ENABLED).
 */
export function startScheduler(
  app: AppContext,
  opts: { cron?: string; tickOnStart?: boolean } = {},
): SchedulerHandle {
  const expr = opts.cron ?? app.config.SCHEDULER_CRON;
  const log = app.logger.child({ job: "reminders" });
  const ticker = createTicker(
    async () => {
      await runDueReminders(app, app.clock.now());
    },
    (e) => log.error({ err: e }, "reminders: tick failed"),
  );
  if (!validate(expr)) {
    throw new Error(
      `SCHEDULER_CRON 不是有效的 node-cron 表达式（读到 "${expr}"），例如 "* * * * *" 表示每分钟`,
    );
  }
  let running = true;
  const task = schedule(
    expr,
    async () => {
      if (running) await ticker.tick(app.clock.now());
    },
    { timezone: TZ, name: "kaiqu-reminders" },
  );
  if (opts.tickOnStart) void ticker.tick(app.clock.now());
  log.info({ cron: expr, timezone: TZ }, "reminder scheduler started");
  return {
    async stop() {
      running = false;
      await task.stop();
      await task.destroy();
      await ticker.idle();
    },
    status: () => ({
      running,
      ...(ticker.lastTickAt ? { lastTickAt: ticker.lastTickAt } : {}),
      ...(ticker.lastError ? { lastError: ticker.lastError } : {}),
    }),
  };
}
