import type { Sql } from "../db/sql.js";

/**
 * In-memory copies of the programme and roster (what every inbound message reads: its sender, the
 * open year's zones, indicators and targets), per store handle. Database triggers bump the "roster"
 * row of CacheVersion on every change to those tables (roster import, seed, settings, a WeChat
 * binding, a hand edit — whoever writes, on whichever instance; see the cache_version migration), and
 * each read here first compares that counter with the one the copy was loaded at: one primary-key
 * read instead of the seven queries a programme takes. The version is read before loading, so a
 * change racing a load leaves the copy marked older and it is reloaded by the next read.
 * Copies are frozen: a caller changing one would change it for every later message.
 */
export interface RosterCache {
  /**
   * The cached value for `key`, loading it (and caching it at the current version) when missing or stale.
   * `seen`: a counter value the caller read itself in a statement it ran anyway (an inbound message
   * reads it with its own INSERT); when the copy is at exactly that version the counter is not read
   * again — the caller then sees every change committed before its statement, as with a read here.
   */
  get<T>(key: string, load: () => Promise<T>, seen?: number): Promise<T>;
}

const VERSION_SQL = `SELECT "version" FROM "CacheVersion" WHERE "name" = 'roster'`;

/** The counter as a scalar subquery, for a statement that reads it along with its own work. */
export const ROSTER_VERSION_SUBQUERY = `(${VERSION_SQL})`;

export function createRosterCache(sql: Sql): RosterCache {
  let version: number | undefined;
  const entries = new Map<string, unknown>();
  return {
    async get<T>(key: string, load: () => Promise<T>, seen?: number): Promise<T> {
      if (seen !== undefined && seen === version && entries.has(key)) return entries.get(key) as T;
      const row = await sql.get<{ version: number }>(VERSION_SQL);
      if (!row) return load(); // a store without the counter row: no caching
      const v = Number(row.version);
      if (v !== version) {
        entries.clear();
        version = v;
      }
      if (entries.has(key)) return entries.get(key) as T;
      const value = deepFreeze(await load());
      if (version === v) entries.set(key, value);
      return value;
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
