import type pg from "pg";
import type { Sql, SqlParam, SqlTx } from "./sql.js";

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
