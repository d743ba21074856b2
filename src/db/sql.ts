import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Provider } from "./store-url.js";
import type { WalSyncer } from "./wal-sync.js";

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

// ── SQLite ────────────────────────────────────────────────────────────────────────────────────────

/** What the Prisma better-sqlite3 adapter offers: its connection and its transaction lock. */
export interface SqliteAdapterHandle {
  client: BetterSqlite3.Database;
  /** Takes the adapter's transaction mutex and runs BEGIN; `commit()` only releases the mutex. */
  startTransaction(): Promise<{ commit(): Promise<void> }>;
}

/**
 * Raw SQL on the Prisma adapter's own better-sqlite3 connection, serialised with Prisma's
 * transactions by the adapter's mutex. A second connection would deadlock: better-sqlite3 waits
 * for a lock synchronously, so a Prisma write waiting on our open transaction would block the
 * event loop that has to finish it. Statements are prepared once and cached.
 */
export function sqliteSql(adapter: SqliteAdapterHandle, syncer?: WalSyncer): Sql {
  // `$n` becomes `?`, with the parameters re-ordered (and repeated) as they occur in the text
  const cache = new Map<string, { stmt: BetterSqlite3.Statement; order: number[] }>();
  const prepare = (text: string) => {
    let s = cache.get(text);
    if (!s) {
      const order: number[] = [];
      const stmt = adapter.client.prepare(
        text.replace(/\$(\d+)/g, (_m, n: string) => {
          order.push(Number(n) - 1);
          return "?";
        }),
      );
      if (stmt.reader) stmt.safeIntegers(false);
      s = { stmt, order };
      cache.set(text, s);
    }
    return s;
  };
  const value = (p: SqlParam | undefined) =>
    p instanceof Date ? p.toISOString().replace("Z", "+00:00") : typeof p === "boolean" ? (p ? 1 : 0) : p;
  const bound = (text: string, params: SqlParam[]) => {
    const { stmt, order } = prepare(text);
    return { stmt, args: order.map((i) => value(params[i])) };
  };
  const direct = {
    all: <T>(text: string, params: SqlParam[] = []) => {
      const { stmt, args } = bound(text, params);
      return stmt.all(...args) as T[];
    },
    get: <T>(text: string, params: SqlParam[] = []) => {
      const { stmt, args } = bound(text, params);
      return stmt.get(...args) as T | undefined;
    },
    run: (text: string, params: SqlParam[] = []) => {
      const { stmt, args } = bound(text, params);
      return stmt.run(...args).changes;
    },
  };
  // transaction control statements prepared once (exec would parse them on every call)
  type Control = "begin" | "commit" | "rollback";
  let control: Record<Control, BetterSqlite3.Statement> | undefined;
  const ctl = (k: Control) => {
    control ??= {
      begin: adapter.client.prepare("BEGIN IMMEDIATE"),
      commit: adapter.client.prepare("COMMIT"),
      rollback: adapter.client.prepare("ROLLBACK"),
    };
    control[k].run();
  };
  // prepared on first use, outside any transaction (SQLite refuses even to prepare them inside one)
  let sync:
    | Record<"full" | "normal" | "savepoint" | "release" | "rollbackTo", BetterSqlite3.Statement>
    | undefined;
  type Durable = {
    text: string;
    params: SqlParam[];
    /** getSyncing: settled at the commit, not after the flush. */
    atCommit: boolean;
    resolve(row: unknown): void;
    reject(e: unknown): void;
  };
  /** Durable statements waiting for the next group commit. */
  let group: Durable[] = [];
  /**
   * Group commit: the durable statements asked for within one turn of the event loop (e.g. the
   * callbacks of every connection that was readable) run in one transaction — one flush for all of
   * them instead of one each. With a WAL syncer the transaction commits with synchronous=NORMAL and
   * the WAL is flushed off the event loop (wal-sync.ts); without one (a store that is no WAL file)
   * it commits with synchronous=FULL. Each statement runs under a savepoint of its own: one that
   * fails is undone and rejected alone. Nothing else runs on the connection meanwhile (all
   * synchronous, under the adapter's lock when a transaction is open). Returns each statement's
   * result; the caller settles its promise (after the flush, or at once for getSyncing).
   */
  const commitGroup = (batch: Durable[]): ({ ok: true; row: unknown } | { ok: false; error: unknown })[] => {
    const results: ({ ok: true; row: unknown } | { ok: false; error: unknown })[] = [];
    sync ??= {
      full: adapter.client.prepare("PRAGMA synchronous = FULL"),
      normal: adapter.client.prepare("PRAGMA synchronous = NORMAL"),
      savepoint: adapter.client.prepare("SAVEPOINT durable_one"),
      release: adapter.client.prepare("RELEASE durable_one"),
      rollbackTo: adapter.client.prepare("ROLLBACK TO durable_one"),
    };
    const st = sync;
    if (!syncer) st.full.run();
    try {
      if (batch.length === 1) {
        // one statement alone commits by itself (autocommit), without BEGIN and COMMIT
        const d = batch[0]!;
        results.push({ ok: true, row: direct.get(d.text, d.params) });
      } else {
        ctl("begin");
        try {
          for (const d of batch) {
            st.savepoint.run();
            try {
              results.push({ ok: true, row: direct.get(d.text, d.params) });
              st.release.run();
            } catch (error) {
              st.rollbackTo.run();
              st.release.run();
              results.push({ ok: false, error });
            }
          }
          ctl("commit");
        } catch (e) {
          if (adapter.client.inTransaction) ctl("rollback");
          throw e;
        }
      }
    } finally {
      if (!syncer) st.normal.run();
    }
    return results;
  };
  /** Runs the waiting group, then settles each statement — after the WAL flush unless `atCommit`. */
  const runGroup = () => {
    const batch = group;
    group = [];
    let results: ReturnType<typeof commitGroup>;
    try {
      results = commitGroup(batch);
    } catch (e) {
      for (const d of batch) d.reject(e);
      return;
    }
    const flushed = syncer && results.some((r) => r.ok) ? syncer.sync() : undefined;
    batch.forEach((d, i) => {
      const r = results[i]!;
      if (!r.ok) d.reject(r.error);
      else if (!flushed || d.atCommit) d.resolve(r.row);
      else flushed.then(() => d.resolve(r.row), d.reject);
    });
    // a getSyncing caller does not wait for the flush: its failure shows at the barrier instead
    flushed?.catch(() => {});
  };
  const durableGet =
    (atCommit: boolean) =>
    <T>(text: string, params: SqlParam[] = []): Promise<T | undefined> =>
      new Promise<unknown>((resolve, reject) => {
        group.push({ text, params, atCommit, resolve, reject });
        if (group.length > 1) return;
        setImmediate(() => {
          if (!adapter.client.inTransaction) runGroup();
          else
            locked(async () => runGroup(), false).catch((e: unknown) => {
              for (const x of group.splice(0)) x.reject(e);
            });
        });
      }) as Promise<T | undefined>;
  /** The write barrier: a raw write waits for the WAL flushes asked for before it (see getSyncing). */
  const barrier = (): Promise<void> | undefined => syncer?.pending();

  /** Callbacks of the open transaction (one at a time: transactions hold the adapter's lock). */
  let committed: (() => void)[] = [];
  /** Holds the adapter's lock for `fn` (so no Prisma transaction is open on the connection meanwhile). */
  const locked = async <T>(fn: () => Promise<T>, begin: boolean): Promise<T> => {
    const lock = await adapter.startTransaction();
    try {
      // the adapter opened a deferred transaction: replace it with ours
      ctl("commit");
      if (!begin) return await fn();
      ctl("begin");
      committed = [];
      let r: T;
      try {
        r = await fn();
        ctl("commit");
      } catch (e) {
        committed = [];
        if (adapter.client.inTransaction) ctl("rollback");
        throw e;
      }
      const callbacks = committed;
      committed = [];
      for (const cb of callbacks) cb();
      return r;
    } finally {
      await lock.commit();
    }
  };
  const tx: SqlTx = {
    provider: "sqlite",
    inTransaction: true,
    all: async (t, p) => direct.all(t, p),
    get: async (t, p) => direct.get(t, p),
    run: async (t, p) => direct.run(t, p),
    transaction: (fn) => fn(tx),
    afterCommit: (fn) => {
      committed.push(fn);
    },
  };
  /**
   * A single statement runs at once unless a transaction (Prisma's or ours) is open on the
   * connection — checked and run synchronously, so none can start in between; otherwise it waits
   * for the lock, so that it does not become part of someone else's transaction.
   */
  const single = <R>(f: (t: string, p?: SqlParam[]) => R) => {
    const now = (t: string, p?: SqlParam[]): Promise<R> =>
      adapter.client.inTransaction
        ? locked(async () => f(t, p), false)
        : Promise.resolve().then(() => f(t, p));
    return (t: string, p?: SqlParam[]): Promise<R> => {
      const wait = barrier();
      // a writing statement waits for the flushes asked for before it; a read does not
      return wait && !prepare(t).stmt.readonly ? wait.then(() => now(t, p)) : now(t, p);
    };
  };
  return {
    provider: "sqlite",
    all: single(direct.all) as Sql["all"],
    get: single(direct.get) as Sql["get"],
    getDurable: durableGet(false),
    getSyncing: durableGet(true),
    synced: async () => {
      await barrier();
    },
    run: single(direct.run),
    transaction: (fn) => {
      const wait = barrier();
      return wait ? wait.then(() => locked(() => fn(tx), true)) : locked(() => fn(tx), true);
    },
  };
}

