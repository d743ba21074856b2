import type { Command } from "commander";
import { applyMigrations, migrationStatus } from "../../../src/db/migrate.js";
import { redactUrl } from "../../../src/db/store-url.js";
import type { CliContext } from "../cli-context.js";

export function register(program: Command, ctx: CliContext): void {
  const db = program.command("db").description("数据库迁移 / store migrations");
  db.command("migrate")
    .description("应用未执行的迁移 / apply pending migrations to DATABASE_URL")
    .option("--json", "JSON output")
    .action(async (opts: { json?: boolean }) => {
      const r = await applyMigrations(ctx.config.DATABASE_URL);
      if (opts.json) return ctx.json(r);
      ctx.out(`${r.provider} ${redactUrl(ctx.config.DATABASE_URL)}`);
      ctx.out(
        r.appliedNow.length
          ? `已应用 applied: ${r.appliedNow.join(", ")}`
          : "无待应用迁移 / nothing to apply",
      );
    });
  db.command("status")
    .description("迁移状态 / migration status")
    .option("--json", "JSON output")
    .action(async (opts: { json?: boolean }) => {
      const s = await migrationStatus(ctx.config.DATABASE_URL);
      if (opts.json) return ctx.json(s);
      ctx.out(
        `${s.provider}: ${s.applied.length} applied, ${s.pending.length} pending${s.modified.length ? `, MODIFIED: ${s.modified.join(", ")}` : ""}`,
      );
      for (const p of s.pending) ctx.out(`  pending  ${p}`);
    });
}
