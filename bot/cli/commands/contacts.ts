import type { Command } from "commander";
import { routeOf } from "../../../src/delivery/delivery-routes.js";
import { ROLE_LABELS, type Role } from "../../../src/domain/codes.js";
import { readChatGroups, readContacts, readPrefectures } from "../../../src/programme/read-programme-data.js";
import { prefectureIndex } from "../../../src/roster/roster-resolvers.js";
import { identityColumns } from "../../../src/roster/roster-sheets.js";
import {
  AUDIENCE_WORDS,
  CHANNEL_WORDS,
  choices,
  parseRole,
  ROLE_WORDS,
  wordOf,
} from "../../../src/roster/roster-values.js";
import { deliveryRoutes } from "../../transports/transports.js";
import { ROBOT_KEY_ENV } from "../../transports/wecom-app/channel.js";
import { type CliContext, CliError } from "../cli-context.js";

export function register(program: Command, ctx: CliContext): void {
  const contacts = program.command("contacts").description("联系人与群聊 / contacts and chat groups");

  async function prefectureFilter(text: string | undefined): Promise<string | undefined> {
    if (text === undefined) return undefined;
    const r = prefectureIndex(await readPrefectures((await ctx.store()).db)).find(text);
    if (!r.item) throw new CliError(`未知的市州 "${text}"，请用简称、全称或代码，例如 --prefecture 黔南`, 2);
    return r.item.code;
  }

  contacts
    .command("list")
    .description("列出联系人及其渠道账号 (不含任何密钥) / list contacts with their channel ids")
    .option("--prefecture <name>", "只看一个市州")
    .option("--role <role>", `只看一个角色 (${choices(ROLE_WORDS)})`)
    .option("--all", "包括已停用的联系人")
    .option("--json", "JSON output")
    .action(async (opts: { prefecture?: string; role?: string; all?: boolean; json?: boolean }) => {
      const { db } = await ctx.store();
      const prefectureCode = await prefectureFilter(opts.prefecture);
      let role: Role | undefined;
      if (opts.role !== undefined) {
        role = parseRole(opts.role);
        if (!role) throw new CliError(`未知的角色 "${opts.role}"，可用: ${choices(ROLE_WORDS)}`, 2);
      }
      const prefShort = new Map((await readPrefectures(db)).map((p) => [p.code, p.shortName]));
      const rows = (await readContacts(db))
        .filter((c) => opts.all || c.active)
        .filter((c) => prefectureCode === undefined || c.prefectureCode === prefectureCode)
        .filter((c) => role === undefined || c.role === role)
        .map(({ phone: _phone, ...c }) => ({
          ...c,
          roleLabel: ROLE_LABELS[c.role],
          prefecture: c.prefectureCode ? (prefShort.get(c.prefectureCode) ?? c.prefectureCode) : null,
        }));
      if (opts.json) return ctx.json({ count: rows.length, contacts: rows });
      ctx.out(`联系人 ${rows.length} 人`);
      for (const c of rows) {
        // the roster's account columns name each identity channel (企业微信账号, 微信ID, 微信号)
        const ids = identityColumns().flatMap((a) =>
          c.identities[a.identity]
            ? [`${a.header.replace(/[（(].*$/u, "")} ${c.identities[a.identity]}`]
            : [],
        );
        ctx.out(
          `  ${c.id.padEnd(11)} ${c.name}  ${wordOf(ROLE_WORDS, c.role)}  ${c.prefecture ?? "省专班"}  ${ids.join("  ")}` +
            (c.active ? "" : "  [已停用]"),
        );
      }
    });

  contacts
    .command("groups")
    .description("列出推送群聊；群机器人只显示密钥变量是否已配置 / list chat groups (never the robot keys)")
    .option("--all", "包括已停用的群聊")
    .option("--json", "JSON output")
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const { db } = await ctx.store();
      const keys = ctx.config.robotKeys;
      const routes = deliveryRoutes(ctx.config);
      const prefShort = new Map((await readPrefectures(db)).map((p) => [p.code, p.shortName]));
      const rows = (await readChatGroups(db))
        .filter((g) => opts.all || g.active)
        .map((g) => ({
          ...g,
          prefecture: g.prefectureCode ? (prefShort.get(g.prefectureCode) ?? g.prefectureCode) : null,
          webhookKeyConfigured: g.identities[ROBOT_KEY_ENV]
            ? Boolean(keys[g.identities[ROBOT_KEY_ENV]])
            : null,
        }));
      if (opts.json) return ctx.json({ count: rows.length, groups: rows });
      ctx.out(`群聊 ${rows.length} 个`);
      for (const g of rows) {
        // the identity its channel reaches it by; a per-recipient setting (a robot key) says whether it is set
        const route = routeOf(routes, g.channel);
        const ref = route?.groupIdentities?.map((ch) => g.identities[ch]).find((v) => v) ?? "";
        const address =
          ref && route?.recipientUnavailable
            ? `${ref} ${route.recipientUnavailable(ref) ? "未配置" : "已配置"}`
            : ref;
        ctx.out(
          `  ${g.id.padEnd(12)} ${g.name}  ${wordOf(CHANNEL_WORDS, g.channel)} ${address}  对象: ${wordOf(AUDIENCE_WORDS, g.audience)}` +
            `${g.prefecture ? ` ${g.prefecture}` : ""}${g.copyReminders ? "  抄送提醒" : ""}${g.active ? "" : "  [已停用]"}`,
        );
      }
    });
}
