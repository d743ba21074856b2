import type { FastifyInstance, FastifyReply } from "fastify";
import { findContact } from "../../../src/programme/programme-repository.js";
import { recordAudit } from "../web-audit.js";
import { consumeLoginLink, createSession, isWellFormedToken, revokeSession } from "../web-auth-store.js";
import { SESSION_COOKIE, WEB_PREFIX, type WebRuntime } from "../web-console.js";
import { html, requireUser, WebError } from "../web-user.js";

/** Only our own pages are redirect targets after log-in (no open redirect). */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 500) return `${WEB_PREFIX}/`;
  if (!next.startsWith(`${WEB_PREFIX}/`) || next.startsWith("//") || next.includes("\\"))
    return `${WEB_PREFIX}/`;
  if (next.startsWith(`${WEB_PREFIX}/login`)) return `${WEB_PREFIX}/`;
  return next;
}

const BAD_LINK = "登录链接无效、已使用或已过期。请让管理员重新生成：npm run kaiqu -- web login --as <联系人>";

export function registerLoginRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;

  // GET only shows a button: link previewers (chat apps fetch URLs) must not use up the link.
  web.get<{ Querystring: { token?: string; next?: string } }>("/login", async (req, reply) => {
    const token = req.query.token;
    return html(reply).view("login", {
      user: req.webUser,
      title: "登录",
      token: isWellFormedToken(token) ? token : null,
      badToken: token !== undefined && !isWellFormedToken(token),
      next: safeNext(req.query.next),
      message: token !== undefined && !isWellFormedToken(token) ? BAD_LINK : null,
      wecom: rt.wecom !== undefined,
    });
  });

  web.post<{ Body: { token?: string; next?: string } }>("/login", async (req, reply) => {
    if (!rt.loginLimit.allow(req.ip)) {
      app.logger.warn({ ip: req.ip }, "web login rate limit hit");
      throw new WebError(429, "登录尝试过于频繁，请一分钟后再试。");
    }
    const token = req.body?.token;
    const now = app.clock.now();
    const fail = async (reason: string, contactId = "") => {
      await recordAudit(app.store.db, {
        at: now,
        contactId,
        action: "login_failed",
        detail: { via: "link", reason },
        ip: req.ip,
      });
      throw new WebError(401, BAD_LINK);
    };
    if (!isWellFormedToken(token)) return fail("malformed");
    const used = await consumeLoginLink(app.store.db, token, now, req.ip);
    if (!used.ok) return fail(used.reason, used.contactId);
    const contact = await findContact(app.store.db, used.contactId);
    if (!contact?.active || contact.id !== used.contactId) return fail("contact_inactive", used.contactId);
    const s = await createSession(app.store.db, {
      contactId: contact.id,
      via: "link",
      ttlMs: rt.sessionTtlMs,
      now,
      ip: req.ip,
    });
    await recordAudit(app.store.db, {
      at: now,
      contactId: contact.id,
      action: "login",
      detail: { via: "link" },
      ip: req.ip,
    });
    setSessionCookie(reply, rt, s.token, s.expiresAt);
    return reply.redirect(safeNext(req.body?.next), 303);
  });

  web.post("/logout", async (req, reply) => {
    const user = requireUser(req);
    const now = app.clock.now();
    await revokeSession(app.store.db, user.sessionToken, now);
    await recordAudit(app.store.db, { at: now, contactId: user.contact.id, action: "logout", ip: req.ip });
    reply.clearCookie(SESSION_COOKIE, { path: WEB_PREFIX });
    return reply.redirect(`${WEB_PREFIX}/login`, 303);
  });
}

export function setSessionCookie(reply: FastifyReply, rt: WebRuntime, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: WEB_PREFIX,
    httpOnly: true,
    sameSite: "lax",
    secure: rt.secureCookies,
    // relative, so a browser whose clock differs from the server's keeps the cookie as long as the session
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - rt.app.clock.now().getTime()) / 1000)),
  });
}
