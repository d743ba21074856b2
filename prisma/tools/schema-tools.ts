// Shared helpers of the schema drift tools (check-drift.ts, new-migration.ts) and their tests.
// The Prisma CLI runs with a driver-adapter config (prisma-cli.config.ts), so it works offline;
// on PostgreSQL even a pure `migrate diff` connects to the server named by DATABASE_URL.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expectedModels, PROVIDERS, providerModelsPath } from "./generate.js";

export type SchemaProvider = keyof typeof PROVIDERS;
export const SCHEMA_PROVIDERS = Object.keys(PROVIDERS) as SchemaProvider[];

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SNAPSHOT_FILE = "schema.snapshot.prisma";

export function schemaDir(provider: SchemaProvider): string {
  return path.join(ROOT, "prisma", provider, "schema");
}

export function migrationsPath(provider: SchemaProvider): string {
  return path.join(ROOT, "prisma", provider, "migrations");
}

/** The full schema (datasource + models) as of the newest committed migration of the provider. */
export function snapshotPath(provider: SchemaProvider): string {
  return path.join(migrationsPath(provider), SNAPSHOT_FILE);
}

/** Names of the committed migration folders, oldest first (same rule as src/db/migrate.ts). */
export function migrationNames(provider: SchemaProvider): string[] {
  return readdirSync(migrationsPath(provider), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** URL the Prisma CLI is given for a provider; KAIQU_TEST_PG_URL overrides the PostgreSQL one. */
export function prismaCliUrl(provider: SchemaProvider): string {
  if (provider === "postgresql") return process.env.KAIQU_TEST_PG_URL ?? PROVIDERS.postgresql;
  return PROVIDERS.sqlite;
}

/** Provider copies of prisma/models.prisma that differ from it (relative paths). */
export function modelCopyDrift(): string[] {
  const expected = expectedModels();
  return SCHEMA_PROVIDERS.map(providerModelsPath)
    .filter((file) => !existsSync(file) || readFileSync(file, "utf8") !== expected)
    .map((file) => path.relative(ROOT, file));
}

/**
 * The snapshot text for the provider's current schema: its datasource block plus the models,
 * without the generator (a snapshot is only ever diffed, never generated).
 */
export function snapshotOfCurrentSchema(provider: SchemaProvider, migrationName: string): string {
  const ds = readFileSync(path.join(schemaDir(provider), "datasource.prisma"), "utf8");
  const block = /^datasource\s+\w+\s*\{[^}]*\}/m.exec(ds);
  if (!block) throw new Error(`prisma/${provider}/schema/datasource.prisma has no datasource block`);
  const models = readFileSync(providerModelsPath(provider), "utf8");
  return (
    `// SNAPSHOT of the ${provider} schema as of migration ${migrationName}.\n` +
    "// Written by prisma/tools/new-migration.ts; do not edit. `npm run db:check` fails when the schema\n" +
    "// differs from it (a migration is missing) or the migrations do not produce it.\n\n" +
    `${block[0]}\n\n${models}`
  );
}

export interface PrismaRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `prisma migrate diff <args>` for the provider (DATABASE_URL set, cwd = repository root). */
export function prismaMigrateDiff(provider: SchemaProvider, args: string[]): PrismaRun {
  mkdirSync(path.join(ROOT, "data"), { recursive: true });
  const r = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "prisma"),
    ["migrate", "diff", "--config", path.join("prisma", "tools", "prisma-cli.config.ts"), ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: prismaCliUrl(provider), PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    },
  );
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Explains a failed Prisma CLI run, with the two causes seen on these machines. */
export function explainPrismaFailure(provider: SchemaProvider, run: PrismaRun): string {
  const text = `${run.stderr}\n${run.stdout}`.replace(/Loaded Prisma config from \S+\s*/g, "").trim();
  let hint = "";
  if (/binaries\.prisma\.sh|ENOTFOUND/.test(text))
    hint =
      "\n  提示: Prisma 无法解析 schema 或 prisma.config.ts 时会退回二进制引擎并报 ENOTFOUND — 请检查 schema 语法与 DATABASE_URL。";
  else if (provider === "postgresql" && /reach database server|ECONNREFUSED/i.test(text))
    hint = `\n  提示: PostgreSQL 上的 prisma migrate diff 需要连接服务器 (${prismaCliUrl(provider)}); 请启动 PostgreSQL 或设置 KAIQU_TEST_PG_URL。`;
  return `${text}${hint}`;
}

/** SQL that creates the schema of a .prisma file (or folder) from nothing. */
export function createScript(provider: SchemaProvider, schema: string): string {
  const run = prismaMigrateDiff(provider, ["--from-empty", "--to-schema-datamodel", schema, "--script"]);
  if (run.code !== 0)
    throw new Error(`prisma migrate diff (${provider}) failed:\n${explainPrismaFailure(provider, run)}`);
  return run.stdout;
}
