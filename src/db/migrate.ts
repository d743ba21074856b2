import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { projectRoot } from "../project-root.js";
import { prepareSqliteFolder } from "./store-open-error.js";
import { type Provider, parseStoreUrl } from "./store-url.js";

/**
 * Applies the committed migrations with the plain drivers instead of `prisma migrate deploy`,
 * whose 6.19 driver adapters fail on PostgreSQL (prisma/orm#27403: system types `name`/`"char"`)
 * and reject multi-statement SQL on SQLite. The bookkeeping table is Prisma's own
 * `_prisma_migrations`, so `prisma migrate status` keeps working.
 */

const ROOT = projectRoot(import.meta.url);
const PG_LOCK_KEY = 7_274_561_023;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  provider: Provider;
  applied: string[];
  pending: string[];
  /** Applied migrations whose file changed since (checksum mismatch) or that no longer exist. */
  modified: string[];
}

export function migrationsDir(provider: Provider): string {
  return path.join(ROOT, "prisma", provider, "migrations");
}

export function readMigrations(provider: Provider): Migration[] {
  const dir = migrationsDir(provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

const SELECT_APPLIED = `SELECT migration_name AS name, checksum FROM "_prisma_migrations"
  WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`;

interface Driver {
  applied(): Promise<{ name: string; checksum: string }[]>;
  apply(m: Migration): Promise<void>;
  close(): Promise<void>;
}

async function openDriver(url: string, lock: boolean): Promise<Driver> {
  const parsed = parseStoreUrl(url);
  if (parsed.provider === "sqlite") {
    prepareSqliteFolder(parsed.target);
    const db = new Database(parsed.target, { timeout: 10_000 });
    db.exec(CREATE_TABLE.sqlite);
    return {
      applied: async () => db.prepare(SELECT_APPLIED).all() as { name: string; checksum: string }[],
      apply: async (m) => {
        // SQLite ignores PRAGMA foreign_keys inside a transaction and better-sqlite3 turns foreign keys on:
        // Prisma's table redefinitions (DROP TABLE + RENAME) would cascade-delete child rows. Switch them
        // off around the migration and check the result before committing.
        db.pragma("foreign_keys = OFF");
        // BEGIN IMMEDIATE serialises concurrent migrators on one file.
        db.exec("BEGIN IMMEDIATE");
        try {
          const done = db
            .prepare(
              `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL`,
            )
            .get(m.name);
          if (!done) {
            db.exec(m.sql);
            const violations = db.pragma("foreign_key_check") as unknown[];
            if (violations.length > 0) {
              throw new Error(`migration ${m.name} leaves ${violations.length} foreign-key violation(s)`);
            }
            db.prepare(
              `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
               VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
            ).run(randomUUID(), m.checksum, m.name);
          }
          db.exec("COMMIT");
        } catch (e) {
          db.exec("ROLLBACK");
          throw e;
        } finally {
          db.pragma("foreign_keys = ON");
        }
      },
      close: async () => {
        db.close();
      },
    };
  }
  // loaded here: a SQLite deployment never loads the PostgreSQL driver
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: parsed.target });
  await client.connect();
  if (lock) await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_KEY]);
  await client.query(CREATE_TABLE.postgresql);
  return {
    applied: async () => (await client.query(SELECT_APPLIED)).rows,
    apply: async (m) => {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    },
    close: async () => {
      if (lock) await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_KEY]).catch(() => {});
      await client.end();
    },
  };
}

function compare(provider: Provider, applied: { name: string; checksum: string }[]): MigrationStatus {
  const files = readMigrations(provider);
  const byName = new Map(files.map((m) => [m.name, m]));
  const appliedNames = new Set(applied.map((a) => a.name));
  return {
    provider,
    applied: applied.map((a) => a.name),
    pending: files.filter((m) => !appliedNames.has(m.name)).map((m) => m.name),
    modified: applied.filter((a) => byName.get(a.name)?.checksum !== a.checksum).map((a) => a.name),
  };
}

export async function migrationStatus(url: string): Promise<MigrationStatus> {
  const driver = await openDriver(url, false);
  try {
    return compare(parseStoreUrl(url).provider, await driver.applied());
  } finally {
    await driver.close();
  }
}

/**
 * Applies pending migrations in order, each in its own transaction; safe to run from several processes.
 * `before`: stop at the first migration whose name ends with it (a migration test fills the
 * store as it was, then applies the rest).
 */
export async function applyMigrations(
  url: string,
  opts: { before?: string } = {},
): Promise<MigrationStatus & { appliedNow: string[] }> {
  const provider = parseStoreUrl(url).provider;
  const driver = await openDriver(url, true);
  try {
    const before = compare(provider, await driver.applied());
    if (before.modified.length > 0) {
      throw new Error(
        `已应用的迁移文件被修改或删除 / applied migrations changed on disk: ${before.modified.join(", ")}. ` +
          "Restore them; never edit a migration that has been applied — add a new one.",
      );
    }
    const files = readMigrations(provider);
    const appliedNow: string[] = [];
    for (const m of files) {
      if (opts.before !== undefined && m.name.endsWith(opts.before)) break;
      if (!before.pending.includes(m.name)) continue;
      await driver.apply(m);
      appliedNow.push(m.name);
    }
    return { ...compare(provider, await driver.applied()), appliedNow };
  } finally {
    await driver.close();
  }
}
