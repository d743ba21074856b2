import type { AppContext } from "../src/app-context.js";
import type { Config } from "../src/config/config.js";
import type { Store } from "../src/db/database.js";
import { openAppStore } from "../src/db/open-app-store.js";
import { alertGiveUp } from "../src/delivery/give-up-alert.js";
import { notifyTaskForce } from "../src/delivery/notify-task-force.js";
import type { OutboxChannel } from "../src/domain/codes.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { createLogger, type Logger } from "../src/log/logger.js";
import { type ChannelSender, type DispatcherOptions, OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { Outbox, type OutboxRow } from "../src/outbox/outbox.js";
import { SharedSendBudget } from "../src/outbox/send-budgets.js";
import { listProgrammeYears } from "../src/programme/programme-repository.js";
import { reminderSendCheck } from "../src/reminders/reminder-send-check.js";
import { type SchedulerHandle, startScheduler } from "../src/scheduler/scheduler.js";
import { type Clock, systemClock } from "../src/time/clock.js";
import { createInboundHandler } from "./inbound/handle.js";
import { acceptInbound } from "./inbound/inbound-store.js";
import { resumeUnfinishedInbound } from "./inbound/resume-unfinished.js";
import { createHttpServer, type HttpServer } from "./server/create-server.js";
import { createConsoleSender } from "./transports/console/console-sender.js";
import type { Transport, TransportModule } from "./transports/transport.js";
import { channelRegistry, deliveryRoutes, TRANSPORT_MODULES } from "./transports/transports.js";
import { CardResponseCodes } from "./transports/wecom-app/card-response-codes.js";
import { WecomClient } from "./transports/wecom-app/wecom-client.js";
import { WECOM_RATE_LIMITS, type WecomRateLimits } from "./transports/wecom-app/wecom-rate-limits.js";
import { createWecomSenders } from "./transports/wecom-app/wecom-senders.js";

export interface BotOptions {
  logger?: Logger;
  clock?: Clock;
  /** fetch for the WeCom client (tests may wrap it). */
  fetch?: typeof fetch;
  /** Replaces the inbound entry point (tests); default createInboundHandler(app). */
  onEvent?: (event: InboundEvent) => Promise<unknown>;
  /** Overrides of the dispatcher settings taken from OUTBOX_* (tests). */
  dispatcher?: Partial<
    Pick<DispatcherOptions, "pollMs" | "leaseMs" | "backoffBaseMs" | "backoffMaxMs" | "random">
  >;
  /** WeCom client-side budgets (default WeCom's own; false only for benches). */
  wecomRateLimits?: WecomRateLimits | false;
  /** Start the reminder scheduler (default: as SCHEDULER_ENABLED says). */
  scheduler?: boolean;
  /** The platforms to start (default TRANSPORT_MODULES: one line per platform). */
  transports?: readonly TransportModule[];
}

export interface RunningBot {
  app: AppContext;
  server: HttpServer;
  /** http://host:port the server listens on. */
  url: string;
  dispatcher: OutboxDispatcher;
  channels: OutboxChannel[];
  stop(): Promise<void>;
}

/** Console rows that answer a `kaiqu chat` session are left to that session for this long. */
const CONSOLE_REPLY_GRACE_MS = 30_000;

/**
 * The composition root: store (with the migrations policy), AppContext, inbound entry point,
 * HTTP server (WeCom callback + /healthz), outbox dispatcher with a sender per configured
 * channel, reminder scheduler, and — only when WECHATY_PUPPET is set — the Wechaty transport
 * (imported dynamically so WeCom-only deployments never load wechaty).
 */
/** The operator hint for a store without any programme year (also printed by the CLI). */
export const NO_PROGRAMME_HINT =
  "数据库中还没有任何年度方案（名单、目标、联系人）：样例请运行 npm run kaiqu -- seed --sample，正式名单请运行 npm run kaiqu -- roster import FILE.xlsx";

export async function startBot(config: Config, o: BotOptions = {}): Promise<RunningBot> {
  const logger = o.logger ?? createLogger(config.LOG_LEVEL);
  const clock = o.clock ?? (config.KAIQU_CLOCK_START ? trainingClock(config.KAIQU_CLOCK_START) : systemClock);
  if (config.KAIQU_CLOCK_START) {
    logger.warn(
      { clockStart: config.KAIQU_CLOCK_START, now: clock.now().toISOString() },
      "！！！训练时钟：机器人的时间从 KAIQU_CLOCK_START 起走，不是真实时间（演练用）！！！ / TRAINING CLOCK: the bot's time starts at KAIQU_CLOCK_START, not the real time",
    );
  }
  const modules = o.transports ?? TRANSPORT_MODULES;
  const channelsOf = channelRegistry(modules);
  const store = await openAppStore(config, logger);
  const stops: (() => Promise<void>)[] = [() => store.close()];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse())
      await s().catch((e) => logger.error({ err: e }, "shutdown step failed"));
  };
  try {
    // a new or empty store starts fine but can answer nobody: say so once, with what to run
    if ((await listProgrammeYears(store.db)).length === 0)
      logger.warn(
        `${NO_PROGRAMME_HINT} / the store holds no programme yet (zones, targets, contacts): ` +
          "load the sample with npm run kaiqu -- seed --sample, or import a roster with npm run kaiqu -- roster import FILE.xlsx",
      );
    const outbox = new Outbox(store, clock);
    const app: AppContext = { config, store, outbox, clock, logger, routes: deliveryRoutes(config, modules) };
    const handle = createInboundHandler(app, { channels: channelsOf });
    const onEvent = o.onEvent ?? handle;
    if (!o.onEvent) {
      // messages stored but never finished (crash, store failure) are run again: no transport redelivers them
      let resuming: Promise<unknown> = Promise.resolve();
      const resume = () => {
        resuming = resumeUnfinishedInbound(app, handle).catch((e) =>
          logger.error({ err: e }, "inbound: resume pass failed"),
        );
      };
      resume();
      const timer = setInterval(resume, 60_000);
      timer.unref();
      stops.push(async () => {
        clearInterval(timer);
        await resuming;
      });
    }
    // in the database: the click and the reply may reach different instances
    const cardCodes = new CardResponseCodes(clock, store.db);

    const senders: Partial<Record<OutboxChannel, ChannelSender>> = {
      console: botConsoleSender(logger, clock),
    };
    if (config.wecomEnabled || Object.keys(config.robotKeys).length > 0) {
      const client = new WecomClient({
        baseUrl: config.WECOM_API_BASE,
        app: config.wecomEnabled
          ? { corpId: config.WECOM_CORP_ID!, agentId: config.WECOM_AGENT_ID!, secret: config.WECOM_SECRET! }
          : undefined,
        clock,
        fetch: o.fetch,
        logger: logger.child({ component: "wecom-client" }),
        duplicateCheckIntervalS: duplicateCheckInterval(config),
      });
      Object.assign(
        senders,
        createWecomSenders({
          client,
          clock,
          logger,
          robotKeys: config.robotKeys,
          cardCodes,
          rateLimits: o.wecomRateLimits,
          ...(o.wecomRateLimits === false
            ? {}
            : { budgets: sharedWecomBudgets(store, clock, o.wecomRateLimits) }),
        }),
      );
    }

    // every configured platform: its senders join the dispatcher, its status /healthz
    const started: Transport[] = [];
    for (const m of modules) {
      const t = await m.start({
        app,
        handle: onEvent,
        // stored before anything can fail, for platforms that do not redeliver (the handler claims it)
        ...(o.onEvent ? {} : { accept: (e: InboundEvent) => acceptInbound(store.db, e) }),
        alert: async (key, text, avoid) => {
          await notifyTaskForce(app, { key, text, avoid });
        },
      });
      if (!t) continue;
      stops.push(() => t.stop());
      Object.assign(senders, t.senders);
      started.push(t);
    }

    const dispatcher = new OutboxDispatcher({
      outbox,
      senders,
      clock,
      logger,
      instanceId: config.instanceId,
      batch: config.OUTBOX_BATCH,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      leaseMs: config.OUTBOX_LEASE_S * 1000,
      pollMs: config.OUTBOX_POLL_MS,
      onGiveUp: (row, outcome) => alertGiveUp(app, row, outcome),
      preSend: reminderSendCheck(store.db),
      ...o.dispatcher,
    });

    let scheduler: SchedulerHandle | undefined;
    if (o.scheduler ?? config.SCHEDULER_ENABLED) {
      scheduler = startScheduler(app);
      const s = scheduler;
      stops.push(() => s.stop());
    }

    const channels = Object.keys(senders) as OutboxChannel[];
    const server = createHttpServer({
      logger,
      clock,
      bodyLimitBytes: config.WECOM_BODY_LIMIT_BYTES,
      health: {
        store,
        outbox,
        schedulerStatus: () => {
          if (!scheduler) return { ok: true, running: false, enabled: false };
          const s = scheduler.status();
          return { ok: s.running && !s.lastError, enabled: true, ...s };
        },
        info: () => ({
          instance: config.instanceId,
          channels,
          clock: config.KAIQU_CLOCK_START
            ? { training: true, start: config.KAIQU_CLOCK_START, now: clock.now().toISOString() }
            : { training: false },
          ...Object.fromEntries(started.filter((t) => t.status).map((t) => [t.name, t.status!()])),
        }),
      },
      wecom: config.wecomEnabled
        ? {
            token: config.WECOM_TOKEN!,
            encodingAESKey: config.WECOM_ENCODING_AES_KEY!,
            corpId: config.WECOM_CORP_ID!,
            replayWindowS: config.WECOM_REPLAY_WINDOW_S,
            onEvent,
            // stored before the 200 (WeCom does not redeliver after it); the handler claims the row
            ...(o.onEvent ? {} : { accept: (e: InboundEvent) => acceptInbound(store.db, e) }),
            cardCodes,
          }
        : undefined,
      web: config.WEB_ENABLED ? { app } : undefined,
    });
    const url = await server.listen(config.HOST, config.PORT);
    // stopped first: no new callbacks, and their in-flight handlers finish before the rest goes
    stops.push(() => dispatcher.stop());
    stops.push(() => server.close());
    dispatcher.start();

    logger.info({ url, channels, instance: config.instanceId }, "kaiqu-bot started");
    if (config.wecomEnabled)
      logger.info({ callback: `${url}/wecom/callback` }, "企业微信回调已启用 / WeCom callback enabled");
    else
      logger.warn(
        "未配置企业微信（WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY），以仅控制台模式运行；" +
          "试用：npm run kaiqu -- chat --as <联系人ID或企业微信userid，如样例中的 qn_contact> / WeCom is not configured: running console-only; " +
          "try it with: npm run kaiqu -- chat --as <contact id or WeCom userid, e.g. qn_contact from the sample>",
      );
    return { app, server, url, dispatcher, channels, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * KAIQU_CLOCK_START: a clock that starts at the given instant when the bot starts and runs forward
 * in real time (rehearsing the 2023 sample year, end-to-end checks of a whole quarter).
 */
export function trainingClock(startIso: string, real: Clock = systemClock): Clock {
  const offset = new Date(startIso).getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset) };
}

