import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyMultipart from "@fastify/multipart";
import fastifyView from "@fastify/view";
import { Eta } from "eta";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../src/app-context.js";
import { findContact } from "../../src/programme/programme-repository.js";
import { WecomClient } from "../transports/wecom-app/wecom-client.js";
import { BoardCache } from "./board-cache.js";
import { csrfMatches } from "./csrf.js";
import { LoginRateLimit } from "./login-rate-limit.js";
import { registerAuditRoutes } from "./routes/audit-routes.js";
import { registerBoardRoutes } from "./routes/board-routes.js";
import { registerCircularRoutes } from "./routes/circular-routes.js";
import { registerLoginRoutes } from "./routes/login-routes.js";
import { registerOutboxRoutes } from "./routes/outbox-routes.js";
import { registerReminderRoutes } from "./routes/reminder-routes.js";
import { registerRosterRoutes } from "./routes/roster-routes.js";
import { registerWecomLoginRoutes } from "./routes/wecom-login-routes.js";
import { registerZoneRoutes } from "./routes/zone-routes.js";
import { viewHelpers } from "./view-helpers.js";
import { findSession, isWellFormedToken } from "./web-auth-store.js";
import { userOf, WebError } from "./web-user.js";

export const WEB_PREFIX = "/web";
export const SESSION_COOKIE = "kaiqu_sid";
const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../templates/web");

export interface WebConsoleOptions {
  app: AppContext;
  /** Public base URL (log-in links, the Secure decision); default http://HOST:PORT. */
  baseUrl?: string;
  /** For WeCom log-in (default: a client of the configured self-built app, when there is one). */
  wecom?: WecomClient;
}

export interface WebRuntime {
  app: AppContext;
  secureCookies: boolean;
  sessionTtlMs: number;
  loginLimit: LoginRateLimit;
  /** Assessments and chart SVGs of the board while their inputs stay the same. */
  boardCache: BoardCache;
  /** The self-built app's client for WeCom log-in; absent when WeCom is not configured. */
  wecom?: WecomClient;
}

export function webBaseUrl(app: AppContext): string {
  return (app.config.WEB_BASE_URL ?? `http://${app.config.HOST}:${app.config.PORT}`).replace(/\/+$/, "");
}

/**
 * The task force's web console under /web, in its own Fastify scope (its body parsers, cookies and
 * error pages do not touch the WeCom callback). Every request resolves the session cookie against
 * the database; every state-changing request needs the session's CSRF token; every route checks
 * the user's rights on the server.
 */
export async function registerWebConsole(root: FastifyInstance, o: WebConsoleOptions): Promise<void> {
  const { app } = o;
  const secure =
    app.config.WEB_COOKIE_SECURE === "auto"
      ? (o.baseUrl ?? webBaseUrl(app)).startsWith("https://")
      : app.config.WEB_COOKIE_SECURE === "true";
  const rt: WebRuntime = {
    app,
    secureCookies: secure,
    sessionTtlMs: app.config.WEB_SESSION_TTL_MIN * 60_000,
    loginLimit: new LoginRateLimit(app.config.WEB_LOGIN_PER_MIN, app.clock),
    boardCache: new BoardCache(),
    wecom:
      o.wecom ??
      (app.config.wecomEnabled
        ? new WecomClient({
            baseUrl: app.config.WECOM_API_BASE,
            app: {
              corpId: app.config.WECOM_CORP_ID!,
              agentId: app.config.WECOM_AGENT_ID!,
              secret: app.config.WECOM_SECRET!,
            },
            clock: app.clock,
            logger: app.logger.child({ component: "web-wecom-login" }),
          })
        : undefined),
  };
  root.get("/", async (_req, reply) => reply.redirect(`${WEB_PREFIX}/`));

  await root.register(
    async (web) => {
      await web.register(fastifyCookie);
      await web.register(fastifyFormbody, { bodyLimit: 16 * 1024 * 1024 });
      await web.register(fastifyMultipart, {
        limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
      });
      const eta = new Eta({ views: TEMPLATES, cache: true, autoEscape: true, autoTrim: false });
      await web.register(fastifyView, { engine: { eta }, root: TEMPLATES, defaultContext: viewHelpers });
      web.decorateRequest("webUser", null);

      web.addHook("onRequest", async (req, reply) => {
        reply.header("x-frame-options", "DENY");
        reply.header("x-content-type-options", "nosniff");
        reply.header("referrer-policy", "no-referrer");
        reply.header(
          "content-security-policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; form-action 'self'; frame-ancestors 'none'",
        );
        const token = req.cookies[SESSION_COOKIE];
        if (!isWellFormedToken(token)) return;
        const s = await findSession(app.store.db, token, app.clock.now());
        if (!s) return;
        const contact = await findContact(app.store.db, s.contactId);
        if (!contact?.active || contact.id !== s.contactId) return;
        req.webUser = userOf(contact, token, s.csrfToken);
      });

      // CSRF: every state-changing request echoes the session's token (multipart forms are checked by
      // their route once the fields are read). The log-in POST carries its one-time token instead.
      web.addHook("preHandler", async (req) => {
        if (req.method === "GET" || req.method === "HEAD") return;
        if (req.routeOptions.url === `${WEB_PREFIX}/login`) return;
        if (!req.webUser) throw new WebError(401, "请先登录。");
        if (req.isMultipart()) return;
        const body = (req.body ?? {}) as Record<string, unknown>;
        const sent = req.headers["x-csrf-token"] ?? body._csrf;
        if (!csrfMatches(req.webUser.csrfToken, sent))
          throw new WebError(403, "表单已失效（缺少或错误的安全令牌），请刷新页面后重试。");
      });

      web.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
        const status = err instanceof WebError ? err.statusCode : (err.statusCode ?? 500);
        if (status === 401 && req.method === "GET")
          return reply.redirect(`${WEB_PREFIX}/login?next=${encodeURIComponent(req.url)}`);
        if (status >= 500)
          app.logger.error({ err, url: req.url.split("?")[0] }, "web console request failed");
        const message =
          err instanceof WebError
            ? err.message
            : status === 413
              ? "上传的文件或表单太大。"
              : status >= 500
                ? "服务器出错，请稍后重试；如持续出现请联系管理员。"
                : "请求无效。";
        return renderError(reply.code(status), req, message);
      });
      web.setNotFoundHandler(async (req, reply) => renderError(reply.code(404), req, "页面不存在。"));

      registerLoginRoutes(web, rt);
      registerWecomLoginRoutes(web, rt);
      registerBoardRoutes(web, rt);
      registerZoneRoutes(web, rt);
      registerCircularRoutes(web, rt);
      registerReminderRoutes(web, rt);
      registerRosterRoutes(web, rt);
      registerOutboxRoutes(web, rt);
      registerAuditRoutes(web, rt);
    },
    { prefix: WEB_PREFIX },
  );
}

async function renderError(reply: FastifyReply, req: FastifyRequest, message: string) {
  return reply
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .view("error", { user: req.webUser, title: "无法完成", message, status: reply.statusCode });
}
