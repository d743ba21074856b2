import type { Contact, Room, Wechaty } from "wechaty";
import type { AppContext } from "../../../src/app-context.js";
import { isUniqueViolation } from "../../../src/db/database.js";
import type { Logger } from "../../../src/log/logger.js";
import { identityMap } from "../../../src/programme/identity-map.js";
import type { ChatGroupDef, ContactDef } from "../../../src/programme/programme.js";
import { findContact, listChatGroups, listContacts } from "../../../src/programme/programme-repository.js";
import { WECHAT_ALIAS, WECHAT_ID, WECHAT_TOPIC } from "./channel.js";
import { persistContactBinding, persistRoomBinding } from "./persist-binding.js";
import { roomIdentityIs, roomRef, setGroupIdentity } from "./room-identity.js";
import { buildWechatIndex, type WechatIndex } from "./wechat-index.js";

export interface Rebinding {
  kind: "contact" | "room";
  rosterId: string;
  label: string;
  how: string;
  from: string;
  to: string;
}

export interface Unresolved {
  kind: "contact" | "room";
  rosterId: string;
  label: string;
  ref: string;
  why: string;
}

export interface BindingResult {
  at: Date;
  contacts: number;
  rooms: number;
  /** Every re-binding since the last login (this run's and earlier ones'), so a later report includes them. */
  rebound: Rebinding[];
  unresolved: Unresolved[];
}

/**
 * Binds roster entries to WeChat contacts and rooms by id (identity "wechat"; group identity "wechat_room_id").
 * Ids can change after a re-login (web-protocol puppets issue session ids), so a binding is
 * re-resolved after every login: by id first, then contacts by remark (备注, `wechatAlias`) and
 * — only at login, and reported for a human to check — by nickname equal to `wechatAlias`;
 * rooms by topic (group identity `wechat_topic`). A re-binding is persisted (persist-binding.ts). Inbound messages re-bind by remark
 * only (a nickname can be chosen by anyone, a remark only by the bot's own account).
 */
export class RosterBinder {
  private readonly contacts = new Map<string, Contact>();
  private readonly rooms = new Map<string, Room>();
  private readonly contactRedirects = new Map<string, string>();
  private readonly roomRedirects = new Map<string, string>();
  private chain: Promise<unknown> = Promise.resolve();
  private sinceLogin: Rebinding[] = [];
  last: BindingResult | undefined;

  constructor(
    private readonly app: AppContext,
    private readonly bot: Wechaty,
    private readonly log: Logger,
    /** Told about re-bindings made outside bindAll (a message from a re-bound contact, a send). */
    private readonly onRebound: (r: Rebinding) => Promise<void> = async () => {},
  ) {}

  /** Forgets resolved objects and the re-binding log (at login and logout: ids may change). */
  reset(): void {
    this.contacts.clear();
    this.rooms.clear();
    this.sinceLogin = [];
  }

  /** The recipient as currently bound (follows re-bindings made by this process). */
  canonical(kind: "direct" | "group", recipient: string): string {
    return (kind === "direct" ? this.contactRedirects : this.roomRedirects).get(recipient) ?? recipient;
  }

  /** Re-resolves every active roster contact and WeChat group. Calls are serialised. */
  bindAll(): Promise<BindingResult> {
    return this.serial(async () => {
      const result = this.emptyResult();
      let index: WechatIndex | undefined;
      const lazyIndex = async () => {
        index ??= await buildWechatIndex(this.bot);
        return index;
      };
      const contacts = (await listContacts(this.app.store.db)).filter(
        (c) => c.identities[WECHAT_ID] || c.identities[WECHAT_ALIAS],
      );
      for (const c of contacts) {
        if (await this.bindContact(c, lazyIndex, result, true)) result.contacts++;
      }
      const groups = (await listChatGroups(this.app.store.db)).filter((g) => g.channel === "wechat_room");
      for (const g of groups) {
        if (await this.bindRoom(g, lazyIndex, result)) result.rooms++;
      }
      result.rebound = [...this.sinceLogin];
      this.last = result;
      this.log.info(
        {
          contacts: result.contacts,
          rooms: result.rooms,
          rebound: result.rebound.length,
          unresolved: result.unresolved.map((u) => u.label),
        },
        "wechaty: roster bound",
      );
      return result;
    });
  }

