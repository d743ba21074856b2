import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { listChatGroups } from "../src/programme/programme-repository.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";

/**
 * The chat_group_identity migration moves today's per-platform ChatGroup columns into
 * ChatGroupIdentity rows on a store that holds data: written with the plain drivers as the schema
 * was before it.
 */
describe.each(TEST_PROVIDERS)("chat_group_identity migration on %s", (provider) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("moves chat ids, robot key names, room ids and topics into identities; nothing else changes", async () => {
    const { url, drop } = await createTestDatabaseUrl(provider);
    cleanups.push(drop);
    const before = await applyMigrations(url, { before: "_chat_group_identity" });
    expect(before.pending.some((m) => m.endsWith("_chat_group_identity"))).toBe(true);

    const store = await openStore(url);
    await store.db.$executeRawUnsafe(
      `INSERT INTO "Prefecture" ("code", "name", "shortName", "sortOrder") VALUES ('5227', '黔南州', '黔南', 1)`,
    );
    const bool = (b: boolean) => (provider === "sqlite" ? (b ? 1 : 0) : b);
    const rows: Array<[string, string, string | null, string | null, string | null, string | null, boolean]> =
      [
        ["G1", "wecom_appchat", "wrAPP1", null, null, null, true],
        ["G2", "wecom_robot", null, "WECOM_ROBOT_KEY_QN", null, null, true],
        ["G3", "wecom_bot", "wrBOT3", null, null, null, false],
        ["G4", "wechat_room", null, null, "123@chatroom", "黔南群", true],
        ["G5", "wechat_room", "", null, null, "只有群名", true], // an empty chat id is no identity
      ];
    for (const [id, channel, chat, key, room, topic, active] of rows) {
      const q = (v: string | null) => (v === null ? "NULL" : `'${v}'`);
      await store.db.$executeRawUnsafe(
        `INSERT INTO "ChatGroup" ("id", "name", "channel", "wecomChatId", "webhookKeyEnv", "wechatRoomId", "wechatTopic", "audience", "prefectureCode", "copyReminders", "active")
         VALUES ('${id}', '群-${id}', '${channel}', ${q(chat)}, ${q(key)}, ${q(room)}, ${q(topic)}, 'prefecture', '5227', ${bool(id === "G2")}, ${bool(active)})`,
      );
    }
    await store.close();

    const after = await applyMigrations(url);
    expect(after.pending).toEqual([]);
    const migrated = await openStore(url);
    cleanups.push(() => migrated.close());

    const identities = await migrated.db.chatGroupIdentity.findMany({
      orderBy: [{ groupId: "asc" }, { channel: "asc" }],
    });
    expect(identities.map((i) => [i.groupId, i.channel, i.externalId])).toEqual([
      ["G1", "wecom_chat", "wrAPP1"],
      ["G2", "wecom_robot_key_env", "WECOM_ROBOT_KEY_QN"],
      ["G3", "wecom_chat", "wrBOT3"],
      ["G4", "wechat_room_id", "123@chatroom"],
      ["G4", "wechat_topic", "黔南群"],
      ["G5", "wechat_topic", "只有群名"],
    ]);
    const groups = await migrated.db.chatGroup.findMany({ orderBy: { id: "asc" } });
    expect(
      groups.map((g) => [g.id, g.channel, g.audience, g.prefectureCode, g.copyReminders, g.active]),
    ).toEqual([
      ["G1", "wecom_appchat", "prefecture", "5227", false, true],
      ["G2", "wecom_robot", "prefecture", "5227", true, true],
      ["G3", "wecom_bot", "prefecture", "5227", false, false],
      ["G4", "wechat_room", "prefecture", "5227", false, true],
      ["G5", "wechat_room", "prefecture", "5227", false, true],
    ]);
    expect(groups[0]).not.toHaveProperty("wecomChatId");
    expect((await listChatGroups(migrated.db)).find((g) => g.id === "G4")?.identities).toEqual({
      wechat_room_id: "123@chatroom",
      wechat_topic: "黔南群",
    });

    // the cache triggers survive the redefined ChatGroup table and cover identities
    const version = async () =>
      Number((await migrated.db.cacheVersion.findUniqueOrThrow({ where: { name: "roster" } })).version);
    const v0 = await version();
    await migrated.db.chatGroup.update({ where: { id: "G1" }, data: { name: "改名" } });
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await migrated.db.chatGroupIdentity.delete({
      where: { groupId_channel: { groupId: "G1", channel: "wecom_chat" } },
    });
    expect(await version()).toBeGreaterThan(v1);
    expect((await listChatGroups(migrated.db)).find((g) => g.id === "G1")?.identities).toEqual({});
  });
});
