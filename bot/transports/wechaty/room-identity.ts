import type { Db, Tx } from "../../../src/db/database.js";
import { WECHAT_ROOM_ID, WECHAT_TOPIC } from "./channel.js";

/** A roster group's WeChat room id and name (ChatGroupIdentity), null when it has none. */
export function roomRef(g: { identities: Readonly<Record<string, string>> }): {
  roomId: string | null;
  topic: string | null;
} {
  return { roomId: g.identities[WECHAT_ROOM_ID] ?? null, topic: g.identities[WECHAT_TOPIC] ?? null };
}

/** Sets one of a group's identities (the room id after a re-binding, the name after a rename). */
export async function setGroupIdentity(
  db: Db | Tx,
  groupId: string,
  channel: typeof WECHAT_ROOM_ID | typeof WECHAT_TOPIC,
  externalId: string,
): Promise<void> {
  await db.chatGroupIdentity.upsert({
    where: { groupId_channel: { groupId, channel } },
    create: { groupId, channel, externalId },
    update: { externalId },
  });
}

/** The filter for groups whose room id (or, with `orTopic`, name) is `value`. */
export function roomIdentityIs(value: string, orTopic = true) {
  return {
    identities: {
      some: { channel: orTopic ? { in: [WECHAT_ROOM_ID, WECHAT_TOPIC] } : WECHAT_ROOM_ID, externalId: value },
    },
  };
}
