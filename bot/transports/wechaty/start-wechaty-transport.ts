import { createHash } from "node:crypto";
import type { Contact, Message, Room, Wechaty } from "wechaty";
import { types, WechatyBuilder } from "wechaty";
import type { AppContext } from "../../../src/app-context.js";
import { notifyTaskForce } from "../../../src/delivery/notify-task-force.js";
import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
import type { ChannelSender } from "../../../src/outbox/dispatcher.js";
import { formatLocal } from "../../../src/time/clock.js";
import { errorText } from "./governor/rate-limit-patterns.js";
import { type GovernorStatus, governorLimitsFromConfig, SendGovernor } from "./governor/send-governor.js";
import { loadWechatSendHistory } from "./governor/send-history.js";
import { SharedWechatBudgets } from "./governor/shared-wechat-budgets.js";
import { handleWechatMessage } from "./inbound-message.js";
import { printLoginQr, qrLink } from "./login-qr.js";
import { type BindingResult, RosterBinder, type Unresolved } from "./roster-binder.js";
import { WECHAT_CHANNELS, WechatSender } from "./wechat-sender.js";
import { wechatTexts } from "./wechat-texts.js";

/** Real puppets emit `ready` once contacts are synced; without it, bind and report this long after login. */
export const READY_GRACE_MS = 60_000;

export interface WechatyTransportOptions {
  /** A puppet instance (tests: wechaty-puppet-mock); default: the puppet named by WECHATY_PUPPET. */
  puppet?: unknown;
  /** [0, 1) source for the jittered delay between sends. */
  random?: () => number;
  /** Where the login QR is drawn (default stderr, so JSON logs on stdout stay clean). */
  qrOutput?: NodeJS.WritableStream;
  /**
   * Stores a message durably before anything that can fail (acceptInbound): WeChat does not
   * redeliver. Without it a message is stored when `onEvent` (handle) starts.
   */
  accept?: (e: InboundEvent) => Promise<unknown>;
}

export interface WechatyTransportStatus {
  puppet: string;
  loggedIn: boolean;
  user?: { id: string; name: string };
  lastLoginAt?: string;
  lastLogoutAt?: string;
  /** A login QR was shown and nobody has logged in since (the link itself is only logged). */
  awaitingScanSince?: string;
  binding?: {
    at: string;
    contacts: number;
    rooms: number;
    rebound: number;
    unresolved: Pick<Unresolved, "kind" | "rosterId">[];
  };
  governor: GovernorStatus;
}

export interface WechatyTransport {
  senders: { wechat: ChannelSender; wechat_room: ChannelSender };
  stop(): Promise<void>;
  status(): WechatyTransportStatus;
}

const AVOID = [...WECHAT_CHANNELS];

/**
 * Personal WeChat through Wechaty. Load with `await import("./transports/wechaty/start-wechaty-transport.js")`
 * only when WECHATY_PUPPET is set, so a WeCom-only deployment never loads wechaty.
 */
