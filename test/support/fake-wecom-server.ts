import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type Delivered,
  errmsgText,
  type FakeWecomOptions,
  fitBytes,
  type Injection,
  MinuteWindows,
} from "./fake-wecom-wire.js";
import { multipartField, readBody } from "./multipart.js";

export type { Delivered, FakeWecomOptions, Injection } from "./fake-wecom-wire.js";

/**
 * A fake WeCom server API on 127.0.0.1 for tests and benches: gettoken, message/send,
 * media/upload, message/update_template_card, appchat/create|get|send, webhook/send,
 * webhook/upload_media, auth/getuserinfo (OAuth codes issued by `issueLoginCode`: single use,
 * 5 minutes, 40029 otherwise) — with WeCom-shaped `{errcode, errmsg}` bodies (hint text included),
 * token expiry, error injection, duplicate check, WeCom's rate limits (app and app-chat
 * excess dropped silently with errcode 0, robot excess answered 45009) and its byte limits
 * (text and app markdown over 2048 bytes truncated silently, robot markdown over 4096 bytes refused).
 */
export class FakeWecomServer {
  url = "";
  tokenCalls = 0;
  readonly delivered: Delivered[] = [];
  /** Accepted with errcode 0 but over WeCom's limits: never reach anyone. */
  readonly dropped: Delivered[] = [];
  /** Accepted with errcode 0 but cut to 2048 bytes (longer text), as WeCom does. */
  readonly truncated: Delivered[] = [];
  /** Suppressed by enable_duplicate_check. */
  readonly suppressed: Delivered[] = [];
  readonly calls: { endpoint: string; errcode: number }[] = [];
  readonly cardUpdates: Record<string, unknown>[] = [];
  readonly uploads = new Map<string, { filename: string; bytes: number; scope: string; type: string }>();
  readonly chats = new Map<string, { chatid: string; name: string; owner: string; userlist: string[] }>();

  private server?: http.Server;
  private readonly busy = new Set<Promise<void>>();
  private readonly tokens = new Map<string, number>();
  private readonly injections = new Map<string, Injection[]>();
  private readonly windows = new MinuteWindows();
  private readonly dupes = new Map<string, number>();
  private readonly responseCodes = new Map<string, boolean>();
  private seq = 0;
  private readonly loginCodes = new Map<
    string,
    { who: { userid: string } | { openid: string }; expiresAt: number; used: boolean }
  >();
  private readonly o: Required<Omit<FakeWecomOptions, "users">> & { users?: Set<string> };

  constructor(opts: FakeWecomOptions = {}) {
    this.o = {
      corpId: opts.corpId ?? "wwcorp0001",
      secret: opts.secret ?? "app-secret",
      agentId: opts.agentId ?? 1000002,
      robotKeys: opts.robotKeys ?? [],
      users: opts.users ? new Set(opts.users.map((u) => u.toLowerCase())) : undefined,
      now: opts.now ?? Date.now,
      tokenTtlS: opts.tokenTtlS ?? 7200,
      limits: opts.limits ?? { appPerMember: 30, appchatPerMember: 200, robot: 20 },
      responseDelayMs: opts.responseDelayMs ?? 0,
    };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const p = this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
      this.busy.add(p);
      void p.finally(() => this.busy.delete(p));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Resolves when every request received so far has been handled — including requests whose
   * client gave up (a delayed request is still processed, and delivered, like at WeCom).
   */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.all([...this.busy]);
  }

  /** Queues answers for the next calls of `endpoint` (e.g. "message/send", "gettoken"). */
  inject(endpoint: string, ...items: Injection[]): void {
    this.injections.set(endpoint, [...(this.injections.get(endpoint) ?? []), ...items]);
  }

