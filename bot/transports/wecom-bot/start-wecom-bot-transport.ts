import { WSClient, type WSClientOptions } from "@wecom/aibot-node-sdk";
import { NamedLease } from "../../../src/leases/named-lease.js";
import type { Logger } from "../../../src/log/logger.js";
import type { Transport, TransportContext } from "../transport.js";
import { WECOM_BOT } from "./channel.js";
import { fileEvent } from "./file-event.js";
import { type BotFrame, meaningOf } from "./frame-events.js";
import { createWecomBotSender } from "./wecom-bot-sender.js";

export type ConnectionState =
  | "standby"
  | "connecting"
  | "connected"
  | "disconnected"
  | "auth_failed"
  | "stopped";

export interface WecomBotStatus {
  state: ConnectionState;
  /** This instance holds the one-connection lease for the bot id. */
  leaseHeld: boolean;
  /** Last heartbeat WeCom acknowledged (ISO), over this connection or an earlier one. */
  lastHeartbeatAt?: string;
  connectedAt?: string;
  reconnects: number;
  authFailures: number;
  /** Lease checks completed (taken, renewed or found held by another): progress one can wait on. */
  leaseChecks: number;
  lastError?: string;
}

/** SDK settings tests may shorten (heartbeat, reconnect delays); production keeps the SDK's own. */
export interface WecomBotTuning {
  heartbeatIntervalMs?: number;
  reconnectIntervalMs?: number;
  maxAuthFailureAttempts?: number;
  /** How often the lease is renewed (default a third of WECOM_BOT_LEASE_S). */
  leaseRenewMs?: number;
}

/** A file message handed over with the event (see BotFile); the files reader consumes it. */
export type FileListener = (
  event: import("../../../src/inbound/inbound-event.js").InboundEvent,
  file: import("./frame-events.js").BotFile,
) => Promise<unknown>;

