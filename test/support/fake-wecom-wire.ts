import { randomBytes } from "node:crypto";

/** Options, records and WeCom's wire conventions for the fake WeCom server. */
export interface FakeWecomOptions {
  corpId?: string;
  secret?: string;
  agentId?: number;
  /** Valid group-robot keys. */
  robotKeys?: string[];
  /** Known userids; others come back in `invaliduser`. Absent = everyone is valid. */
  users?: string[];
  /** ms clock for token expiry, rate windows and duplicate checks (default Date.now). */
  now?: () => number;
  tokenTtlS?: number;
  /** Per-minute limits; false = unlimited. */
  limits?: { appPerMember: number; appchatPerMember: number; robot: number } | false;
  /**
   * Every answer leaves this many ms after the request was handled (a send is accepted, and
   * recorded with its `at`, before the delay): the way back over a real network. A function is
   * asked once per answer (jitter).
   */
  responseDelayMs?: number | (() => number);
}

/** One queued injection: an errcode body, an HTTP status, a reset connection, or a delay. */
export type Injection =
  | number
  | { errcode: number; errmsg?: string }
  | { http: number }
  | { reset: true }
  | { delayMs: number };

export interface Delivered {
  endpoint: string;
  /** userid, chatid or robot key. */
  to: string;
  msgtype: string;
  content?: string;
  /** The invisible per-row mark an app message ended with (zero-width characters), if any. */
  mark?: string;
  body: Record<string, unknown>;
  at: number;
}

const ERRMSG: Record<number, string> = {
  [-1]: "system busy",
  40001: "invalid credential, access_token is invalid or not latest",
  40007: "invalid media_id",
  40013: "invalid corpid",
  40009: "invalid image size",
  40014: "invalid access_token",
  40029: "invalid code",
  40056: "invalid agentid",
  40058: "invalid Parameter",
  41001: "access_token missing",
  41005: "media data missing",
  41008: "missing code",
  42001: "access_token expired",
  44004: "empty content",
  45009: "api freq out of limit",
  45033: "api concurrent out of limit",
  50001: "redirect_url not authorised",
  60020: "not allow to access from your ip",
  81013: "user & party & tag all invalid",
  86003: "chatid not found",
  86006: "invalid chat member count",
  86008: "chat not created by this app",
  93000: "invalid webhook url",
};

/** `errmsg` as WeCom writes it: text, hint, caller IP and the lookup URL. */
export function errmsgText(errcode: number, nowMs: number, errmsg?: string): string {
  if (errcode === 0) return "ok";
  return `${errmsg ?? ERRMSG[errcode] ?? "error"}, hint: [${Math.floor(nowMs / 1000)}_${randomBytes(4).toString("hex")}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

/** Text (and app markdown) content limit in UTF-8 bytes (DOC/90236, 90248, 91770). */
export const TEXT_LIMIT = 2048;

/** Text and markdown beyond `limit` bytes, cut at a character boundary (WeCom truncates). */
export function fitBytes(content: unknown, msgtype: string, limit = TEXT_LIMIT): string | undefined {
  if (typeof content !== "string") return undefined;
  if (msgtype !== "text" && msgtype !== "markdown") return content;
  if (Buffer.byteLength(content) <= limit) return content;
  let out = "";
  let bytes = 0;
  for (const ch of content) {
    bytes += Buffer.byteLength(ch);
    if (bytes > limit) break;
    out += ch;
  }
  return out;
}

/** WeCom's per-minute budgets, sliding, per key. */
export class MinuteWindows {
  private readonly windows = new Map<string, number[]>();

  /** Takes one send for `key`; false when over `limit` (undefined = unlimited). */
  take(key: string, limit: number | undefined, now: number): boolean {
    if (limit === undefined) return true;
    const w = (this.windows.get(key) ?? []).filter((t) => t > now - 60_000);
    const ok = w.length < limit;
    if (ok) w.push(now);
    this.windows.set(key, w);
    return ok;
  }
}
