import Fastify, { type FastifyInstance } from "fastify";
import type { Logger } from "../../src/log/logger.js";
import type { Clock } from "../../src/time/clock.js";
import {
  registerWecomCallback,
  type WecomCallbackOptions,
} from "../transports/wecom-app/wecom-callback-route.js";
import { registerWebConsole, type WebConsoleOptions } from "../web/web-console.js";
import { type HealthOptions, registerHealth } from "./health-route.js";
import { InFlight } from "./in-flight.js";

export interface HttpServerOptions {
  logger: Logger;
  clock: Clock;
  /** Request body limit in bytes (WECOM_BODY_LIMIT_BYTES); larger bodies get 413. */
  bodyLimitBytes: number;
  health: HealthOptions;
  /** Absent when WeCom is not configured: no callback routes. */
  wecom?: WecomCallbackOptions;
  /** The task force's web console under /web (absent: WEB_ENABLED=false). */
  web?: WebConsoleOptions;
}

export interface HttpServer {
  fastify: FastifyInstance;
  /** Handlers still running after their 200 went out. */
  inFlight: InFlight;
  /** Listens and returns the base URL (http://host:port). */
  listen(host: string, port: number): Promise<string>;
  /** Stops accepting requests, then waits (bounded) for in-flight handlers. */
  close(drainTimeoutMs?: number): Promise<void>;
}

export function createHttpServer(o: HttpServerOptions): HttpServer {
  const log = o.logger.child({ component: "http" });
  const app = Fastify({ logger: false, bodyLimit: o.bodyLimitBytes, return503OnClosing: true });
  const inFlight = new InFlight();

  // Fastify has no XML parser: hand XML bodies over as raw strings, within the same limit.
  app.addContentTypeParser(
    ["text/xml", "application/xml"],
    { parseAs: "string", bodyLimit: o.bodyLimitBytes },
    (_req, body, done) => done(null, body),
  );

  app.setErrorHandler((err: { statusCode?: number; code?: string; message?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const line = { method: req.method, url: req.url.split("?")[0], status, code: err.code, ip: req.ip };
    if (status >= 500) log.error({ ...line, err: err.message }, "http request failed");
    else log.warn(line, "http request rejected");
    return reply
      .code(status)
      .type("text/plain")
      .send(status === 413 ? "too_large" : status >= 500 ? "error" : "bad_request");
  });
  app.setNotFoundHandler((req, reply) => {
    log.debug({ method: req.method, url: req.url.split("?")[0] }, "http not found");
    return reply.code(404).type("text/plain").send("not_found");
  });

  registerHealth(app, o.health);
  if (o.wecom) registerWecomCallback(app, { ...o.wecom, logger: o.logger, clock: o.clock, inFlight });
  if (o.web) app.register(registerWebConsole, o.web);

  return {
    fastify: app,
    inFlight,
    async listen(host, port) {
      return app.listen({ host, port });
    },
    async close(drainTimeoutMs = 30_000) {
      await app.close();
      if (!(await inFlight.drain(drainTimeoutMs)))
        log.warn(
          { pending: inFlight.size },
          "shutdown: inbound handlers still running after the drain timeout",
        );
    },
  };
}
