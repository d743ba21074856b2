import type { PrismaClient as SqliteClient } from "../../prisma/generated/sqlite/client.js";
import { postgresSql, setPgTypes } from "./postgres-sql.js";
import { isSqlUniqueViolation, type Sql } from "./sql.js";
import { createConnectionLock, lockAdapterTransactions } from "./sqlite-lock.js";
import { type SqliteAdapterHandle, sqliteSql } from "./sqlite-sql.js";
import { prepareSqliteFolder } from "./store-open-error.js";
import { type Provider, parseStoreUrl } from "./store-url.js";
import { walSyncer } from "./wal-sync.js";

/**
 * Both generated clients expose the same model API (the models come from one source,
 * and no provider-specific types are used), so the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface Store {
  db: Db;
  /** Raw SQL for the measured hot paths (src/db/sql.ts); the same connection as `db` on SQLite. */
  sql: Sql;
  provider: Provider;
  url: string;
  close(): Promise<void>;
}

const rawSql = new WeakMap<object, Sql>();

/**
 * The raw-SQL handle of a client opened by openStore (undefined for anything else, e.g. a Prisma
 * transaction client), so that repositories taking a `Db` can use the hot path without every
 * service passing the store around.
 */
export function sqlOf(db: Db | Tx): Sql | undefined {
  return rawSql.get(db);
}

/**
 * Gives a client derived from a store's client (e.g. `db.$extends(…)`, as a test counting queries
 * does) a raw-SQL handle, so repositories take the same paths on it (roster cache, hot paths).
 */
export function attachSql(db: Db, sql: Sql): void {
  rawSql.set(db, sql);
}

/** DB_TIMEOUT_MS default: below WeCom's 5 s callback deadline. */
export const DEFAULT_STORE_TIMEOUT_MS = 3_000;

/**
 * Opens the store named by DATABASE_URL (creating the SQLite folder). Does not migrate.
 * The provider's driver, adapter and generated client are imported here, on first use, so that a
 * process never loads the other provider's (or any, before it needs a store).
 * `timeoutMs` bounds every wait on the store: SQLite's busy timeout (a write lock held elsewhere),
 * PostgreSQL's statement_timeout and the wait for a pooled connection — so that a callback answers
 * 503 (WeCom retries) rather than miss WeCom's 5 s deadline.
 */
export async function openStore(url: string, opts: { timeoutMs?: number } = {}): Promise<Store> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const parsed = parseStoreUrl(url);
  if (parsed.provider === "postgresql") {
    const [{ PrismaPg }, { PrismaClient: PgClient }, { default: pg }] = await Promise.all([
      import("@prisma/adapter-pg"),
      import("../../prisma/generated/postgresql/client.js"),
      import("pg"),
    ]);
    setPgTypes(pg.types);
    const poolLimits = { statement_timeout: timeoutMs, connectionTimeoutMillis: timeoutMs };
    const adapter = new PrismaPg({ connectionString: parsed.target, max: 10, ...poolLimits });
    const db = new PgClient({ adapter }) as unknown as Db;
    await db.$connect();
    const pool = new pg.Pool({ connectionString: parsed.target, max: 5, ...poolLimits });
    // An idle pooled connection that the server ends (restart, failover, DROP DATABASE … FORCE) emits
    // 'error' on the pool; unhandled, that would crash the process. The pool drops the connection and
    // the next query opens a new one (and fails loudly there if the server is really gone).
    pool.on("error", () => {});
    const sql = postgresSql(pool);
    rawSql.set(db, sql);
    let closing: Promise<void> | undefined;
    return {
      db,
      sql,
      provider: "postgresql",
      url,
      // idempotent: a store may be closed by its owner and again by a test's dispose
      close: () => {
        closing ??= pool.end().then(() => db.$disconnect());
        return closing;
      },
    };
  }
  prepareSqliteFolder(parsed.target);
  const [{ PrismaBetterSQLite3 }, { PrismaClient }] = await Promise.all([
    import("@prisma/adapter-better-sqlite3"),
    import("../../prisma/generated/sqlite/client.js"),
  ]);
  let connected: { client: SqliteAdapterHandle["client"] } | undefined;
  const lock = createConnectionLock();
  // keeps hold of the adapter Prisma connects, for raw SQL on the same connection (see sqliteSql);
  // its transactions hold the connection lock that raw transactions take
  class CapturingFactory extends PrismaBetterSQLite3 {
    override async connect() {
      const a = await super.connect();
      lockAdapterTransactions(a, lock);
      connected = a as unknown as { client: SqliteAdapterHandle["client"] };
      return a;
    }
  }
  const adapter = new CapturingFactory({ url: `file:${parsed.target}`, timeout: timeoutMs });
  const db = new PrismaClient({ adapter });
  await db.$connect();
  // WAL lets the CLI read while the bot writes; foreign keys are off by default in SQLite.
  // synchronous=NORMAL: a commit survives a crash of the process but is synced to disk only at the
  // next synced commit or checkpoint (FULL synced every commit: most of a report message's wall time
  // on a shared disk). What must survive a power loss asks for it: the inbound row stored before the
  // message is acknowledged or processed (Sql.getDurable) — and its sync carries every commit before.
  // A later commit lost to a power loss is redone: the message is still "received" and is resumed.
  const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  if (!connected) throw new Error("the SQLite adapter did not connect");
  const handle = connected;
  // the durable commits are flushed off the event loop (wal-sync.ts) — when there is a WAL file to flush
  const syncer = mode?.journal_mode === "wal" ? walSyncer(parsed.target) : undefined;
  const sql = sqliteSql(
    {
      get client() {
        return handle.client;
      },
      lock: () => lock.acquire(),
    },
    syncer,
  );
  rawSql.set(db, sql);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await syncer?.close();
      await db.$disconnect();
    })();
    return closing;
  };
  return { db, sql, provider: "sqlite", url, close };
}

export type {
  CacheVersion,
  ChatGroup,
  Circular,
  Contact,
  Conversation,
  InboundMessage,
  Indicator,
  OutboundMessage,
  Prefecture,
  ProgrammeQuarter,
  ProgrammeYear,
  ReportRevision,
  Target,
  Zone,
  ZoneMembership,
} from "../../prisma/generated/sqlite/client.js";

/** True when the error is a unique-constraint violation (Prisma P2002 or a raw statement's), on either store. */
export function isUniqueViolation(e: unknown): boolean {
  return (
    typeof e === "object" &&
    e !== null &&
    ((e as { code?: string }).code === "P2002" || isSqlUniqueViolation(e))
  );
}
