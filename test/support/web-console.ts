import { createHttpServer, type HttpServer } from "../../bot/server/create-server.js";
import { createLoginLink } from "../../bot/web/web-auth-store.js";
import { SESSION_COOKIE } from "../../bot/web/web-console.js";
import { createLogger } from "../../src/log/logger.js";
import { CIRCULAR_ENV, circularApp } from "./circular-app.js";
import type { TestStore } from "./stores.js";

/** An urlencoded form body, as a browser sends it. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const FORM = { "content-type": "application/x-www-form-urlencoded" };

/**
 * The real HTTP server with the web console on a test store (the circular fixture's environment:
 * WeCom, robots and WeChat configured, so sends have somewhere to go).
 */
export async function webConsoleRig(store: TestStore, env: Record<string, string> = CIRCULAR_ENV) {
  const ctx = circularApp(store, env);
  const server: HttpServer = createHttpServer({
    logger: createLogger("silent"),
    clock: ctx.clock,
    bodyLimitBytes: 65_536,
    health: { store, outbox: ctx.app.outbox },
    web: { app: ctx.app },
  });
  await server.fastify.ready();

  /** A fresh one-time link token for a contact. */
  const link = async (contactId: string, ttlMs = 600_000) =>
    (await createLoginLink(store.db, { contactId, ttlMs, createdBy: "test", now: ctx.clock.now() })).token;

  /** Logs in through the real routes; returns the session cookie and the page's CSRF token. */
  const login = async (contactId: string) => {
    const token = await link(contactId);
    const res = await server.fastify.inject({
      method: "POST",
      url: "/web/login",
      payload: form({ token }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const page = await server.fastify.inject({
      url: "/web/board?period=2023Q2",
      cookies: { [SESSION_COOKIE]: cookie.value },
    });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!csrf) throw new Error("no csrf token on the board page");
    return { cookies: { [SESSION_COOKIE]: cookie.value }, csrf, setCookie: cookie };
  };
  return { ...ctx, server, link, login };
}
