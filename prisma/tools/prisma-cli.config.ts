// Prisma CLI config for the drift tools: as prisma.config.ts, but the PostgreSQL pool lets the
// process exit as soon as it is idle (with the default pool, `prisma migrate diff` lingers ~10 s
// after printing its result, until pg's idleTimeoutMillis passes).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const url = process.env.DATABASE_URL ?? "file:./data/kaiqu.db";
process.env.DATABASE_URL = url;
const provider = /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma", provider, "schema"),
  migrations: { path: path.join(root, "prisma", provider, "migrations") },
  async adapter() {
    if (provider === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url, allowExitOnIdle: true });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url });
  },
});
