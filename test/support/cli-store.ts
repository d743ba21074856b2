import { type Db, openStore } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import type { Provider } from "../../src/db/store-url.js";
import { createTestDatabaseUrl } from "./stores.js";

/**
 * A migrated throwaway database for tests that drive the CLI in-process (runCliCapture): `env` for
 * the CLI, and withDb() for the test's own reads and writes on a connection it closes again.
 */
export interface CliTestStore {
  url: string;
  env: Record<string, string>;
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export async function createCliTestStore(provider: Provider): Promise<CliTestStore> {
  const { url, drop } = await createTestDatabaseUrl(provider);
  await applyMigrations(url);
  return {
    url,
    env: { DATABASE_URL: url },
    withDb: async (fn) => {
      const store = await openStore(url);
      try {
        return await fn(store.db);
      } finally {
        await store.close();
      }
    },
    dispose: drop,
  };
}
