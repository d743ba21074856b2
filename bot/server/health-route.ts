import type { FastifyInstance } from "fastify";
import type { Store } from "../../src/db/database.js";
import type { Outbox } from "../../src/outbox/outbox.js";

export interface HealthOptions {
  store: Pick<Store, "db" | "provider">;
  outbox: Pick<Outbox, "backlog">;
  /** The scheduler's status; an object with `ok: false` makes the check fail. Absent = not running. */
  schedulerStatus?: () => unknown;
  /** Extra facts shown as-is (e.g. which transports are on). */
  info?: () => Record<string, unknown>;
}

/** GET /healthz: store reachable (a trivial query), scheduler status, outbox backlog. 200 or 503. */
export function registerHealth(app: FastifyInstance, o: HealthOptions): void {
  app.get("/healthz", async (_req, reply) => {
    const store = await o.store.db
      .$queryRawUnsafe("SELECT 1")
      .then(() => ({ ok: true, provider: o.store.provider }))
      .catch((e: unknown) => ({ ok: false, provider: o.store.provider, error: errorText(e) }));
    const outbox = store.ok
      ? await o.outbox
          .backlog()
          .then((backlog) => ({ ok: true, ...backlog }))
          .catch((e: unknown) => ({ ok: false, error: errorText(e) }))
      : { ok: false, error: "store unreachable" };
    let scheduler: unknown;
    try {
      scheduler = o.schedulerStatus ? o.schedulerStatus() : { running: false };
    } catch (e) {
      scheduler = { ok: false, error: errorText(e) };
    }
    const schedulerOk = !(
      typeof scheduler === "object" &&
      scheduler !== null &&
      (scheduler as { ok?: unknown }).ok === false
    );
    const ok = store.ok && outbox.ok && schedulerOk;
    return reply.code(ok ? 200 : 503).send({ ok, store, scheduler, outbox, ...(o.info?.() ?? {}) });
  });
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 200);
}