/** Starts the transport (see wecom-bot-module.ts); loaded only when the 智能机器人 is configured. */
export async function startWecomBot(
  ctx: TransportContext,
  tuning: WecomBotTuning,
  onFile: FileListener | undefined,
): Promise<Transport> {
  const { app } = ctx;
  const config = app.config;
  const botId = config.WECOM_BOT_ID!;
  const log = app.logger.child({ component: WECOM_BOT });
  const leaseMs = config.WECOM_BOT_LEASE_S * 1000;
  const lease = new NamedLease(app.store.db, app.clock, `${WECOM_BOT}:${botId}`, config.instanceId, leaseMs);
  const status: WecomBotStatus = {
    state: "standby",
    leaseHeld: false,
    reconnects: 0,
    authFailures: 0,
    leaseChecks: 0,
  };
  const now = () => app.clock.now().toISOString();
  let client: WSClient | undefined;
  let stopped = false;
  let authAlerted = false;

  const options: WSClientOptions = {
    botId,
    secret: config.WECOM_BOT_SECRET!,
    ...(config.WECOM_BOT_WS_URL ? { wsUrl: config.WECOM_BOT_WS_URL } : {}),
    maxReconnectAttempts: -1,
    maxAuthFailureAttempts: tuning.maxAuthFailureAttempts ?? 5,
    ...(tuning.heartbeatIntervalMs ? { heartbeatInterval: tuning.heartbeatIntervalMs } : {}),
    ...(tuning.reconnectIntervalMs ? { reconnectInterval: tuning.reconnectIntervalMs } : {}),
    logger: sdkLogger(log),
    // ws calls this with each new socket: watch (never answer) frames for heartbeat acks
    wsOptions: {
      finishRequest: (req: { end(): void }, socket: { on(e: "message", cb: (d: Buffer) => void): void }) => {
        socket.on("message", (data) => {
          if (isHeartbeatAck(data)) status.lastHeartbeatAt = now();
        });
        req.end();
      },
    } as WSClientOptions["wsOptions"],
  };

  const connect = () => {
    const c = new WSClient(options);
    client = c;
    status.state = "connecting";
    c.on("authenticated", () => {
      status.state = "connected";
      status.connectedAt = now();
      status.lastHeartbeatAt = now();
      authAlerted = false;
      log.info("智能机器人长连接已认证 / long connection authenticated");
    });
    c.on("disconnected", (reason) => {
      if (status.state !== "auth_failed") status.state = stopped ? "stopped" : "disconnected";
      log.warn({ reason }, "智能机器人长连接断开 / long connection closed");
    });
    c.on("reconnecting", (attempt) => {
      status.reconnects += 1;
      log.info({ attempt }, "智能机器人长连接重连中 / reconnecting");
    });
    c.on("error", (err) => {
      status.lastError = err.message.slice(0, 200);
      if (/^Authentication failed|WS_AUTH_FAILURE|auth failure/i.test(err.message) || isAuthExhausted(err)) {
        status.authFailures += 1;
        status.state = "auth_failed";
        log.error({ err: err.message }, "智能机器人认证失败 / authentication failed");
        if (!authAlerted) {
          authAlerted = true;
          void ctx
            .alert(
              `wecom-bot-auth:${botId}:${now().slice(0, 13)}`,
              `【智能机器人认证失败】企业微信拒绝了智能机器人（BotID ${botId}）的长连接认证：${status.lastError}。\n` +
                "智能机器人渠道的消息暂不能收发。请在企业微信管理后台核对该机器人的 BotID 与 Secret（环境变量 WECOM_BOT_ID、WECOM_BOT_SECRET），改正后重启机器人。",
              [WECOM_BOT],
            )
            .catch((e) => log.error({ err: e }, "auth-failure alert could not be queued"));
        }
      } else log.warn({ err: err.message }, "智能机器人长连接错误 / long-connection error");
    });
    c.on("event.disconnected_event", () => {
      // another connection subscribed for this bot id: WeCom closed ours and the SDK will not reconnect
      status.state = "standby";
      log.warn("另一连接接管了该智能机器人 / another connection took the bot over");
    });
    c.on("message", (frame) => void ingest(frame as BotFrame));
    c.on("event", (frame) => void ingest(frame as BotFrame));
    c.connect();
  };

  const disconnect = () => {
    const c = client;
    client = undefined;
    c?.removeAllListeners();
    c?.disconnect();
  };

  async function ingest(frame: BotFrame): Promise<void> {
    const m = meaningOf(frame, app.clock.now());
    const flog = log.child({ msgid: frame.body?.msgid, reqId: frame.headers.req_id });
    if (m.kind === "ignored") {
      flog.debug({ reason: m.reason }, "wecom_bot frame ignored");
      return;
    }
    try {
      if (m.kind === "file") {
        const c = client;
        const file = {
          kind: m.file.kind,
          url: m.file.url,
          download: async () => {
            if (!c) throw new Error("智能机器人未连接 / not connected");
            const r = await c.downloadFile(m.file.url, m.file.aeskey);
            return { bytes: r.buffer, ...(r.filename ? { filename: r.filename } : {}) };
          },
        };
        await (onFile
          ? onFile(m.event, file)
          : ctx.handle(await fileEvent(m.event, file, config.FILE_MAX_BYTES, flog)));
        return;
      }
      const result = (await ctx.handle(m.event)) as { outcome?: string; duplicate?: boolean } | undefined;
      if (m.kind === "card_click" && m.taskId && client && !result?.duplicate) {
        const done = doneCard(m.taskId, result?.outcome);
        if (done) await client.updateTemplateCard(frame, done as never, [m.event.senderRef]);
      }
    } catch (e) {
      flog.error({ err: e }, "wecom_bot: inbound frame failed");
    }
  }

  /**
   * Keeps (or gives up) the lease, and the connection with it. One check at a time (a slow store
   * must not stack them up); a check that fails to reach the store keeps a lease this instance
   * took until it expires, rather than dropping a good connection for a hiccup.
   */
  let checking = false;
  let heldUntil = 0;
  const tick = async () => {
    if (stopped || checking) return;
    checking = true;
    let held = false;
    try {
      const at = app.clock.now().getTime();
      held = await lease.acquire();
      if (held) heldUntil = at + leaseMs;
    } catch (e) {
      held = status.leaseHeld && app.clock.now().getTime() < heldUntil;
      log.error({ err: e, keeping: held }, "wecom_bot: lease could not be renewed");
    } finally {
      checking = false;
    }
    status.leaseChecks += 1;
    if (stopped) return;
    status.leaseHeld = held;
    if (held && !client && status.state !== "auth_failed") connect();
    if (!held && client) {
      log.warn("智能机器人租约已由其他实例持有，断开长连接 / lease lost, disconnecting");
      disconnect();
      status.state = "standby";
    }
  };
  await tick();
  if (!status.leaseHeld)
    log.info("智能机器人长连接由其他实例持有，本实例待命 / another instance holds the connection");
  const timer = setInterval(
    () => void tick(),
    tuning.leaseRenewMs ?? Math.max(1_000, Math.floor(leaseMs / 3)),
  );
  timer.unref();

  return {
    name: WECOM_BOT,
    senders: { [WECOM_BOT]: createWecomBotSender({ client: () => client, clock: app.clock }) },
    status: () => ({ ...status }),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      disconnect();
      status.state = "stopped";
      if (status.leaseHeld) await lease.release().catch((e) => log.warn({ err: e }, "lease release failed"));
      status.leaseHeld = false;
    },
  };
}

function isHeartbeatAck(data: Buffer): boolean {
  if (data.length > 512) return false;
  try {
    const f = JSON.parse(data.toString()) as {
      cmd?: string;
      headers?: { req_id?: string };
      errcode?: number;
    };
    return !f.cmd && f.errcode === 0 && (f.headers?.req_id ?? "").startsWith("ping");
  } catch {
    return false;
  }
}

function isAuthExhausted(err: Error): boolean {
  return (err as { code?: string }).code === "WS_AUTH_FAILURE_EXHAUSTED";
}

/** The confirmation card after a click: same task_id, its buttons replaced by the result. */
function doneCard(taskId: string, outcome: string | undefined): Record<string, unknown> | undefined {
  const title = outcome === "stored" ? "已确认，报送已保存" : outcome === "cancelled" ? "已取消" : undefined;
  if (!title) return undefined;
  return {
    card_type: "button_interaction",
    source: { desc: "经开区培育调度" },
    main_title: { title, desc: "详见下一条消息" },
    task_id: taskId,
    button_list: [{ text: outcome === "stored" ? "已确认" : "已取消", style: 2, key: `done:${taskId}` }],
  };
}

/** The SDK logs strings; into pino at the matching level (it never logs the secret). */
function sdkLogger(log: Logger): NonNullable<WSClientOptions["logger"]> {
  const l = log.child({ sdk: "aibot-node-sdk" });
  const line = (msg: string, args: unknown[]) => (args.length ? `${msg} ${args.map(String).join(" ")}` : msg);
  return {
    debug: (m, ...a) => l.debug(line(m, a)),
    info: (m, ...a) => l.debug(line(m, a)),
    warn: (m, ...a) => l.warn(line(m, a)),
    error: (m, ...a) => l.error(line(m, a)),
  };
}
