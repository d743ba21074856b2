import type { Logger } from "../../../src/log/logger.js";
import { type Clock, systemClock } from "../../../src/time/clock.js";
import { AccessTokenCache } from "./access-token-cache.js";
import { httpText } from "./http-text.js";
import {
  type AppchatInfo,
  type AppchatMessageBody,
  type AppMessageBody,
  type AppRecipients,
  type FileUpload,
  type MessageSendResult,
  type UpdateTemplateCardRequest,
  type UploadedMedia,
  WECOM_LIMITS,
  type WebhookMessageBody,
} from "./wecom-api-types.js";
import { TOKEN_ERRCODES, WecomApiError } from "./wecom-errors.js";

export interface WecomAppCredentials {
  corpId: string;
  agentId: number;
  secret: string;
}

export interface WecomClientOptions {
  /** WECOM_API_BASE, e.g. https://qyapi.weixin.qq.com */
  baseUrl: string;
  /** Self-built app credentials; absent = group-robot webhooks only. */
  app?: WecomAppCredentials;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  tokenCache?: AccessTokenCache;
  /**
   * message/send `duplicate_check_interval` in seconds (0 = off). With the check on, WeCom
   * delivers an identical request once within the interval: a resend after a crash between
   * send and markSent (the lease expires, another claim sends again) is dropped by WeCom.
   */
  duplicateCheckIntervalS?: number;
  logger?: Logger;
}

interface WecomResponse {
  errcode?: number;
  errmsg?: string;
}

type Body = { json: unknown } | { form: FormData } | undefined;

/** Typed WeCom server API over node:http (JSON and GET calls) and fetch (file uploads), no SDK. Errors are WecomApiError with errcode. */
export class WecomClient {
  private readonly clock: Clock;
  private readonly fetchFn: typeof fetch;
  private readonly tokens: AccessTokenCache;
  private readonly base: string;

  constructor(private readonly o: WecomClientOptions) {
    this.clock = o.clock ?? systemClock;
    this.fetchFn = o.fetch ?? fetch;
    this.tokens = o.tokenCache ?? new AccessTokenCache(this.clock);
    this.base = o.baseUrl.replace(/\/+$/, "");
  }

  get agentId(): number {
    return this.credentials().agentId;
  }

  /** How long WeCom suppresses an identical app message (0 = duplicate check off). */
  get duplicateCheckMs(): number {
    return (this.o.duplicateCheckIntervalS ?? 0) * 1000;
  }

  get hasApp(): boolean {
    return this.o.app !== undefined;
  }

  /** A valid access token (cached; refreshed 5 min before expiry; one refresh at a time). */
  accessToken(): Promise<string> {
    const app = this.credentials();
    return this.tokens.get(AccessTokenCache.key(app.corpId, app.agentId, app.secret), async () => {
      const r = await this.request<WecomResponse & { access_token?: string; expires_in?: number }>(
        "gettoken",
        "GET",
        { corpid: app.corpId, corpsecret: app.secret },
        undefined,
      );
      if (!r.access_token) throw new WecomApiError("gettoken", undefined, "response without access_token");
      this.o.logger?.debug({ expiresInS: r.expires_in }, "wecom: access token fetched");
      return { token: r.access_token, expiresInS: r.expires_in ?? 7200 };
    });
  }

  async sendMessage(
    to: AppRecipients,
    body: AppMessageBody,
    opts: { safe?: 0 | 1 } = {},
  ): Promise<MessageSendResult> {
    assertContentBytes("message/send", body, WECOM_LIMITS.appText, WECOM_LIMITS.appMarkdown);
    const interval = this.o.duplicateCheckIntervalS ?? 0;
    return this.withToken(
      "message/send",
      "POST",
      {},
      {
        json: {
          ...(to.touser ? { touser: to.touser.join("|") } : {}),
          ...(to.toparty ? { toparty: to.toparty.join("|") } : {}),
          ...(to.totag ? { totag: to.totag.join("|") } : {}),
          agentid: this.agentId,
          safe: opts.safe ?? 0,
          ...(interval > 0 ? { enable_duplicate_check: 1, duplicate_check_interval: interval } : {}),
          ...body,
        },
      },
    );
  }

  uploadMedia(type: "image" | "voice" | "video" | "file", file: FileUpload): Promise<UploadedMedia> {
    return this.withToken("media/upload", "POST", { type }, { form: multipart(file) });
  }

  /**
   * 网页授权 / 扫码登录: the member behind a one-time OAuth code (auth/getuserinfo). A code is valid
   * once, for 5 minutes (40029 otherwise). `userid` for a member of the corp; `openid` alone for
   * someone outside it.
   */
  async getUserInfoByCode(code: string): Promise<{ userid?: string; openid?: string }> {
    const r = await this.withToken<{ userid?: string; UserId?: string; openid?: string; OpenId?: string }>(
      "auth/getuserinfo",
      "GET",
      { code },
      undefined,
    );
    const userid = r.userid ?? r.UserId;
    const openid = r.openid ?? r.OpenId;
    return { ...(userid ? { userid } : {}), ...(openid ? { openid } : {}) };
  }

  async updateTemplateCard(req: UpdateTemplateCardRequest): Promise<void> {
    await this.withToken(
      "message/update_template_card",
      "POST",
      {},
      { json: { ...req, agentid: this.agentId } },
    );
  }

  async appchatCreate(req: {
    name: string;
    owner?: string;
    userlist: string[];
    chatid?: string;
  }): Promise<string> {
    const r = await this.withToken<{ chatid: string }>("appchat/create", "POST", {}, { json: req });
    return r.chatid;
  }