  /** Every issued token now answers 42001 (WeCom invalidating tokens early). */
  expireTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 0);
  }

  /** A response code as a card click would carry it (for update_template_card tests). */
  issueResponseCode(): string {
    const code = `RC${++this.seq}${randomBytes(6).toString("hex")}`;
    this.responseCodes.set(code, false);
    return code;
  }

  /**
   * The code WeCom appends to the redirect_uri after 网页授权 or 扫码登录 for `who` (a member's userid,
   * or an openid for someone outside the corp). Like WeCom: at most 512 bytes, usable once, 5 minutes.
   */
  issueLoginCode(who: { userid: string } | { openid: string }, ttlS = 300): string {
    const code = randomBytes(32).toString("base64url");
    this.loginCodes.set(code, { who, expiresAt: this.o.now() + ttlS * 1000, used: false });
    return code;
  }

  addChat(chatid: string, userlist: string[], owner = userlist[0] ?? ""): void {
    this.chats.set(chatid, { chatid, name: chatid, owner, userlist });
  }

  deliveredTo(to: string): Delivered[] {
    return this.delivered.filter((d) => d.to === to);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const u = new URL(req.url ?? "/", "http://x");
    const endpoint = u.pathname.replace(/^\/cgi-bin\//, "");
    const raw = await readBody(req);
    const inj = this.injections.get(endpoint)?.shift();
    if (inj !== undefined) {
      if (typeof inj === "object" && "reset" in inj) {
        req.socket.destroy();
        return;
      }
      if (typeof inj === "object" && "http" in inj) {
        res.writeHead(inj.http, { "content-type": "text/html" }).end("<html>bad gateway</html>");
        return;
      }
      if (typeof inj === "object" && "delayMs" in inj) await new Promise((r) => setTimeout(r, inj.delayMs));
      else
        return this.reply(
          res,
          endpoint,
          typeof inj === "number" ? inj : inj.errcode,
          {},
          typeof inj === "object" ? inj.errmsg : undefined,
        );
    }
    const json = (): Record<string, unknown> => {
      try {
        return JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    switch (endpoint) {
      case "gettoken":
        return this.gettoken(res, u);
      case "webhook/send":
        return this.webhookSend(res, u, json());
      case "webhook/upload_media":
        return this.upload(
          res,
          endpoint,
          raw,
          req.headers["content-type"],
          u.searchParams.get("type") ?? "",
          `robot:${u.searchParams.get("key")}`,
          () => (this.o.robotKeys.includes(u.searchParams.get("key") ?? "") ? 0 : 93000),
        );
    }
    const tokenErr = this.checkToken(u.searchParams.get("access_token"));
    if (tokenErr) return this.reply(res, endpoint, tokenErr);
    switch (endpoint) {
      case "message/send":
        return this.messageSend(res, json());
      case "media/upload":
        return this.upload(
          res,
          endpoint,
          raw,
          req.headers["content-type"],
          u.searchParams.get("type") ?? "",
          "app",
          () => 0,
        );
      case "message/update_template_card":
        return this.updateCard(res, json());
      case "appchat/create":
        return this.appchatCreate(res, json());
      case "appchat/get": {
        const chat = this.chats.get(u.searchParams.get("chatid") ?? "");
        return chat
          ? this.reply(res, endpoint, 0, { chat_info: { ...chat, chat_type: 0 } })
          : this.reply(res, endpoint, 86003);
      }
      case "appchat/send":
        return this.appchatSend(res, json());
      case "auth/getuserinfo":
        return this.getUserInfo(res, u.searchParams.get("code"));
      default:
        res.writeHead(404).end("not found");
    }
  }

  private reply(
    res: http.ServerResponse,
    endpoint: string,
    errcode: number,
    extra: Record<string, unknown> = {},
    errmsg?: string,
  ): void {
    this.calls.push({ endpoint, errcode });
    const text = errmsgText(errcode, this.o.now(), errmsg);
    const send = () =>
      res
        .writeHead(200, { "content-type": "application/json; charset=UTF-8" })
        .end(JSON.stringify({ errcode, errmsg: text, ...extra }));
    const delay =
      typeof this.o.responseDelayMs === "function" ? this.o.responseDelayMs() : this.o.responseDelayMs;
    if (delay > 0) setTimeout(send, delay);
    else send();
  }

  private gettoken(res: http.ServerResponse, u: URL) {
    this.tokenCalls++;
    if (u.searchParams.get("corpid") !== this.o.corpId) return this.reply(res, "gettoken", 40013);
    if (u.searchParams.get("corpsecret") !== this.o.secret) return this.reply(res, "gettoken", 40001);
    const token = `tok-${++this.seq}-${randomBytes(8).toString("hex")}`;
    this.tokens.set(token, this.o.now() + this.o.tokenTtlS * 1000);
    this.reply(res, "gettoken", 0, { access_token: token, expires_in: this.o.tokenTtlS });
  }

  private checkToken(token: string | null): number {
    if (!token) return 41001;
    const exp = this.tokens.get(token);
    if (exp === undefined) return 40014;
    return exp <= this.o.now() ? 42001 : 0;
  }

  private take(key: string, limit: number | undefined): boolean {
    return this.windows.take(key, limit, this.o.now());
  }

  private limit(kind: "appPerMember" | "appchatPerMember" | "robot"): number | undefined {
    return this.o.limits === false ? undefined : this.o.limits[kind];
  }

  private messageSend(res: http.ServerResponse, b: Record<string, unknown>) {
    const ep = "message/send";
    if (b.agentid !== this.o.agentId) return this.reply(res, ep, 40056);
    const msgtype = String(b.msgtype ?? "");
    const obj = (b[msgtype] ?? {}) as Record<string, unknown>;
    if (msgtype === "text" || msgtype === "markdown") {
      if (typeof obj.content !== "string" || obj.content === "") return this.reply(res, ep, 44004);
    } else if (msgtype === "file" || msgtype === "image") {
      if (!this.mediaOf(obj.media_id, msgtype)) return this.reply(res, ep, 40007);
    } else if (msgtype !== "template_card") return this.reply(res, ep, 40008, {}, "invalid message type");
    const users = String(b.touser ?? "")
      .split("|")
      .filter(Boolean);
    const invalid = users.filter((u) => this.o.users && !this.o.users.has(u.toLowerCase()));
    const valid = users.filter((u) => !invalid.includes(u));
    if (valid.length === 0) return this.reply(res, ep, 81013);
    const content = fitBytes(obj.content, msgtype);
    // what the user sees: the text without the invisible per-row mark, which is kept apart
    const mark =
      typeof content === "string" ? /(?:\u200b|\u200c|\u200d|\u2060)+$/u.exec(content)?.[0] : undefined;
    const record = (to: string): Delivered => ({
      endpoint: ep,
      to,
      msgtype,
      content: mark ? content!.slice(0, -mark.length) : content,
      ...(mark ? { mark } : {}),
      body: b,
      at: this.o.now(),
    });
    if (b.enable_duplicate_check === 1) {
      // WeCom: the same content from the same app to the same recipients is delivered once within
      // the interval (default 1800 s, at most 4 h) — whatever else differs in the request
      const key = JSON.stringify([b.agentid, users.map((u) => u.toLowerCase()).sort(), msgtype, obj]);
      const until = this.dupes.get(key);
      const asked = typeof b.duplicate_check_interval === "number" ? b.duplicate_check_interval : 1800;
      const interval = Math.min(14_400, Math.max(0, asked));
      if (until !== undefined && until > this.o.now()) {
        for (const u of valid) this.suppressed.push(record(u));
        return this.reply(res, ep, 0, {
          invaliduser: invalid.join("|").toLowerCase(),
          msgid: `dup-${this.seq}`,
        });
      }
      this.dupes.set(key, this.o.now() + interval * 1000);
    }
    for (const u of valid) {
      const d = record(u);
      (this.take(`app:${u.toLowerCase()}`, this.limit("appPerMember")) ? this.delivered : this.dropped).push(
        d,
      );
      if (content !== obj.content) this.truncated.push(d);
    }
    const card = msgtype === "template_card" ? obj : undefined;
    const interactive = card && card.card_type !== "text_notice" && card.card_type !== "news_notice";
    const extra: Record<string, unknown> = {
      invaliduser: invalid.join("|").toLowerCase(),
      msgid: `msg-${++this.seq}`,
    };
    if (interactive) extra.response_code = this.issueResponseCode();
    this.reply(res, ep, 0, extra);
  }

  /** An uploaded media of the kind a message needs (an image message needs an image upload). */
  private mediaOf(mediaId: unknown, msgtype: string) {
    const m = this.uploads.get(String(mediaId));
    if (!m) return undefined;
    return msgtype === "image" && m.type !== "image" ? undefined : m;
  }

  private getUserInfo(res: http.ServerResponse, code: string | null) {
    const ep = "auth/getuserinfo";
    if (!code) return this.reply(res, ep, 41008);
    const c = this.loginCodes.get(code);
    // unknown, already consumed or older than 5 minutes: all the same 40029 at WeCom
    if (!c || c.used || c.expiresAt <= this.o.now()) return this.reply(res, ep, 40029);
    c.used = true;
    if ("userid" in c.who) return this.reply(res, ep, 0, { userid: c.who.userid });
    return this.reply(res, ep, 0, { openid: c.who.openid });
  }

  private updateCard(res: http.ServerResponse, b: Record<string, unknown>) {
    const ep = "message/update_template_card";
    const code = String(b.response_code ?? "");
    if (this.responseCodes.get(code) !== false)
      return this.reply(res, ep, 40058, {}, "invalid response_code");
    this.responseCodes.set(code, true);
    this.cardUpdates.push(b);
    this.reply(res, ep, 0, { invaliduser: [] });
  }

  private appchatCreate(res: http.ServerResponse, b: Record<string, unknown>) {
    const list = Array.isArray(b.userlist) ? b.userlist.map(String) : [];
    if (list.length < 2 || list.length > 2000) return this.reply(res, "appchat/create", 86006);
    const chatid = typeof b.chatid === "string" && b.chatid ? b.chatid : `chat${++this.seq}`;
    this.chats.set(chatid, {
      chatid,
      name: String(b.name ?? ""),
      owner: String(b.owner ?? list[0]),
      userlist: list,
    });
    this.reply(res, "appchat/create", 0, { chatid });
  }

  private appchatSend(res: http.ServerResponse, b: Record<string, unknown>) {
    const ep = "appchat/send";
    const chat = this.chats.get(String(b.chatid ?? ""));
    if (!chat) return this.reply(res, ep, 86003);
    const msgtype = String(b.msgtype ?? "");
    const obj = (b[msgtype] ?? {}) as Record<string, unknown>;
    if ((msgtype === "text" || msgtype === "markdown") && !obj.content) return this.reply(res, ep, 44004);
    if ((msgtype === "file" || msgtype === "image") && !this.mediaOf(obj.media_id, msgtype))
      return this.reply(res, ep, 40007);
    const d: Delivered = {
      endpoint: ep,
      to: chat.chatid,
      msgtype,
      content: fitBytes(obj.content, msgtype),
      body: b,
      at: this.o.now(),
    };
    if (d.content !== obj.content) this.truncated.push(d);
    // each member has its own budget; a member over it silently misses the message
    const ok = chat.userlist.map((u) =>
      this.take(`appchat:${u.toLowerCase()}`, this.limit("appchatPerMember")),
    );
    (ok.every(Boolean) ? this.delivered : this.dropped).push(d);
    this.reply(res, ep, 0);
  }

  private webhookSend(res: http.ServerResponse, u: URL, b: Record<string, unknown>) {
    const ep = "webhook/send";
    const key = u.searchParams.get("key") ?? "";
    if (!this.o.robotKeys.includes(key)) return this.reply(res, ep, 93000);
    const msgtype = String(b.msgtype ?? "");
    const obj = (b[msgtype] ?? {}) as Record<string, unknown>;
    if (msgtype === "text" && !obj.content) return this.reply(res, ep, 44004);
    if (msgtype === "markdown" && Buffer.byteLength(String(obj.content ?? "")) > 4096)
      return this.reply(res, ep, 40058, {}, "markdown.content exceed max length 4096");
    if (msgtype === "file" && this.uploads.get(String(obj.media_id))?.scope !== `robot:${key}`)
      return this.reply(res, ep, 40007);
    if (msgtype === "image") {
      // the picture itself: base64 of ≤ 2 MB raw bytes (JPG/PNG) and the md5 of those bytes
      const data = Buffer.from(String(obj.base64 ?? ""), "base64");
      if (data.length === 0 || data.length > 2 * 1024 * 1024) return this.reply(res, ep, 40009);
      if (createHash("md5").update(data).digest("hex") !== obj.md5)
        return this.reply(res, ep, 40058, {}, "image md5 mismatch");
      if (!isPngOrJpeg(data)) return this.reply(res, ep, 40009, {}, "invalid image format");
    }
    if (!this.take(`robot:${key}`, this.limit("robot"))) return this.reply(res, ep, 45009);
    const d: Delivered = {
      endpoint: ep,
      to: key,
      msgtype,
      content: fitBytes(obj.content, msgtype === "text" ? "text" : ""),
      body: b,
      at: this.o.now(),
    };
    this.delivered.push(d);
    if (d.content !== obj.content) this.truncated.push(d);
    this.reply(res, ep, 0);
  }

  private upload(
    res: http.ServerResponse,
    endpoint: string,
    raw: Buffer,
    contentType: string | undefined,
    type: string,
    scope: string,
    precheck: () => number,
  ) {
    const err = precheck();
    if (err) return this.reply(res, endpoint, err);
    const part = multipartField(raw, contentType, "media");
    if (!part || part.data.length <= 5) return this.reply(res, endpoint, 41005);
    // images: JPG/PNG of at most 10 MB (WeCom answers 40009/40005 otherwise)
    if (type === "image" && (part.data.length > 10 * 1024 * 1024 || !isPngOrJpeg(part.data)))
      return this.reply(res, endpoint, 40009);
    const mediaId = `media-${++this.seq}-${randomBytes(6).toString("hex")}`;
    this.uploads.set(mediaId, { filename: part.filename, bytes: part.data.length, scope, type });
    this.reply(res, endpoint, 0, {
      type: type || "file",
      media_id: mediaId,
      created_at: String(Math.floor(this.o.now() / 1000)),
    });
  }
}

function isPngOrJpeg(b: Buffer): boolean {
  const png =
    b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return png || (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff);
}
