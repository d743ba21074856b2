import { randomBytes, timingSafeEqual } from "node:crypto";

/**
 * WeCom log-in for the self-built app (no SDK, only two URLs and one API call):
 * - 网页授权 inside WeCom's browser: open.weixin.qq.com/connect/oauth2/authorize with appid = corpid,
 *   scope snsapi_base (a self-built app gets the userid silently), agentid, state, `#wechat_redirect`;
 * - 扫码登录 on a PC browser: login.work.weixin.qq.com/wwlogin/sso/login with login_type=CorpApp.
 * Both come back to redirect_uri?code=CODE&state=STATE; the code is exchanged with
 * GET /cgi-bin/auth/getuserinfo (WecomClient.getUserInfoByCode). redirect_uri's host must be the app's
 * 可信域名 (WeCom answers 50001 otherwise).
 */
export const WECOM_OAUTH_AUTHORIZE = "https://open.weixin.qq.com/connect/oauth2/authorize";
export const WECOM_SSO_LOGIN = "https://login.work.weixin.qq.com/wwlogin/sso/login";

export type WecomLoginVia = "wecom_oauth" | "wecom_qr";

/** The state cookie: the state value and where to go after log-in, for 10 minutes. */
export const STATE_COOKIE = "kaiqu_wecom_state";
export const STATE_TTL_S = 600;

/** WeCom allows state as [a-zA-Z0-9], at most 128 bytes: 32 alphanumerics (~190 bits). */
export function newState(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  // bytes ≥ 248 (= 4 × 62) are skipped so every character is equally likely
  while (s.length < 32) for (const b of randomBytes(40)) if (b < 248 && s.length < 32) s += alphabet[b % 62];
  return s;
}

export function isWellFormedState(s: unknown): s is string {
  return typeof s === "string" && /^[A-Za-z0-9]{32}$/.test(s);
}

export function statesMatch(expected: string, sent: unknown): boolean {
  if (typeof sent !== "string" || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

/** WeCom's in-app browser says so in its user agent ("wxwork/4.1.x"). */
export function isWecomBrowser(userAgent: string | undefined): boolean {
  return /\bwxwork\//i.test(userAgent ?? "");
}

export function wecomAuthorizeUrl(o: {
  via: WecomLoginVia;
  corpId: string;
  agentId: number;
  redirectUri: string;
  state: string;
}): string {
  if (o.via === "wecom_oauth") {
    const q = new URLSearchParams({
      appid: o.corpId,
      redirect_uri: o.redirectUri,
      response_type: "code",
      scope: "snsapi_base",
      state: o.state,
      agentid: String(o.agentId),
    });
    return `${WECOM_OAUTH_AUTHORIZE}?${q.toString()}#wechat_redirect`;
  }
  const q = new URLSearchParams({
    login_type: "CorpApp",
    appid: o.corpId,
    agentid: String(o.agentId),
    redirect_uri: o.redirectUri,
    state: o.state,
    lang: "zh",
  });
  return `${WECOM_SSO_LOGIN}?${q.toString()}`;
}