  async appchatGet(chatid: string): Promise<AppchatInfo> {
    const r = await this.withToken<{ chat_info: AppchatInfo }>("appchat/get", "GET", { chatid }, undefined);
    return r.chat_info;
  }

  async appchatSend(chatid: string, body: AppchatMessageBody, opts: { safe?: 0 | 1 } = {}): Promise<void> {
    assertContentBytes("appchat/send", body, WECOM_LIMITS.appchatText, WECOM_LIMITS.appchatMarkdown);
    await this.withToken("appchat/send", "POST", {}, { json: { chatid, safe: opts.safe ?? 0, ...body } });
  }

  /** Group robot (the key is the credential; it never appears in errors or logs). */
  async webhookSend(key: string, body: WebhookMessageBody): Promise<void> {
    assertContentBytes("webhook/send", body, WECOM_LIMITS.robotText, WECOM_LIMITS.robotMarkdown);
    await this.request("webhook/send", "POST", { key }, { json: body });
  }

  webhookUploadMedia(key: string, type: "file" | "voice", file: FileUpload): Promise<UploadedMedia> {
    return this.request("webhook/upload_media", "POST", { key, type }, { form: multipart(file) });
  }

  private credentials(): WecomAppCredentials {
    if (!this.o.app)
      throw new WecomApiError("config", undefined, "WeCom app credentials not configured", {
        action: "give_up",
      });
    return this.o.app;
  }

  /** A token call; on 40014/42001/41001 the token is dropped, refetched and the call retried once. */
  private async withToken<T>(
    endpoint: string,
    method: "GET" | "POST",
    query: Record<string, string>,
    body: Body,
  ): Promise<T> {
    const app = this.credentials();
    const key = AccessTokenCache.key(app.corpId, app.agentId, app.secret);
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      try {
        return await this.request<T>(endpoint, method, { ...query, access_token: token }, body);
      } catch (e) {
        if (!(e instanceof WecomApiError) || e.action !== "refresh_token") throw e;
        this.tokens.invalidate(key, token);
        this.o.logger?.info({ endpoint, errcode: e.errcode }, "wecom: access token rejected, refreshing");
        if (attempt >= 1)
          throw new WecomApiError(endpoint, e.errcode, `${e.errmsg} (after a token refresh)`, {
            action: "retry",
          });
      }
    }
  }

  private async request<T>(
    endpoint: string,
    method: "GET" | "POST",
    query: Record<string, string>,
    body: Body,
  ): Promise<T> {
    const url = `${this.base}/cgi-bin/${endpoint}?${new URLSearchParams(query).toString()}`;
    const timeoutMs = this.o.timeoutMs ?? 10_000;
    let res: { ok: boolean; status: number; text: string };
    try {
      // a file (multipart) or an injected fetch go through fetch; JSON and GET calls through node:http
      if (this.o.fetch === undefined && !(body && "form" in body))
        res = await httpText(url, {
          method,
          timeoutMs,
          ...(body
            ? {
                headers: { "content-type": "application/json; charset=utf-8" },
                body: JSON.stringify(body.json),
              }
            : {}),
        });
      else {
        const r = await this.fetchFn(url, {
          method,
          signal: AbortSignal.timeout(timeoutMs),
          ...(body && "json" in body
            ? {
                headers: { "content-type": "application/json; charset=utf-8" },
                body: JSON.stringify(body.json),
              }
            : body
              ? { body: body.form }
              : {}),
        });
        res = { ok: r.ok, status: r.status, text: await r.text() };
      }
    } catch (e) {
      throw new WecomApiError(endpoint, undefined, transportError(e), { action: "retry" });
    }
    const text = res.text;
    if (!res.ok) {
      const action = res.status >= 500 || res.status === 429 || res.status === 408 ? "retry" : "give_up";
      throw new WecomApiError(endpoint, undefined, `HTTP ${res.status}`, { action, httpStatus: res.status });
    }
    let json: WecomResponse;
    try {
      json = JSON.parse(text) as WecomResponse;
    } catch {
      throw new WecomApiError(endpoint, undefined, "response is not JSON", {
        action: "retry",
        httpStatus: res.status,
      });
    }
    const errcode = typeof json.errcode === "number" ? json.errcode : 0;
    if (errcode !== 0) {
      this.o.logger?.debug(
        { endpoint, errcode, tokenRejected: TOKEN_ERRCODES.has(errcode) },
        "wecom: error response",
      );
      throw new WecomApiError(endpoint, errcode, json.errmsg ?? "");
    }
    return json as T;
  }
}

function multipart(file: FileUpload): FormData {
  const form = new FormData();
  form.append("media", new Blob([file.data]), file.filename);
  return form;
}

/** WeCom truncates over-long text silently (and refuses long markdown): refuse it here instead. */
function assertContentBytes(
  endpoint: string,
  body: { msgtype: string; text?: { content: string }; markdown?: { content: string } },
  maxText: number,
  maxMarkdown: number,
): void {
  if (body.msgtype === "text" && body.text) assertBytes(endpoint, body.text.content, maxText);
  if (body.msgtype === "markdown" && body.markdown) assertBytes(endpoint, body.markdown.content, maxMarkdown);
}

function assertBytes(endpoint: string, content: string, max: number): void {
  const n = Buffer.byteLength(content, "utf8");
  if (n > max)
    throw new WecomApiError(endpoint, undefined, `content is ${n} bytes, the limit is ${max}`, {
      action: "give_up",
    });
}

function transportError(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return "timeout";
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return `network error: ${cause?.code ?? cause?.message ?? e.message}`;
  }
  return `network error: ${String(e)}`;
}