export async function startWechatyTransport(
  app: AppContext,
  onEvent: (e: InboundEvent) => Promise<unknown>,
  opts: WechatyTransportOptions = {},
): Promise<WechatyTransport> {
  const { config, clock } = app;
  const log = app.logger.child({ transport: "wechaty" });
  const puppetName = opts.puppet ? "(instance)" : config.WECHATY_PUPPET;
  if (!opts.puppet && !config.WECHATY_PUPPET) {
    throw new Error("个人微信未配置：WECHATY_PUPPET 为空（例如 WECHATY_PUPPET=wechaty-puppet-service）");
  }
  const bot: Wechaty = opts.puppet
    ? WechatyBuilder.build({ name: config.WECHATY_NAME, puppet: opts.puppet as never })
    : WechatyBuilder.build({
        name: config.WECHATY_NAME,
        puppet: config.WECHATY_PUPPET as never,
        ...(config.WECHATY_PUPPET_SERVICE_TOKEN
          ? { puppetOptions: { token: config.WECHATY_PUPPET_SERVICE_TOKEN } }
          : {}),
      });

  const governor = new SendGovernor({
    limits: governorLimitsFromConfig(config),
    ...(opts.random ? { random: opts.random } : {}),
    onTrip: async (trip) => {
      await notifyTaskForce(app, {
        key: `wechat-breaker:${trip.at.toISOString()}`,
        text: wechatTexts.breaker(trip.at, trip.until, trip.error),
        avoid: AVOID,
      });
    },
  });
  governor.seed(await loadWechatSendHistory(app.store.db, clock.now()));

  const alert = (key: string, text: string) =>
    notifyTaskForce(app, { key, text, avoid: AVOID }).catch((e) =>
      log.error({ err: e }, "wechaty: task-force alert failed"),
    );
  const binder = new RosterBinder(app, bot, log, async (r) => {
    await alert(
      `wechat-rebound:${r.kind}:${r.rosterId}:${r.to}`,
      wechatTexts.bindingReport({ at: clock.now(), rebound: [r], unresolved: [] }),
    );
  });
  const state: {
    user?: { id: string; name: string };
    lastLoginAt?: Date;
    lastLogoutAt?: Date;
    awaitingScanSince?: Date;
    reportedLogin?: Date;
    graceTimer?: NodeJS.Timeout;
    stopped: boolean;
  } = { stopped: false };
  const sender = new WechatSender({
    app,
    binder,
    governor,
    budgets: new SharedWechatBudgets(app.store, clock, governorLimitsFromConfig(config)),
    accountId: () => state.user?.id ?? config.WECHATY_NAME,
    log,
    isLoggedIn: () => bot.isLoggedIn,
  });

  const bindAndReport = async () => {
    if (state.graceTimer) clearTimeout(state.graceTimer);
    state.graceTimer = undefined;
    if (!bot.isLoggedIn || state.stopped) return;
    const result = await binder.bindAll();
    if (state.reportedLogin && state.reportedLogin === state.lastLoginAt) return;
    state.reportedLogin = state.lastLoginAt;
    await reportBinding(result);
  };
  const reportBinding = async (r: BindingResult) => {
    if (r.unresolved.length === 0 && r.rebound.length === 0) return;
    const digest = [
      ...r.unresolved.map((u) => `${u.rosterId}:${u.ref}`),
      ...r.rebound.map((b) => `${b.rosterId}:${b.to}`),
    ]
      .sort()
      .join(",");
    await alert(
      `wechat-binding:${formatLocal(r.at, "YYYY-MM-DD")}:${shortHash(digest)}`,
      wechatTexts.bindingReport({
        at: r.at,
        rebound: r.rebound.map((b) => ({ label: b.label, how: b.how, from: b.from, to: b.to })),
        unresolved: r.unresolved,
      }),
    );
  };
  const guard =
    <A extends unknown[]>(what: string, fn: (...args: A) => Promise<void>) =>
    (...args: A) => {
      if (state.stopped) return;
      fn(...args).catch((e) => log.error({ err: e, what }, `wechaty: ${what} failed`));
    };

  bot.on(
    "scan",
    guard("scan", async (qrcode: string, status: number) => {
      if (qrcode && (status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout)) {
        state.awaitingScanSince ??= clock.now();
        log.info({ qrUrl: qrLink(qrcode) }, "wechaty: 请用机器人手机微信扫码登录（终端二维码或打开链接）");
        await printLoginQr(qrcode, opts.qrOutput ?? process.stderr);
      } else {
        log.info({ status: types.ScanStatus[status] ?? status }, "wechaty: scan status");
      }
    }),
  );
  bot.on(
    "login",
    guard("login", async (user: Contact) => {
      const at = clock.now();
      state.user = { id: user.id, name: user.name() };
      state.lastLoginAt = at;
      state.awaitingScanSince = undefined;
      binder.reset();
      log.info({ user: state.user }, "wechaty: logged in");
      await alert(`wechat-login:${user.id}:${at.toISOString()}`, wechatTexts.loggedIn(user.name(), at));
      await binder.bindAll();
      if (state.reportedLogin === at) return; // `ready` came first and reported
      if (state.graceTimer) clearTimeout(state.graceTimer);
      state.graceTimer = setTimeout(guard("bind after login", bindAndReport), READY_GRACE_MS);
      state.graceTimer.unref();
    }),
  );
  bot.on("ready", guard("ready", bindAndReport));
  bot.on(
    "logout",
    guard("logout", async (user: Contact, reason?: string) => {
      const at = clock.now();
      state.lastLogoutAt = at;
      if (state.graceTimer) clearTimeout(state.graceTimer);
      binder.reset();
      log.warn({ user: user.id, reason }, "wechaty: logged out");
      await alert(
        `wechat-logout:${user.id}:${at.toISOString()}`,
        wechatTexts.loggedOut(user.name(), at, reason),
      );
    }),
  );
  bot.on(
    "error",
    guard("error", async (err: unknown) => {
      const at = clock.now();
      const text = errorText(err).split("\n")[0]!.slice(0, 300);
      log.error({ error: text }, "wechaty: error");
      await alert(`wechat-error:${formatLocal(at, "YYYY-MM-DD-HH")}`, wechatTexts.error(at, text));
    }),
  );
  bot.on(
    "message",
    guard("message", async (msg: Message) => {
      await handleWechatMessage(msg, {
        app,
        binder,
        log,
        onEvent,
        ...(opts.accept ? { accept: opts.accept } : {}),
      });
    }),
  );
  bot.on(
    "room-topic",
    guard("room-topic", async (room: Room, newTopic: string) => {
      await binder.topicChanged(room.id, newTopic);
    }),
  );

  try {
    await bot.start();
  } catch (e) {
    await bot.stop().catch(() => {});
    throw new Error(
      `个人微信（Wechaty）启动失败：${errorText(e)}。请检查 WECHATY_PUPPET（读到 "${puppetName}"）` +
        "和 WECHATY_PUPPET_SERVICE_TOKEN 或该 puppet 自己的设置。",
    );
  }
  log.info({ puppet: puppetName, name: config.WECHATY_NAME }, "wechaty: started, waiting for login");

  return {
    senders: sender.senders,
    async stop() {
      state.stopped = true;
      if (state.graceTimer) clearTimeout(state.graceTimer);
      await bot.stop().catch((e: unknown) => log.warn({ err: e }, "wechaty: stop failed"));
    },
    status() {
      const b = binder.last;
      return {
        puppet: puppetName ?? "",
        loggedIn: bot.isLoggedIn,
        ...(state.user ? { user: state.user } : {}),
        ...(state.lastLoginAt ? { lastLoginAt: state.lastLoginAt.toISOString() } : {}),
        ...(state.lastLogoutAt ? { lastLogoutAt: state.lastLogoutAt.toISOString() } : {}),
        ...(state.awaitingScanSince ? { awaitingScanSince: state.awaitingScanSince.toISOString() } : {}),
        ...(b
          ? {
              binding: {
                at: b.at.toISOString(),
                contacts: b.contacts,
                rooms: b.rooms,
                rebound: b.rebound.length,
                unresolved: b.unresolved.map((u) => ({ kind: u.kind, rosterId: u.rosterId })),
              },
            }
          : {}),
        governor: governor.status(clock.now()),
      };
    },
  };
}

function shortHash(s: string): string {
  return createHash("sha1").update(s).digest("hex").slice(0, 10);
}
