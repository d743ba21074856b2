// Reads the structure of a live store (tables, columns, indexes, foreign keys) in a form that
// can be compared across two databases of the same provider. Used by check-drift.ts and tests.
import Database from "better-sqlite3";
import pg from "pg";
import { parseStoreUrl } from "../../src/db/store-url.js";

export interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** Position in the primary key (1-based), 0 when not part of it. */
  pk: number;
}

export interface TableShape {
  columns: ColumnShape[];
  /** Normalised index and constraint definitions, sorted. */
  indexes: string[];
  foreignKeys: string[];
}

/** Table name → shape, without bookkeeping tables (_prisma_migrations, sqlite_*). */
export type StoreShape = Record<string, TableShape>;

const BOOKKEEPING = new Set(["_prisma_migrations"]);

export async function describeStore(url: string): Promise<StoreShape> {
  const parsed = parseStoreUrl(url);
  if (parsed.provider === "sqlite") {
    const db = new Database(parsed.target, { readonly: true, fileMustExist: true });
    try {
      return describeSqlite(db);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: parsed.target });
  await client.connect();
  try {
    return await describePostgres(client);
  } finally {
    await client.end();
  }
}

function describeSqlite(db: Database.Database): StoreShape {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[];
  const shape: StoreShape = {};
  for (const { name } of tables) {
    if (BOOKKEEPING.has(name)) continue;
    const q = (pragma: string) => db.prepare(`PRAGMA ${pragma}("${name.replace(/"/g, '""')}")`).all();
    const columns = (
      q("table_info") as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }[]
    ).map((c) => ({
      name: c.name,
      type: c.type.toUpperCase(),
      notNull: c.notnull === 1,
      default: c.dflt_value,
      pk: c.pk,
    }));
    const indexes = (q("index_list") as { name: string; unique: number; origin: string; partial: number }[])
      .map((i) => {
        const cols = (
          db.prepare(`PRAGMA index_info("${i.name.replace(/"/g, '""')}")`).all() as { name: string }[]
        )
          .map((c) => c.name)
          .join(",");
        // Automatic indexes (primary key / UNIQUE in CREATE TABLE) have generated names; compare by content.
        const label = i.origin === "c" ? i.name : `(${i.origin})`;
        return `${label} ${i.unique ? "UNIQUE " : ""}(${cols})${i.partial ? " PARTIAL" : ""}`;
      })
      .sort();
    const foreignKeys = (
      q("foreign_key_list") as {
        table: string;
        from: string;
        to: string;
        on_update: string;
        on_delete: string;
      }[]
    )
      .map((f) => `${f.from} -> ${f.table}.${f.to} ON DELETE ${f.on_delete} ON UPDATE ${f.on_update}`)
      .sort();
    shape[name] = { columns, indexes, foreignKeys };
  }
  return shape;
}

async function describePostgres(client: pg.Client): Promise<StoreShape> {
  const cols = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
  }>(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = current_schema()
       ORDER BY table_name, ordinal_position`);
  const pks = await client.query<{ table_name: string; column_name: string; position: number }>(
    `SELECT tc.table_name, k.column_name, k.ordinal_position AS position
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
      WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'`,
  );
  const idx = await client.query<{ tablename: string; indexdef: string }>(
    `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()`,
  );
  const fks = await client.query<{ table_name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname || ' ' || pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = current_schema() AND c.contype = 'f'`,
  );
  const shape: StoreShape = {};
  const table = (t: string): TableShape => {
    const name = t.replace(/^"|"$/g, "");
    shape[name] ??= { columns: [], indexes: [], foreignKeys: [] };
    return shape[name];
  };
  const pkPos = new Map(pks.rows.map((r) => [`${r.table_name}.${r.column_name}`, Number(r.position)]));
  for (const c of cols.rows) {
    if (BOOKKEEPING.has(c.table_name)) continue;
    table(c.table_name).columns.push({
      name: c.column_name,
      type: c.data_type === "USER-DEFINED" || c.data_type === "ARRAY" ? c.udt_name : c.data_type,
      notNull: c.is_nullable === "NO",
      default: c.column_default,
      pk: pkPos.get(`${c.table_name}.${c.column_name}`) ?? 0,
    });
  }
  for (const i of idx.rows) if (!BOOKKEEPING.has(i.tablename)) table(i.tablename).indexes.push(i.indexdef);
  for (const f of fks.rows)
    if (!BOOKKEEPING.has(f.table_name.replace(/"/g, ""))) table(f.table_name).foreignKeys.push(f.def);
  for (const t of Object.values(shape)) {
    t.indexes.sort();
    t.foreignKeys.sort();
  }
  return shape;
}

/** Human-readable differences between two shapes ("expected" = a, "actual" = b); [] when equal. */
export function compareShapes(a: StoreShape, b: StoreShape, aName = "expected", bName = "actual"): string[] {
  const out: string[] = [];
  for (const t of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[t];
    const y = b[t];
    if (!x || !y) {
      out.push(`table "${t}" only in ${x ? aName : bName}`);
      continue;
    }
    const xc = new Map(x.columns.map((c) => [c.name, c]));
    const yc = new Map(y.columns.map((c) => [c.name, c]));
    for (const n of [...new Set([...xc.keys(), ...yc.keys()])]) {
      const cx = xc.get(n);
      const cy = yc.get(n);
      if (!cx || !cy) out.push(`column "${t}"."${n}" only in ${cx ? aName : bName}`);
      else if (JSON.stringify(cx) !== JSON.stringify(cy))
        out.push(
          `column "${t}"."${n}" differs: ${aName} ${JSON.stringify(cx)} vs ${bName} ${JSON.stringify(cy)}`,
        );
    }
    for (const [kind, xs, ys] of [
      ["index", x.indexes, y.indexes],
      ["foreign key", x.foreignKeys, y.foreignKeys],
    ] as const) {
      for (const d of xs) if (!ys.includes(d)) out.push(`${kind} of "${t}" only in ${aName}: ${d}`);
      for (const d of ys) if (!xs.includes(d)) out.push(`${kind} of "${t}" only in ${bName}: ${d}`);
    }
  }
  return out;
}

/** Runs a multi-statement SQL script on the store (used to build a database from a snapshot). */
export async function execScript(url: string, sql: string): Promise<void> {
  const parsed = parseStoreUrl(url);
  if (parsed.provider === "sqlite") {
    const db = new Database(parsed.target);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: parsed.target });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
