import type { Audience, GroupCode, IndicatorKind, Role } from "../domain/codes.js";
import type { Decimal } from "../domain/decimal.js";
import { scanNumber } from "../parsing/number-grammar.js";

/**
 * The group channels the roster's 群聊 sheet offers (its vocabulary, what a bureau types): outbox
 * channels named by the transports under bot/transports/.
 */
export type GroupChannel = "wecom_appchat" | "wecom_robot" | "wecom_bot" | "wechat_room";

/** Full-width ASCII (digits, letters, punctuation) and the ideographic space → half-width. */
export function foldAscii(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** Cell text as read: zero-width characters and BOMs removed, trimmed. */
export function cleanCell(text: string): string {
  return text.replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").trim();
}

const YES = new Set(["是", "y", "yes", "true", "1", "√", "✓", "启用", "有"]);
const NO = new Set(["否", "n", "no", "false", "0", "×", "✗", "停用", "无"]);

export function parseBool(text: string, fallback: boolean): boolean | undefined {
  const t = foldAscii(text).trim().toLowerCase();
  if (t === "") return fallback;
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return undefined;
}

export const boolText = (b: boolean): string => (b ? "是" : "否");

/** Splits "a、b，c;d" into ["a","b","c","d"] (trimmed, no empties, no repeats). */
export function parseList(text: string): string[] {
  const parts = text
    .split(/[、,，;；\n/]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [...new Set(parts)];
}

export const listText = (items: string[]): string => items.join("、");

/**
 * A decimal as typed, read by the product's one number grammar (parsing/number-grammar.ts): full-width
 * digits, spaces, thousands separators ("1,300,000"), a sign, Chinese numerals ("十五"). A magnitude (万, 亿)
 * is refused: the roster's 单位 column says what the number counts in, and "3亿" in a 万元 column would be
 * read 10 000× off. Undefined unless the whole cell is one number.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const t = text.replace(/\s+/g, "");
  const tok = scanNumber(t, 0);
  if (!tok || tok.end !== t.length || tok.magnitude) return undefined;
  return tok.value;
}

export function parseInteger(text: string): number | undefined {
  const d = parseDecimal(text);
  if (!d?.isInteger()) return undefined;
  const n = Number(d.toString());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** "2023-04-22", "2023/4/22", "2023年4月22日", "2023.4.22" → "2023-04-22"; undefined when not a real date. */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(foldAscii(text).trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Looks a word up in a table of code → accepted spellings (the code itself is accepted too). */
function lookup<T extends string>(table: Record<T, string[]>, text: string): T | undefined {
  const t = foldAscii(text).trim().toLowerCase();
  if (t === "") return undefined;
  for (const [code, words] of Object.entries(table) as [T, string[]][]) {
    if (code === t || words.some((w) => w.toLowerCase() === t)) return code;
  }
  return undefined;
}

export const GROUP_WORDS: Record<GroupCode, string[]> = {
  national: ["国家级培育", "国家级经开区培育对象", "国家级培育对象", "国家级"],
  foreign_trade: ["外贸升级", "外贸升级经开区", "外贸"],
  provincial: ["省级培育", "省级经开区培育对象", "省级培育对象", "省级"],
};
export const ROLE_WORDS: Record<Role, string[]> = {
  bureau_contact: ["联络员", "市州联络员", "市州商务局联络员"],
  bureau_lead: ["分管领导", "领导", "市州商务局分管领导"],
  task_force: ["省专班", "专班"],
};
export const KIND_WORDS: Record<IndicatorKind, string[]> = {
  money: ["金额"],
  count: ["数量", "计数"],
  percent: ["百分比", "比率"],
  text: ["文本", "文字"],
};
export const CHANNEL_WORDS: Record<GroupChannel, string[]> = {
  wecom_appchat: ["企业微信应用群", "应用群"],
  wecom_robot: ["企业微信群机器人", "群机器人", "机器人"],
  wecom_bot: ["企业微信智能机器人", "智能机器人"],
  wechat_room: ["微信群", "个人微信群"],
};
export const AUDIENCE_WORDS: Record<Audience, string[]> = {
  prefecture: ["市州", "市州商务局"],
  task_force: ["省专班", "专班"],
  province: ["全省"],
};

export const parseGroup = (t: string) => lookup(GROUP_WORDS, t);
export const parseRole = (t: string) => lookup(ROLE_WORDS, t);
export const parseKind = (t: string) => lookup(KIND_WORDS, t);
export const parseChannel = (t: string) => lookup(CHANNEL_WORDS, t);
export const parseAudience = (t: string) => lookup(AUDIENCE_WORDS, t);

/** The word the export writes (the first accepted spelling). */
export function wordOf<T extends string>(table: Record<T, string[]>, code: T | string): string {
  return (table as Record<string, string[] | undefined>)[code]?.[0] ?? code;
}

/** "国家级培育/外贸升级/省级培育" — for messages. */
export function choices<T extends string>(table: Record<T, string[]>): string {
  return (Object.keys(table) as T[]).map((c) => wordOf(table, c)).join("/");
}
