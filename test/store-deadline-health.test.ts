import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer } from "../bot/server/create-server.js";
import { loadConfig } from "../src/config/config.js";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { parseStoreUrl } from "../src/db/store-url.js";
import { createLogger } from "../src/log/logger.js";
import { Outbox } from "../src/outbox/outbox.js";
import { systemClock } from "../src/time/clock.js";
import { createTestDatabaseUrl } from "./support/stores.js";
import { CALLBACK, encryptedPost, post, textMessageXml } from "./support/wecom-callbacks.js";

// #18: store waits stay below WeCom's 5 s callback deadline; /healthz notices failing writes.
describe("store deadlines", () => {
  it("the default store timeout is below WeCom's 5 s and larger values are refused", () => {
    expect(loadConfig({}).DB_TIMEOUT_MS).toBeLessThan(5_000);
    expect(() => loadConfig({ DB_TIMEOUT_MS: "10000" })).toThrow(/DB_TIMEOUT_MS/);
  });
});

describe("SQLite write lock held by another connection", () => {
  let url: string;
  let drop: () => Promise<void>;
  let store: Store;
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabaseUrl("sqlite"));
    await applyMigrations(url);
    store = await openStore(url, { timeoutMs: 300 });
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it("/healthz reports degraded and the callback answers 503 before WeCom's deadline", async () => {
    const server = createHttpServer({
      logger: createLogger("silent"),
      clock: systemClock,
      bodyLimitBytes: 65_536,
      health: { store, outbox: new Outbox(store, systemClock), writeProbeIntervalMs: 0 },
      wecom: {
        token: CALLBACK.token,
        encodingAESKey: CALLBACK.encodingAESKey,
        corpId: CALLBACK.corpId,
        replayWindowS: 300,
        accept: async (e) => {
          await store.db.jobHeartbeat.create({
            data: { name: `accept:${e.externalId}`, lastRunAt: new Date(), instance: "t" },
          });
        },
        onEvent: async () => {},
      },
    });
    const base = await server.listen("127.0.0.1", 0);
    const healthy = await fetch(`${base}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ ok: true, store: { ok: true, write: { ok: true } } });

    const other = new Database(parseStoreUrl(url).target);
    other.exec("BEGIN IMMEDIATE");
    try {
      const h = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(4_500) });
      expect(h.status).toBe(503);
      expect(await h.json()).toMatchObject({ ok: false, store: { ok: false, write: { ok: false } } });
      const req = encryptedPost(textMessageXml({ from: "u1", content: "进度", msgId: "5001" }));
      const res = await fetch(base + req.path, {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: req.body,
        signal: AbortSignal.timeout(4_500),
      });
      expect(res.status).toBe(503);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    const again = await post(
      base,
      encryptedPost(textMessageXml({ from: "u1", content: "进度", msgId: "5002" })),
    );
    expect(again.status).toBe(200);
    await server.close(1_000);
  });
});
