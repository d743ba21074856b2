import { scrubUrl } from "../../../src/log/logger.js";
import type { SendOutcome } from "../../../src/outbox/outbox-message.js";

/** What to do about a failed WeCom call. */
export type ErrorAction = "retry" | "refresh_token" | "give_up";

/** Transient: system busy, frequency and concurrency limits. */
export const RETRY_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45033]);
/** The access token is invalid, expired or missing: drop it, fetch a new one, retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 41001]);

/** Configuration errors: retrying cannot help; the operator has to fix something. */
export const CONFIG_ERRCODES: ReadonlyMap<number, string> = new Map([
  [40001, "应用 Secret 错误（WECOM_SECRET）/ invalid secret"],
  [40013, "企业ID 错误（WECOM_CORP_ID）/ invalid corpid"],
  [40091, "Secret 不属于该企业 / secret of another corp"],
  [40056, "AgentId 错误（WECOM_AGENT_ID）/ invalid agentid"],
  [41011, "缺少 AgentId / missing agentid"],
  [48002, "该应用无此 API 权限 / API not permitted for this app"],
  [50002, "成员不在应用可见范围 / member outside the app's visibility"],
  [50003, "应用已停用 / app disabled"],
  [60011, "无权限（应用群聊要求可见范围为根部门）/ no privilege"],
  [60020, "服务器 IP 不在企业可信IP 列表 / caller IP not in the trusted IP list"],
  [81013, "接收人全部无效 / all recipients invalid"],
  [82001, "接收人全部无效或无权限 / recipients invalid or unauthorised"],
  [86008, "群聊不是本应用创建的 / chat not created by this app"],
  [86003, "群聊不存在 / chat not found"],
  [40050, "群聊不存在 / chatid does not exist"],
  [93000, "群机器人 webhook key 无效或已删除 / invalid webhook key"],
]);

/**
 * Configuration errors that break every message of the app, whoever the recipient (secret, corp id,
 * agent id, trusted IP, permissions, app disabled): one failure cause for all app and app-chat rows.
 */
const APP_WIDE_ERRCODES: ReadonlySet<number> = new Set([
  40001, 40013, 40091, 40056, 41011, 48002, 50003, 60011, 60020,
]);

/** 45009 blocks last 60 s (per-minute frequency limit). */
const RETRY_AFTER_MS: ReadonlyMap<number, number> = new Map([[45009, 60_000]]);

export function classifyErrcode(errcode: number): ErrorAction {
  if (RETRY_ERRCODES.has(errcode)) return "retry";
  if (TOKEN_ERRCODES.has(errcode)) return "refresh_token";
  return "give_up";
}

/**
 * A failed WeCom call. `errcode` is WeCom's (undefined for transport failures: timeouts,
 * resets, HTTP 5xx). The message names the endpoint path only — never a URL with a token or key.
 */
export class WecomApiError extends Error {
  readonly action: ErrorAction;
  readonly httpStatus: number | undefined;

  constructor(
    readonly endpoint: string,
    readonly errcode: number | undefined,
    readonly errmsg: string,
    opts: { action?: ErrorAction; httpStatus?: number } = {},
  ) {
    const hint = errcode !== undefined ? CONFIG_ERRCODES.get(errcode) : undefined;
    super(
      scrubUrl(
        `${endpoint}: ${errcode !== undefined ? `errcode ${errcode}` : `HTTP ${opts.httpStatus ?? "error"}`} ${errmsg}${hint ? ` — ${hint}` : ""}`,
      ),
    );
    this.name = "WecomApiError";
    this.httpStatus = opts.httpStatus;
    this.action = opts.action ?? (errcode !== undefined ? classifyErrcode(errcode) : "retry");
  }

  get isConfigError(): boolean {
    return this.errcode !== undefined && CONFIG_ERRCODES.has(this.errcode);
  }

  get retryAfterMs(): number | undefined {
    return this.errcode !== undefined ? RETRY_AFTER_MS.get(this.errcode) : undefined;
  }
}

/** The dispatcher's view of a failure: retry (with backoff) or give up. */
export function outcomeOf(e: unknown): SendOutcome {
  if (e instanceof WecomApiError) {
    const cause =
      e.errcode !== undefined && APP_WIDE_ERRCODES.has(e.errcode) ? { cause: `wecom-app:${e.errcode}` } : {};
    if (e.action === "give_up") return { kind: "fatal", errcode: e.errcode, error: e.message, ...cause };
    return { kind: "retry", errcode: e.errcode, error: e.message, retryAfterMs: e.retryAfterMs, ...cause };
  }
  return { kind: "retry", error: scrubUrl(e instanceof Error ? e.message : String(e)) };
}

/** A row that cannot be sent as it is (missing content, file, robot key…): permanent, decided locally. */
export class SendRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SendRefused";
  }
}
