import type { FastifyInstance } from "fastify";
import { findContactIgnoringCase } from "../../../src/programme/programme-repository.js";
import { WECOM_USERID } from "../../transports/wecom-app/channel.js";
import { WecomApiError } from "../../transports/wecom-app/wecom-errors.js";
import { recordAudit } from "../web-audit.js";
import { createSession } from "../web-auth-store.js";
import { WEB_PREFIX, type WebRuntime, webBaseUrl } from "../web-console.js";
import { WebError } from "../web-user.js";
import {
  isWecomBrowser,
  isWellFormedState,
  newState,
  STATE_COOKIE,
  STATE_TTL_S,
  statesMatch,
  type WecomLoginVia,
  wecomAuthorizeUrl,
} from "../wecom-login.js";
import { safeNext, setSessionCookie } from "./login-routes.js";

// literal, not from WEB_PREFIX: web-console.ts imports this module (a cycle at load time)
const CALLBACK = "/web/login/wecom/callback";
const AGAIN = "请返回登录页重新登录：/web/login";

/**
 * GET /web/login/wecom → WeCom (网页授权 in WeCom's browser, 扫码登录 elsewhere; ?via= overrides), with a
 * fresh state kept in an HttpOnly cookie of this browser; GET /web/login/wecom/callback checks the
 * state against the cookie, exchanges the code once and logs in the contact with that WeCom userid.
 * Only when the self-built app is configured (WECOM_CORP_ID …).
 */
export function registerWecomLoginRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;
  const client = rt.wecom;
  if (!client) return;
  const corpId = app.config.WECOM_CORP_ID!;
  const agentId = app.config.WECOM_AGENT_ID!;

  web.get<{ Querystring: { next?: string; via?: string } }>("/login/wecom", async (req, reply) => {
    const via: WecomLoginVia =
      req.query.via === "qr"
        ? "wecom_qr"
        : req.query.via === "oauth" || isWecomBrowser(req.headers["user-agent"])
          ? "wecom_oauth"
          : "wecom_qr";
    const state = newState();
    const next = safeNext(req.query.next);
    reply.setCookie(STATE_COOKIE, `${state}.${via}.${encodeURIComponent(next)}`, {
      path: `${WEB_PREFIX}/login/wecom`,
      httpOnly: true,
      // Lax: the cookie comes back on WeCom's top-level redirect to the callback
      sameSite: "lax",
      secure: rt.secureCookies,
      maxAge: STATE_TTL_S,
    });
    return reply
      .header("cache-control", "no-store")
      .redirect(
        wecomAuthorizeUrl({ via, corpId, agentId, redirectUri: `${webBaseUrl(app)}${CALLBACK}`, state }),
      );
  });

  web.get<{ Querystring: { code?: string; state?: string } }>("/login/wecom/callback", async (req, reply) => {
    const now = app.clock.now();
    const [stateInCookie, viaInCookie, nextInCookie] = (req.cookies[STATE_COOKIE] ?? "").split(".");
    const via: WecomLoginVia = viaInCookie === "wecom_oauth" ? "wecom_oauth" : "wecom_qr";
    const fail = async (status: number, reason: string, message: string, contactId = "", extra = {}) => {
      await recordAudit(app.store.db, {
        at: now,
        contactId,
        action: "login_failed",
        detail: { via, reason, ...extra },
        ip: req.ip,
      });
      throw new WebError(status, message);
    };
    if (!rt.loginLimit.allow(req.ip)) {
      app.logger.warn({ ip: req.ip }, "web login rate limit hit");
      throw new WebError(429, "登录尝试过于频繁，请一分钟后再试。");
    }
    reply.clearCookie(STATE_COOKIE, { path: `${WEB_PREFIX}/login/wecom` });
    // the state must be the one this browser was given: a code from someone else's log-in is refused
    if (!isWellFormedState(stateInCookie) || !statesMatch(stateInCookie, req.query.state))
      return fail(
        400,
        "state_mismatch",
        `登录请求已失效或不是从本浏览器发起的（state 不一致），为安全起见未登录。${AGAIN}`,
      );
    const code = req.query.code;
    if (!code) return fail(400, "no_code", `您未在企业微信中确认登录。${AGAIN}`);
    if (code.length > 512) return fail(400, "bad_code", `企业微信登录码无效。${AGAIN}`);
    const who = await exchange(code);
    if (!who.ok) return fail(who.status, who.reason, who.message, "", { errcode: who.errcode });
    if (!who.userid)
      return fail(403, "not_member", "您不是本企业的企业微信成员，无法登录控制台。请联系省专班。");
    const contact = await findContactIgnoringCase(app.store.db, WECOM_USERID, who.userid);
    if (!contact)
      return fail(
        403,
        "unknown_userid",
        `企业微信账号“${who.userid.slice(0, 64)}”不在联系人名单中，无法登录控制台。请联系省专班把您加入名单。`,
        "",
        { userid: who.userid.slice(0, 64) },
      );
    if (!contact.active)
      return fail(
        403,
        "contact_inactive",
        "您的联系人记录已停用，无法登录控制台。请联系省专班。",
        contact.id,
      );
    const s = await createSession(app.store.db, {
      contactId: contact.id,
      via,
      ttlMs: rt.sessionTtlMs,
      now,
      ip: req.ip,
    });
    await recordAudit(app.store.db, {
      at: now,
      contactId: contact.id,
      action: "login",
      detail: { via },
      ip: req.ip,
    });
    setSessionCookie(reply, rt, s.token, s.expiresAt);
    return reply.redirect(safeNext(decodeURIComponent(nextInCookie ?? "")), 303);
  });

  async function exchange(
    code: string,
  ): Promise<
    | { ok: true; userid?: string }
    | { ok: false; status: number; reason: string; message: string; errcode?: number }
  > {
    try {
      const r = await client!.getUserInfoByCode(code);
      return { ok: true, ...(r.userid ? { userid: r.userid } : {}) };
    } catch (e) {
      if (!(e instanceof WecomApiError)) throw e;
      const errcode = e.errcode;
      if (errcode === 40029)
        return {
          ok: false,
          status: 400,
          reason: "invalid_code",
          errcode,
          message: `企业微信登录码无效、已使用或已过期（错误码 40029；登录码只能使用一次，5 分钟内有效）。${AGAIN}`,
        };
      app.logger.warn({ errcode, endpoint: e.endpoint }, "web login: WeCom code exchange failed");
      if (errcode === 50001)
        return {
          ok: false,
          status: 502,
          reason: "untrusted_domain",
          errcode,
          message:
            "企业微信拒绝了登录（错误码 50001：回调地址的域名不是应用的可信域名）。请管理员在企业微信后台把 WEB_BASE_URL 的域名设为可信域名。",
        };
      return {
        ok: false,
        status: 502,
        reason: "wecom_error",
        ...(errcode !== undefined ? { errcode } : {}),
        message: `暂时无法向企业微信确认您的身份${errcode !== undefined ? `（错误码 ${errcode}）` : ""}，请稍后重试，或使用管理员生成的一次性登录链接。`,
      };
    }
  }
}
