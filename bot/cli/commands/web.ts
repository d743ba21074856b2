import type { Command } from "commander";
import { findContactByRef } from "../../../src/programme/programme-repository.js";
import { formatLocal } from "../../../src/time/clock.js";
import { recordAudit } from "../../web/web-audit.js";
import { createLoginLink, MAX_LINK_TTL_MS } from "../../web/web-auth-store.js";
import { webBaseUrl } from "../../web/web-console.js";
import { type CliContext, CliError } from "../cli-context.js";

/** "10m", "2h", "90s", "1d" → milliseconds (at most 24 h). */
export function parseTtl(text: string): number {
  const m = /^(\d{1,5})\s*(s|m|h|d)?$/i.exec(text.trim());
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m?.[2] ?? "m").toLowerCase() as "s"];
  const ms = m ? Number(m[1]) * unit : Number.NaN;
  if (!(ms >= 1_000 && ms <= MAX_LINK_TTL_MS))
    throw new CliError(`--ttl 无效（读到 "${text}"），应为 1 秒到 24 小时，例如 10m、2h、90s`, 2);
  return ms;
}

export function register(program: Command, ctx: CliContext): void {
  const web = program.command("web").description("网页控制台 / the web console");
  web
    .command("login")
    .description("生成一次性登录链接（只能使用一次，到期失效）/ print a single-use, short-lived log-in link")
    .requiredOption("--as <contact>", "登录的联系人（联系人编号、企业微信账号或微信号）")
    .option("--ttl <duration>", "有效期，如 10m、2h（最长 24h）", "10m")
    .option("--json", 'JSON output: {"url": …, "expiresAt": …}')
    .action(async (opts: { as: string; ttl: string; json?: boolean }) => {
      const ttlMs = parseTtl(opts.ttl);
      const app = await ctx.app();
      const contact = await findContactByRef(app.store.db, opts.as);
      if (!contact?.active)
        throw new CliError(
          `找不到在册的联系人「${opts.as}」：请使用联系人编号或企业微信账号，例如 --as TF-01`,
        );
      const now = app.clock.now();
      const { token, expiresAt } = await createLoginLink(app.store.db, {
        contactId: contact.id,
        ttlMs,
        createdBy: "cli",
        now,
      });
      await recordAudit(app.store.db, {
        at: now,
        contactId: contact.id,
        action: "login_link_created",
        detail: { by: "cli", expiresAt: expiresAt.toISOString() },
      });
      const url = `${webBaseUrl(app)}/web/login?token=${token}`;
      if (opts.json) return ctx.json({ url, contactId: contact.id, expiresAt: expiresAt.toISOString() });
      ctx.out(url);
      ctx.out(
        `${contact.name}（${contact.role === "task_force" ? "省专班" : "只读：本市州"}）的登录链接，只能使用一次，${formatLocal(expiresAt)} 前有效。`,
      );
    });
}
