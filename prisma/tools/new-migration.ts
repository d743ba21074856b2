// `npm run db:new-migration -- <name>`: after editing prisma/models.prisma and running
// `npm run db:generate`, writes the migration for both providers. For each provider it diffs the
// migrations' snapshot (schema.snapshot.prisma) against the current schema; a non-empty diff
// becomes `<migrations>/<UTC yyyymmddHHMMss>_<name>/migration.sql` and the snapshot is updated.
// Works offline (prisma migrate diff with the driver-adapter config); PostgreSQL must be reachable.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  explainPrismaFailure,
  migrationNames,
  migrationsPath,
  modelCopyDrift,
  prismaMigrateDiff,
  ROOT,
  SCHEMA_PROVIDERS,
  schemaDir,
  snapshotOfCurrentSchema,
  snapshotPath,
} from "./schema-tools.js";

const NAME = /^[a-z][a-z0-9_]{0,60}$/;

/** UTC "yyyymmddHHMMss", moved past the newest existing migration so the order stays right. */
export function migrationTimestamp(now: Date, existing: string[]): string {
  const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  let t = now;
  const newest = existing
    .map((n) => n.slice(0, 14))
    .filter((s) => /^\d{14}$/.test(s))
    .sort()
    .at(-1);
  if (newest && stamp(t) <= newest) {
    const n = newest;
    const parsed = new Date(
      Date.UTC(
        +n.slice(0, 4),
        +n.slice(4, 6) - 1,
        +n.slice(6, 8),
        +n.slice(8, 10),
        +n.slice(10, 12),
        +n.slice(12, 14),
      ),
    );
    t = new Date(parsed.getTime() + 1000);
  }
  return stamp(t);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function main(): void {
  const name = process.argv[2];
  if (!name || !NAME.test(name))
    fail(
      `用法 / usage: npm run db:new-migration -- <name>\n` +
        `  name: 小写字母开头, 只含 a-z 0-9 _ (读到 "${name ?? ""}"), 例如 add_zone_remark`,
    );
  const stale = modelCopyDrift();
  if (stale.length) fail(`${stale.join(", ")} 与 prisma/models.prisma 不一致 — 先运行 npm run db:generate`);

  const changes = SCHEMA_PROVIDERS.map((provider) => {
    const run = prismaMigrateDiff(provider, [
      "--from-schema-datamodel",
      snapshotPath(provider),
      "--to-schema-datamodel",
      schemaDir(provider),
      "--script",
      "--exit-code",
    ]);
    if (run.code !== 0 && run.code !== 2)
      fail(`prisma migrate diff (${provider}) 失败 / failed:\n${explainPrismaFailure(provider, run)}`);
    return { provider, sql: run.code === 2 ? run.stdout : "" };
  });
  if (changes.every((c) => c.sql === "")) {
    console.log("无模型变化, 未写入迁移 / no schema change, nothing written");
    return;
  }
  const stamp = migrationTimestamp(
    new Date(),
    SCHEMA_PROVIDERS.flatMap((p) => migrationNames(p)),
  );
  const folder = `${stamp}_${name}`;
  for (const { provider, sql } of changes) {
    if (sql === "") {
      console.log(`${provider}: 无变化 / no change`);
      continue;
    }
    const dir = path.join(migrationsPath(provider), folder);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "migration.sql"), sql);
    writeFileSync(snapshotPath(provider), snapshotOfCurrentSchema(provider, folder));
    console.log(`${provider}: 已写入 / wrote ${path.relative(ROOT, path.join(dir, "migration.sql"))}`);
  }
  console.log("下一步 / next: npm run db:check, then npm run db:migrate");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