/**
 * WeCom's longest duplicate-check window (4 h): every outbox row's content carries its own mark
 * (row-marker.ts), so the check never swallows a distinct message, and a resend of the same row
 * after a crash is suppressed for as long as WeCom allows (later it carries a resend notice).
 */
function duplicateCheckInterval(_config: Config): number {
  return 14_400;
}

/** WeCom's budgets counted in the database, shared by every instance on it. */
function sharedWecomBudgets(store: Store, clock: Clock, limits: WecomRateLimits = WECOM_RATE_LIMITS) {
  return {
    app: new SharedSendBudget(store, clock, "app", limits.app),
    appchat: new SharedSendBudget(store, clock, "appchat", limits.appchat),
    robot: new SharedSendBudget(store, clock, "robot", limits.robot),
  };
}

/** Console rows are logged; replies are left briefly to a `kaiqu chat` session that may be waiting for them. */
function botConsoleSender(logger: Logger, clock: Clock): ChannelSender {
  const print = createConsoleSender({
    clock,
    print: (text, row) =>
      logger.info(
        { outboxId: row.id, recipient: row.recipient, purpose: row.purpose, text },
        "console message",
      ),
  });
  return {
    send: async (row: OutboxRow) => {
      const due = row.createdAt.getTime() + CONSOLE_REPLY_GRACE_MS;
      if (row.purpose === "reply" && clock.now().getTime() < due)
        return { kind: "defer", until: new Date(due), reason: "left to a console chat session" };
      return print.send(row);
    },
  };
}
