import type { Provider } from "./store-url.js";

/**
 * Raw SQL for the measured hot paths (one inbound message: store, claim, draft, revisions, outbox
 * row, finish), where Prisma's per-query compile and runtime cost (≈ 0.5 ms per statement, most of the
 * CPU of a message) dominates. Repositories use it; services never do. Everything else stays on the
 * ORM. One dialect for both stores: `$1`… placeholders, double-quoted identifiers,
 * `INSERT … ON CONFLICT … RETURNING` (SQLite ≥ 3.35).
 *
 * Values: a Date parameter is written the way Prisma writes it (SQLite: ISO text with `+00:00`;
 * PostgreSQL: `timestamp(3)` holding UTC), booleans as the store's own. Results come back as the
 * driver gives them: read date columns with `sqlDate`, booleans with `sqlBool`, integers are numbers
 * (cast `count(*)::int` on PostgreSQL).
 */
export type SqlParam = string | number | boolean | Date | null;

export interface Sql {
  readonly provider: Provider;
  all<T>(text: string, params?: SqlParam[]): Promise<T[]>;
  get<T>(text: string, params?: SqlParam[]): Promise<T | undefined>;
  /**
   * `get` for a single statement whose commit must survive a power loss or OS crash, not only a crash
   * of the process (SQLite commits with synchronous=NORMAL otherwise, see openStore; on PostgreSQL the
   * raw transactions commit asynchronously and every single statement is synced, so `get` is durable). For a write acknowledged to someone who will not send it again (an inbound
   * message). On SQLite the durable statements of one event-loop turn share one synced commit
   * (group commit); the promise settles after it. Optional so that wrapping handles in tests need
   * not forward it (`get` then stands in).
   */
  getDurable?<T>(text: string, params?: SqlParam[]): Promise<T | undefined>;
  /**
   * `getDurable` that settles at the commit, while the disk still syncs: the caller may go on with
   * work that nobody outside sees (parsing, reads). The sync is a write barrier: every later raw write
   * of this Sql (transactions, writing statements — and so every outbox row and every outbox claim,
   * the only ways a reply leaves) waits until it is done, and `synced()` settles with it. On
   * PostgreSQL the same as `getDurable`.
   */
  getSyncing?<T>(text: string, params?: SqlParam[]): Promise<T | undefined>;
  /** Settles when every sync asked for so far is done (at once when none is outstanding); rejects when one failed. */
  synced?(): Promise<void>;
  /** Runs a statement; returns the number of rows it changed. */
  run(text: string, params?: SqlParam[]): Promise<number>;
  /** Runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE); commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}

/** A Sql bound to one open transaction (nested transaction() calls run inside it). */
export interface SqlTx extends Sql {
  readonly inTransaction: true;
  /**
   * Runs `fn` once the outermost transaction has committed (never when it rolls back), so that a
   * caller can record what it wrote only when it is stored (e.g. "the message is already marked
   * processed", "n replies were queued").
   */
  afterCommit(fn: () => void): void;
}

export function isSqlTx(x: unknown): x is SqlTx {
  return typeof x === "object" && x !== null && (x as { inTransaction?: unknown }).inTransaction === true;
}

/** A date column as returned by either driver (ISO text on SQLite, Date on PostgreSQL). */
export function sqlDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === "string") return new Date(v);
  if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v));
  throw new Error(`not a date column value: ${String(v)}`);
}

export function sqlDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : sqlDate(v);
}

export function sqlBool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === "1";
}

/** A unique-constraint violation raised by a raw statement, on either store. */
export function isSqlUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
