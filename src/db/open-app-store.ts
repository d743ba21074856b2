import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import { openStore, type Store } from "./database.js";
import { applyMigrations, migrationStatus } from "./migrate.js";
import { redactUrl } from "./store-url.js";

export class PendingMigrationsError extends Error {
  constructor(pending: string[]) {
    super(
      `数据库有未应用的迁移 / the store has pending migrations: ${pending.join(", ")}.\n` +
        "Run `npm run db:migrate`, or set DB_MIGRATE_ON_START=true to apply them at start.",
    );
    this.name = "PendingMigrationsError";
  }
}

/**
 * Opens the configured store for the bot and the CLI. Policy: with DB_MIGRATE_ON_START=true
 * (default) pending migrations are applied first (serialised across instances); with false the
 * program refuses to start while any are pending.
 */
export async function openAppStore(
  config: Pick<Config, "DATABASE_URL" | "DB_MIGRATE_ON_START"> & Partial<Pick<Config, "DB_TIMEOUT_MS">>,
  logger?: Logger,
): Promise<Store> {
  if (config.DB_MIGRATE_ON_START) {
    const r = await applyMigrations(config.DATABASE_URL);
    if (r.appliedNow.length > 0)
      logger?.info({ applied: r.appliedNow, store: redactUrl(config.DATABASE_URL) }, "migrations applied");
  } else {
    const s = await migrationStatus(config.DATABASE_URL);
    if (s.pending.length > 0) throw new PendingMigrationsError(s.pending);
  }
  return openStore(config.DATABASE_URL, { timeoutMs: config.DB_TIMEOUT_MS });
}
