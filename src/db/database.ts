import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "../../prisma/generated/postgresql/client.js";
import { PrismaClient as SqliteClient } from "../../prisma/generated/sqlite/client.js";
import { type Provider, parseStoreUrl } from "./store-url.js";

/**
 * Both generated clients expose the same model API (the models come from one source,
 * and no provider-specific types are used), so the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface Store {
  db: Db;
  provider: Provider;
  url: string;
  close(): Promise<void>;
}

/** DB_TIMEOUT_MS default: below WeCom's 5 s callback deadline. */
export const DEFAULT_STORE_TIMEOUT_MS = 3_000;

/**
 * Opens the store named by DATABASE_URL (creating the SQLite folder). Does not migrate.
 * `timeoutMs` bounds every wait on the store: SQLite's busy timeout (a write lock held elsewhere),
 * PostgreSQL's statement_timeout and the wait for a pooled connection — so that a callback answers
 * 503 (WeCom retries) rather than miss WeCom's 5 s deadline.
 */
export async function openStore(url: string, opts: { timeoutMs?: number } = {}): Promise<Store> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const parsed = parseStoreUrl(url);
  if (parsed.provider === "postgresql") {
    const adapter = new PrismaPg({
      connectionString: parsed.target,
      max: 10,
      statement_timeout: timeoutMs,
      connectionTimeoutMillis: timeoutMs,
    });
    const db = new PgClient({ adapter }) as unknown as Db;
    await db.$connect();
    return { db, provider: "postgresql", url, close: () => db.$disconnect() };
  }
  mkdirSync(path.dirname(parsed.target), { recursive: true });
  const adapter = new PrismaBetterSQLite3({ url: `file:${parsed.target}`, timeout: timeoutMs });
  const db = new SqliteClient({ adapter });
  await db.$connect();
  // WAL lets the CLI read while the bot writes; foreign keys are off by default in SQLite.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  return { db, provider: "sqlite", url, close: () => db.$disconnect() };
}

export type {
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

/** True when the error is a unique-constraint violation (Prisma P2002), on either store. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}
