import type { Db } from "../../../src/db/database.js";
import { WECHAT_ID, WECHAT_ROOM_ID } from "./channel.js";
import { setGroupIdentity } from "./room-identity.js";

/**
 * How a re-binding is persisted (data, no schema change): the roster row gets the new WeChat id and
 * pending outbox rows addressed to the old id (or, for a room, its topic) are re-addressed, so
 * messages queued before the re-login still reach the person or group. One transaction. A contact
 * id already bound to another roster row raises a unique violation (an identity is unique per channel and external id).
 */
export async function persistContactBinding(
  db: Db,
  b: { contactId: string; oldWechatId: string | null; newWechatId: string; at: Date },
): Promise<void> {
  await db.$transaction(async (tx) => {
    // the platform itself found this id for the roster entry: a verified identity
    await tx.contactIdentity.upsert({
      where: { contactId_channel: { contactId: b.contactId, channel: WECHAT_ID } },
      create: { contactId: b.contactId, channel: WECHAT_ID, externalId: b.newWechatId, verifiedAt: b.at },
      update: { externalId: b.newWechatId, verifiedAt: b.at },
    });
    if (b.oldWechatId) {
      await tx.outboundMessage.updateMany({
        where: { channel: "wechat", recipient: b.oldWechatId, status: "pending" },
        data: { recipient: b.newWechatId },
      });
    }
  });
}

export async function persistRoomBinding(
  db: Db,
  b: { groupId: string; oldRoomId: string | null; topic: string | null; newRoomId: string },
): Promise<void> {
  const oldAddresses = [b.oldRoomId, b.topic].filter((x): x is string => !!x);
  await db.$transaction(async (tx) => {
    await setGroupIdentity(tx, b.groupId, WECHAT_ROOM_ID, b.newRoomId);
    await tx.outboundMessage.updateMany({
      where: { channel: "wechat_room", status: "pending", recipient: { in: oldAddresses } },
      data: { recipient: b.newRoomId },
    });
  });
}
