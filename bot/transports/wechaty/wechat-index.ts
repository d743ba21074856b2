import type { Contact, Room, Wechaty } from "wechaty";

/** The account's friends by remark and by nickname, and its rooms by topic (for re-binding). */
export interface WechatIndex {
  byAlias: Map<string, Contact[]>;
  byName: Map<string, Contact[]>;
  byTopic: Map<string, Room[]>;
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => m.set(k, [...(m.get(k) ?? []), v]);

/** One pass over the contact and room lists (payloads are cached by the puppet). */
export async function buildWechatIndex(bot: Wechaty): Promise<WechatIndex> {
  const index: WechatIndex = { byAlias: new Map(), byName: new Map(), byTopic: new Map() };
  for (const c of await bot.Contact.findAll()) {
    if (c.self()) continue;
    const alias = await c.alias().catch(() => undefined);
    if (alias) push(index.byAlias, alias, c);
    if (c.name()) push(index.byName, c.name(), c);
  }
  for (const r of await bot.Room.findAll()) {
    const topic = await r.topic().catch(() => "");
    if (topic) push(index.byTopic, topic, r);
  }
  return index;
}
