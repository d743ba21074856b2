import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openStore, type Store } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import type { Provider } from "../../src/db/store-url.js";

/** The stores every storage test runs on. KAIQU_TEST_STORES=sqlite narrows it for a quick local run. */
export const TEST_PROVIDERS: Provider[] = (process.env.KAIQU_TEST_STORES ?? "sqlite,postgresql")
  .split(",")
  .map((s) => s.trim())
  .filter((s): s is Provider => s === "sqlite" || s === "postgresql");

/** Admin connection used to create and drop throwaway databases. */
export const PG_ADMIN_URL = process.env.KAIQU_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestStore extends Store {
  /** Closes the store and deletes the throwaway database/file. */
  dispose(): Promise<void>;
}

/** A fresh, empty database URL of the provider (created here; removed by the returned drop()). */
export async function createTestDatabaseUrl(
  provider: Provider,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-test-"));
    return {
      url: `file:${path.join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `kaiqu_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated, empty store on a throwaway database. */
export async function createTestStore(provider: Provider): Promise<TestStore> {
  const { url, drop } = await createTestDatabaseUrl(provider);
  await applyMigrations(url);
  const store = await openStore(url);
  return {
    ...store,
    dispose: async () => {
      await store.close();
      await drop();
    },
  };
}