// ── PostgreSQL ────────────────────────────────────────────────────────────────────────────────────

/**
 * Raw SQL on a pg pool of its own (timestamps without time zone read as UTC, as Prisma stores them).
 * Statements are named, so each pooled connection parses and plans a statement once and afterwards
 * only binds and executes it (up to MAX_NAMED distinct texts; any further ones run unnamed).
 */
export function postgresSql(pool: pg.Pool): Sql {
  const bind = (params: SqlParam[]) => params.map((p) => (p instanceof Date ? p.toISOString() : p));
  const names = new Map<string, string>();
  const config = (text: string, params: SqlParam[]) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED) {
      name = `kaiqu_${names.size + 1}`;
      names.set(text, name);
    }
    return { text, values: bind(params), types: PG_TYPES, ...(name ? { name } : {}) };
  };
  const over = (q: Pick<pg.PoolClient, "query">, committed?: (() => void)[]): Sql => ({
    provider: "postgresql",
    all: async <T>(text: string, params: SqlParam[] = []) =>
      (await q.query(config(text, params))).rows as T[],
    get: async <T>(text: string, params: SqlParam[] = []) =>
      (await q.query(config(text, params))).rows[0] as T | undefined,
    run: async (text, params = []) => (await q.query(config(text, params))).rowCount ?? 0,
    transaction: async (fn) => {
      if (committed) return fn(self(q, committed));
      const client = await pool.connect();
      try {
        const callbacks: (() => void)[] = [];
        // committed without waiting for the WAL flush, as SQLite's synchronous=NORMAL (see openStore):
        // what must survive a power loss is a single synced statement (the inbound row), and its
        // flush carries every commit before it
        await client.query("BEGIN; SET LOCAL synchronous_commit = off");
        const r = await fn(self(client, callbacks));
        await client.query("COMMIT");
        for (const cb of callbacks) cb();
        return r;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  });
  const self = (q: Pick<pg.PoolClient, "query">, committed: (() => void)[]): SqlTx => ({
    ...over(q, committed),
    inTransaction: true,
    afterCommit: (fn) => {
      committed.push(fn);
    },
  });
  return over(pool);
}

/** Distinct statement texts prepared by name (texts built per call, e.g. IN lists, could grow without end). */
const MAX_NAMED = 500;
const TIMESTAMP_OID = 1114;
const PG_TYPES = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === TIMESTAMP_OID) return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
    return pgTypes.getTypeParser(oid, format as "text");
  },
};
let pgTypes: typeof pg.types;
/** Set by database.ts when it loads pg (kept out of this module's imports so SQLite never loads pg). */
export function setPgTypes(types: typeof pg.types): void {
  pgTypes = types;
}
