import type { ChatGroupRow, ContactRow, PrefectureRow } from "../programme/programme-data.js";
import { resolvePrefecture } from "./parse-zone-sheets.js";
import type { NameIndex } from "./roster-resolvers.js";
import { identityColumns } from "./roster-sheets.js";
import {
  AUDIENCE_WORDS,
  CHANNEL_WORDS,
  choices,
  foldAscii,
  parseAudience,
  parseBool,
  parseChannel,
  parseRole,
  ROLE_WORDS,
} from "./roster-values.js";
import { required, type SheetTable, type TableRow } from "./sheet-table.js";

/** A header without its bracket: "企业微信账号(UserID)" → "企业微信账号". */
const headerWord = (header: string) => header.replace(/[（(].*$/u, "");

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/;
const ROBOT_ENV = /^WECOM_ROBOT_KEY_[A-Z0-9_]+$/;

function checkId(row: TableRow, t: SheetTable, example: string): string | undefined {
  const id = required(row, t, "id");
  if (id !== undefined && !ID.test(id)) {
    row.issue("id", `编号只能用字母、数字、- 和 _ (读到 "${id}")，例如 ${example}`);
    return undefined;
  }
  return id;
}

function activeFlag(row: TableRow, key: string, fallback: boolean): boolean | undefined {
  const b = parseBool(row.get(key), fallback);
  if (b === undefined) row.issue(key, `应为 是 或 否 (读到 "${row.get(key)}")`);
  return b;
}

const orNull = (s: string) => (s === "" ? null : s);

/** 联系人. Channel ids must be unique, also against stored contacts absent from the sheet (kept, deactivated). */
export function parseContactSheet(
  t: SheetTable,
  prefectures: NameIndex<PrefectureRow>,
  stored: ContactRow[],
): ContactRow[] {
  const out: ContactRow[] = [];
  const inSheet = new Set(t.rows.map((r) => r.get("id")));
  const taken = new Map<string, { id: string; row: number }>();
  const accounts = identityColumns();
  for (const c of stored.filter((x) => !inSheet.has(x.id)))
    for (const [channel, externalId] of Object.entries(c.identities))
      taken.set(`${channel}:${externalId}`, { id: c.id, row: 0 });
  const idRows = new Map<string, number>();
  for (const row of t.rows) {
    const id = checkId(row, t, "C5227-01");
    if (id !== undefined) {
      const prev = idRows.get(id);
      if (prev !== undefined) {
        row.issue("id", `联系人编号 "${id}" 与第 ${prev} 行重复`);
        continue;
      }
      idRows.set(id, row.rowNumber);
    }
    const name = required(row, t, "name");
    const roleText = required(row, t, "role");
    const role = roleText === undefined ? undefined : parseRole(roleText);
    if (roleText !== undefined && !role)
      row.issue("role", `应为 ${choices(ROLE_WORDS)} (读到 "${roleText}")`);
    const prefText = row.get("prefecture");
    let prefectureCode: string | null | undefined = null;
    if (role === "task_force" && prefText !== "") {
      row.issue("prefecture", `省专班成员不属于市州，请留空 (读到 "${prefText}")`);
      prefectureCode = undefined;
    } else if (role && role !== "task_force") {
      if (prefText === "") {
        row.issue("prefecture", "联络员和分管领导必须填写市州，例如 黔南");
        prefectureCode = undefined;
      } else prefectureCode = resolvePrefecture(row, "prefecture", prefText, prefectures);
    }
    const identities: Record<string, string> = {};
    for (const a of accounts) {
      const v = orNull(row.get(a.key));
      if (v) identities[a.identity] = v;
    }
    const hasAccount = Object.keys(identities).length > 0;
    if (!hasAccount)
      row.issue(
        accounts.find((a) => t.has(a.key))?.key ?? "id",
        `没有任何渠道账号：请至少填写 ${accounts.map((a) => headerWord(a.header)).join("、")} 之一，否则机器人无法识别此人`,
      );
    let clash = false;
    // an account belongs to one contact (ContactIdentity is unique per channel and external id)
    for (const a of accounts) {
      const value = identities[a.identity];
      const key = a.key;
      if (!value || id === undefined) continue;
      const o = taken.get(`${a.identity}:${value}`);
      if (o) {
        clash = true;
        row.issue(
          key,
          o.row > 0
            ? `"${value}" 与第 ${o.row} 行的联系人 ${o.id} 重复`
            : `"${value}" 已属于本表未列出的联系人 ${o.id}（它将被停用但保留账号）；如为同一人请沿用编号 ${o.id}`,
        );
      } else taken.set(`${a.identity}:${value}`, { id, row: row.rowNumber });
    }
    const phone = orNull(foldAscii(row.get("phone")).replace(/\s+/g, ""));
    if (phone && !/^\+?[0-9-]{5,20}$/.test(phone))
      row.issue("phone", `手机号格式不对 (读到 "${row.get("phone")}")`);
    const active = activeFlag(row, "active", true);
    if (id && name && role && prefectureCode !== undefined && hasAccount && !clash && active !== undefined)
      out.push({ id, name, role, prefectureCode, identities, phone, active });
  }
  return out;
}

/** 群聊 */
export function parseChatGroupSheet(t: SheetTable, prefectures: NameIndex<PrefectureRow>): ChatGroupRow[] {
  const out: ChatGroupRow[] = [];
  const idRows = new Map<string, number>();
  for (const row of t.rows) {
    const id = checkId(row, t, "G5227");
    if (id !== undefined) {
      const prev = idRows.get(id);
      if (prev !== undefined) {
        row.issue("id", `群聊编号 "${id}" 与第 ${prev} 行重复`);
        continue;
      }
      idRows.set(id, row.rowNumber);
    }
    const name = required(row, t, "name");
    const channelText = required(row, t, "channel");
    const channel = channelText === undefined ? undefined : parseChannel(channelText);
    if (channelText !== undefined && !channel)
      row.issue("channel", `应为 ${choices(CHANNEL_WORDS)} (读到 "${channelText}")`);
    const wecomChatId = orNull(row.get("wecomChatId"));
    const webhookKeyEnv = orNull(row.get("webhookKeyEnv"));
    const wechatRoomId = orNull(row.get("wechatRoomId"));
    const wechatTopic = orNull(row.get("wechatTopic"));
    let addressOk = true;
    if (channel === "wecom_appchat" && !wecomChatId) {
      addressOk = false;
      row.issue("wecomChatId", "企业微信应用群需要填写群ID (chatid)");
    }
    if (channel === "wecom_bot" && !wecomChatId) {
      addressOk = false;
      row.issue("wecomChatId", "智能机器人所在群需要填写群ID (chatid，机器人在该群被@时收到)");
    }
    if (channel === "wecom_robot") {
      if (!webhookKeyEnv) {
        addressOk = false;
        row.issue("webhookKeyEnv", "群机器人需要填写保存密钥的环境变量名，例如 WECOM_ROBOT_KEY_QIANNAN");
      } else if (!ROBOT_ENV.test(webhookKeyEnv)) {
        addressOk = false;
        row.issue(
          "webhookKeyEnv",
          /^[0-9a-f]{8}-|key=|^https?:/i.test(webhookKeyEnv)
            ? "这里填环境变量名，不要填密钥本身；密钥请放在服务器的环境变量中，例如 WECOM_ROBOT_KEY_QIANNAN"
            : `环境变量名应以 WECOM_ROBOT_KEY_ 开头、只含大写字母数字下划线 (读到 "${webhookKeyEnv}")`,
        );
      }
    }
    if (channel === "wechat_room" && !wechatRoomId && !wechatTopic) {
      addressOk = false;
      row.issue("wechatRoomId", "微信群需要填写 微信群ID 或 微信群名称");
    }
    const audienceText = required(row, t, "audience");
    const audience = audienceText === undefined ? undefined : parseAudience(audienceText);
    if (audienceText !== undefined && !audience)
      row.issue("audience", `应为 ${choices(AUDIENCE_WORDS)} (读到 "${audienceText}")`);
    const prefText = row.get("prefecture");
    let prefectureCode: string | null | undefined = null;
    if (audience === "prefecture") {
      if (prefText === "") {
        row.issue("prefecture", "对象为市州时必须填写市州，例如 黔南");
        prefectureCode = undefined;
      } else prefectureCode = resolvePrefecture(row, "prefecture", prefText, prefectures);
    } else if (prefText !== "") {
      row.issue("prefecture", `对象为 ${audienceText} 时不填市州 (读到 "${prefText}")`);
      prefectureCode = undefined;
    }
    const copyReminders = activeFlag(row, "copyReminders", false);
    const active = activeFlag(row, "active", true);
    if (
      id &&
      name &&
      channel &&
      addressOk &&
      audience &&
      prefectureCode !== undefined &&
      copyReminders !== undefined &&
      active !== undefined
    )
      out.push({
        id,
        name,
        channel,
        identities: Object.fromEntries(
          identityColumns("群聊").flatMap((col) => {
            const v = orNull(row.get(col.key));
            return v ? [[col.identity, v]] : [];
          }),
        ),
        audience,
        prefectureCode,
        copyReminders,
        active,
      });
  }
  return out;
}
