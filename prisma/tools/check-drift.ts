// `npm run db:check`: fails (exit 1) when the schema and the committed migrations have drifted.
//  (a) a provider's schema/models.prisma differs from prisma/models.prisma;
//  (b) a provider's schema differs from its migrations' snapshot (schema.snapshot.prisma) — a
//      model change without a migration (`npm run db:new-migration -- <name>` fixes it);
//  (c) SQLite: the committed migrations, applied from empty, do not build the snapshot's schema
//      (a hand-written or edited migration). Both stores are also checked by test/schema-drift.test.ts.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "../../src/db/migrate.js";
import { compareShapes, describeStore, execScript } from "./introspect.js";
import {
  createScript,
  explainPrismaFailure,
  modelCopyDrift,
  prismaMigrateDiff,
  ROOT,
  SCHEMA_PROVIDERS,
  type SchemaProvider,
  schemaDir,
  snapshotPath,
} from "./schema-tools.js";

const rel = (p: string) => path.relative(ROOT, p);

/** (b) for one provider: problems, or [] when the snapshot equals the current schema. */
export function snapshotDrift(provider: SchemaProvider): string[] {
  const snapshot = snapshotPath(provider);
  if (!existsSync(snapshot))
    return [`${rel(snapshot)} 不存在 / missing — 运行 npm run db:new-migration -- <name> 生成`];
  const run = prismaMigrateDiff(provider, [
    "--from-schema-datamodel",
    snapshot,
    "--to-schema-datamodel",
    schemaDir(provider),
    "--exit-code",
  ]);
  if (run.code === 0) return [];
  if (run.code === 2)
    return [
      `prisma/${provider}/schema 与最新迁移不一致 / the schema has changes no migration covers:\n${run.stdout.trim()}\n` +
        "  → 运行 npm run db:new-migration -- <name> 生成迁移 / create the migration",
    ];
  return [`prisma migrate diff (${provider}) 执行失败 / failed:\n${explainPrismaFailure(provider, run)}`];
}

/** (c) on SQLite: problems, or [] when the migrations build exactly the snapshot's schema. */
export async function sqliteMigrationsMatchSnapshot(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-drift-"));
  try {
    const migrated = `file:${path.join(dir, "migrated.db")}`;
    const fromSnapshot = `file:${path.join(dir, "snapshot.db")}`;
    await applyMigrations(migrated);
    await execScript(fromSnapshot, createScript("sqlite", snapshotPath("sqlite")));
    const diffs = compareShapes(
      await describeStore(fromSnapshot),
      await describeStore(migrated),
      "snapshot",
      "migrations",
    );
    return diffs.length
      ? [
          "prisma/sqlite/migrations 应用后的结构与 schema.snapshot.prisma 不一致 / the migrations do not build the snapshot:\n" +
            diffs.map((d) => `  - ${d}`).join("\n"),
        ]
      : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const problems: string[] = modelCopyDrift().map(
    (f) => `${f} 与 prisma/models.prisma 不一致 / differs — 运行 npm run db:generate`,
  );
  for (const provider of SCHEMA_PROVIDERS) problems.push(...snapshotDrift(provider));
  if (existsSync(snapshotPath("sqlite"))) problems.push(...(await sqliteMigrationsMatchSnapshot()));
  if (problems.length > 0) {
    console.error(`数据模型漂移 / schema drift:\n${problems.map((p) => `✗ ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log("schema ok: provider copies, migrations and snapshots agree (sqlite, postgresql)");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