  async resolveContact(recipient: string): Promise<Contact | undefined> {
    const id = this.canonical("direct", recipient);
    const cached = this.contacts.get(id);
    if (cached) return cached;
    const found = await this.bot.Contact.find({ id });
    if (found) {
      this.contacts.set(found.id, found);
      return found;
    }
    const row = await findContact(this.app.store.db, WECHAT_ID, id);
    if (!row?.active) return undefined;
    return this.onDemand((result) => this.bindContact(row, () => buildWechatIndex(this.bot), result, false));
  }

  async resolveRoom(recipient: string): Promise<Room | undefined> {
    const id = this.canonical("group", recipient);
    const cached = this.rooms.get(id);
    if (cached) return cached;
    const found = await this.bot.Room.find({ id });
    if (found) {
      this.rooms.set(found.id, found);
      return found;
    }
    const group = await this.app.store.db.chatGroup.findFirst({
      where: { channel: "wechat_room", active: true, ...roomIdentityIs(id) },
      include: { identities: { select: { channel: true, externalId: true } } },
    });
    if (group) {
      const def = {
        ...group,
        audience: group.audience,
        identities: identityMap(group.identities),
      } as ChatGroupDef;
      return this.onDemand((result) => this.bindRoom(def, () => buildWechatIndex(this.bot), result));
    }
    const byTopic = await this.bot.Room.findAll({ topic: recipient });
    return byTopic.length === 1 ? byTopic[0] : undefined;
  }

  /**
   * A message from a contact this process has not bound yet: known by id → remembered; else a
   * roster contact whose remark (wechatAlias) equals the talker's remark, and whose stored id no
   * longer resolves, is re-bound to it.
   */
  async bindTalker(talker: Contact): Promise<Rebinding | undefined> {
    if (this.contacts.has(talker.id)) return undefined;
    const db = this.app.store.db;
    if (await findContact(db, WECHAT_ID, talker.id)) {
      this.contacts.set(talker.id, talker);
      return undefined;
    }
    const alias = await talker.alias().catch(() => undefined);
    if (!alias) return undefined;
    // an alias is one contact's (ContactIdentity is unique per channel and external id)
    const row = await findContact(db, WECHAT_ALIAS, alias);
    if (!row?.active) return undefined;
    const bound = row.identities[WECHAT_ID];
    if (bound && (await this.bot.Contact.find({ id: bound }))) {
      // the roster entry is still bound to a reachable contact: a duplicated remark, not a new id
      this.log.warn(
        { contact: row.id, bound, other: talker.id, alias },
        "wechaty: two friends share a remark",
      );
      return undefined;
    }
    let made: Rebinding | undefined;
    await this.onDemand(async (result) => {
      await this.persistContact(row, talker, "备注名一致（来消息时）", result);
      made = result.rebound[0];
    });
    return made;
  }

  /** Keeps the group's room name (identity wechat_topic) current, so the name fallback still works after a later id change. */
  async topicChanged(roomId: string, newTopic: string): Promise<number> {
    const db = this.app.store.db;
    const groups = await db.chatGroup.findMany({
      where: { channel: "wechat_room", ...roomIdentityIs(roomId, false) },
      select: { id: true },
    });
    for (const g of groups) await setGroupIdentity(db, g.id, WECHAT_TOPIC, newTopic);
    const count = groups.length;
    if (count > 0) this.log.info({ roomId, newTopic }, "wechaty: room renamed, roster topic updated");
    return count;
  }

  private emptyResult(): BindingResult {
    return { at: this.app.clock.now(), contacts: 0, rooms: 0, rebound: [], unresolved: [] };
  }

