import type BetterSqlite3 from "better-sqlite3";
import type { Sql, SqlParam, SqlTx } from "./sql.js";
import type { WalSyncer } from "./wal-sync.js";

// ── SQLite ────────────────────────────────────────────────────────────────────────────────────────

/** The Prisma better-sqlite3 adapter's connection and the lock its transactions hold (sqlite-lock.ts). */
export interface SqliteAdapterHandle {
  client: BetterSqlite3.Database;
  /** Resolves once no transaction is open or waiting before us; the function releases it. */
  lock(): Promise<() => void>;
}

/**
 * Raw SQL on the Prisma adapter's own better-sqlite3 connection; raw and Prisma transactions take
 * turns by one connection lock (sqlite-lock.ts). A second connection would deadlock: better-sqlite3
 * waits for a lock synchronously, so a Prisma write waiting on our open transaction would block the
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
   * synchronous, under the connection lock when a transaction is open). Returns each statement's
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

  /** Callbacks of the open transaction (one at a time: transactions hold the connection lock). */
  let committed: (() => void)[] = [];
  /** Holds the connection's lock for `fn` (so no Prisma transaction is open on it meanwhile). */
  const locked = async <T>(fn: () => Promise<T>, begin: boolean): Promise<T> => {
    const release = await adapter.lock();
    try {
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
      release();
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
