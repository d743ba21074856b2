import type { FastifyInstance } from "fastify";
import type { Store } from "../../src/db/database.js";
import type { Outbox } from "../../src/outbox/outbox.js";

export interface HealthOptions {
  store: Pick<Store, "db" | "provider">;
  outbox: Pick<Outbox, "backlog">;
  /** The scheduler's status; an object with `ok: false` makes the check fail. Absent = not running. */
  schedulerStatus?: () => unknown;
  /**
   * The write probe (one upsert of a JobHeartbeat row) runs at most once per this many ms; requests in
   * between get the last result (default 5 000). 0 = every request (tests).
   */
  writeProbeIntervalMs?: number;
  /** Extra facts shown as-is (e.g. which transports are on). */
  info?: () => Record<string, unknown>;
}

const PROBE_ROW = "healthz-write-probe";

/**
 * GET /healthz: store readable (a trivial query) and writable (a rate-limited upsert of one row, which
 * waits at most the store timeout — a held SQLite write lock or a stuck PostgreSQL shows as
 * degraded), scheduler status, outbox backlog. 200 or 503.
 */
export function registerHealth(app: FastifyInstance, o: HealthOptions): void {
  const interval = o.writeProbeIntervalMs ?? 5_000;
  let last: { at: number; result: Promise<{ ok: boolean; error?: string }> } | undefined;
  const probeWrite = () => {
    const now = Date.now();
    if (last && now - last.at < interval) return last.result;
    const result = o.store.db.jobHeartbeat
      .upsert({
        where: { name: PROBE_ROW },
        create: { name: PROBE_ROW, lastRunAt: new Date(now), instance: "healthz" },
        update: { lastRunAt: new Date(now) },
      })
      .then(() => ({ ok: true }))
      .catch((e: unknown) => ({ ok: false, error: errorText(e) }));
    last = { at: now, result };
    return result;
  };
  app.get("/healthz", async (_req, reply) => {
    const read: { ok: boolean; error?: string } = await o.store.db
      .$queryRawUnsafe("SELECT 1")
      .then(() => ({ ok: true }))
      .catch((e: unknown) => ({ ok: false, error: errorText(e) }));
    const write = read.ok ? await probeWrite() : { ok: false, error: "store unreachable" };
    const store = {
      ok: read.ok && write.ok,
      provider: o.store.provider,
      ...(read.ok ? {} : { error: read.error }),
      write,
    };
    const outbox = read.ok
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