  /** A single re-binding attempt outside bindAll; a re-binding it makes is reported. */
  private async onDemand<T>(fn: (result: BindingResult) => Promise<T>): Promise<T> {
    const result = this.emptyResult();
    const out = await this.serial(() => fn(result));
    for (const r of result.rebound) {
      await this.onRebound(r).catch((e) => this.log.error({ err: e }, "wechaty: re-binding report failed"));
    }
    return out;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async bindContact(
    c: ContactDef,
    index: () => Promise<WechatIndex>,
    result: BindingResult,
    allowNickname: boolean,
  ): Promise<Contact | undefined> {
    const label = `${c.name}（${c.id}）`;
    const wechatId = c.identities[WECHAT_ID];
    const wechatAlias = c.identities[WECHAT_ALIAS];
    if (wechatId) {
      const byId = await this.bot.Contact.find({ id: wechatId });
      if (byId) {
        this.contacts.set(byId.id, byId);
        return byId;
      }
    }
    const ref = wechatId ?? `备注 ${wechatAlias}`;
    const unresolved = (why: string) => {
      result.unresolved.push({ kind: "contact", rosterId: c.id, label, ref, why });
      return undefined;
    };
    if (!wechatAlias)
      return unresolved("按微信 ID 找不到，花名册里也没有备注名（wechatAlias）可用来重新查找");
    const idx = await index();
    const byAlias = idx.byAlias.get(wechatAlias) ?? [];
    if (byAlias.length > 1) return unresolved(`有 ${byAlias.length} 位好友的备注名都是「${wechatAlias}」`);
    if (byAlias.length === 1) return this.persistContact(c, byAlias[0]!, "备注名一致", result);
    const byName = allowNickname ? (idx.byName.get(wechatAlias) ?? []) : [];
    if (byName.length > 1) return unresolved(`有 ${byName.length} 位好友的昵称都是「${wechatAlias}」`);
    if (byName.length === 1) return this.persistContact(c, byName[0]!, "昵称与备注名一致", result);
    return unresolved(`按微信 ID 和备注名「${wechatAlias}」都找不到（可能已删除好友或改了备注）`);
  }

  private async persistContact(
    c: ContactDef,
    found: Contact,
    how: string,
    result: BindingResult,
  ): Promise<Contact | undefined> {
    const label = `${c.name}（${c.id}）`;
    const old = c.identities[WECHAT_ID] ?? null;
    try {
      await persistContactBinding(this.app.store.db, {
        contactId: c.id,
        oldWechatId: old,
        newWechatId: found.id,
        at: this.app.clock.now(),
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      result.unresolved.push({
        kind: "contact",
        rosterId: c.id,
        label,
        ref: found.id,
        why: `找到的微信（${found.name()}）已绑定到花名册中的另一人`,
      });
      return undefined;
    }
    if (old) this.contactRedirects.set(old, found.id);
    this.contacts.set(found.id, found);
    const r: Rebinding = {
      kind: "contact",
      rosterId: c.id,
      label,
      how,
      from: old ?? "（未绑定）",
      to: found.id,
    };
    result.rebound.push(r);
    this.sinceLogin.push(r);
    this.log.warn({ contact: c.id, from: old, to: found.id, how }, "wechaty: contact re-bound");
    return found;
  }

  private async bindRoom(
    g: ChatGroupDef,
    index: () => Promise<WechatIndex>,
    result: BindingResult,
  ): Promise<Room | undefined> {
    const label = `${g.name}（${g.id}）`;
    const db = this.app.store.db;
    const { roomId, topic: rosterTopic } = roomRef(g);
    if (roomId) {
      const byId = await this.bot.Room.find({ id: roomId });
      if (byId) {
        this.rooms.set(byId.id, byId);
        const topic = await byId.topic().catch(() => "");
        if (topic && topic !== rosterTopic) {
          await setGroupIdentity(db, g.id, WECHAT_TOPIC, topic);
          this.log.info({ group: g.id, from: rosterTopic, to: topic }, "wechaty: room topic refreshed");
        }
        if (rosterTopic) this.roomRedirects.set(rosterTopic, byId.id);
        return byId;
      }
    }
    const ref = roomId ?? `群名 ${rosterTopic}`;
    const unresolved = (why: string) => {
      result.unresolved.push({ kind: "room", rosterId: g.id, label, ref, why });
      return undefined;
    };
    if (!rosterTopic) return unresolved("按群 ID 找不到，花名册里也没有群名（微信群名称）可用来重新查找");
    const byTopic = (await index()).byTopic.get(rosterTopic) ?? [];
    if (byTopic.length > 1)
      return unresolved(`机器人所在的群里有 ${byTopic.length} 个都叫「${rosterTopic}」`);
    if (byTopic.length === 0) {
      return unresolved(`按群 ID 和群名「${rosterTopic}」都找不到（机器人可能已不在群里，或群已改名）`);
    }
    const room = byTopic[0]!;
    const old = roomId;
    await persistRoomBinding(db, { groupId: g.id, oldRoomId: old, topic: rosterTopic, newRoomId: room.id });
    if (old) this.roomRedirects.set(old, room.id);
    this.roomRedirects.set(rosterTopic, room.id);
    this.rooms.set(room.id, room);
    const r: Rebinding = {
      kind: "room",
      rosterId: g.id,
      label,
      how: "群名一致",
      from: old ?? "（未绑定）",
      to: room.id,
    };
    result.rebound.push(r);
    this.sinceLogin.push(r);
    this.log.warn({ group: g.id, from: old, to: room.id }, "wechaty: room re-bound by topic");
    return room;
  }
}
