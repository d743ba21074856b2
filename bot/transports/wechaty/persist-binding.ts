import type { Db } from "../../../src/db/database.js";

/**
 * How a re-binding is persisted (data, no schema change): the roster row gets the new WeChat id and
 * pending outbox rows addressed to the old id (or, for a room, its topic) are re-addressed, so
 * messages queued before the re-login still reach the person or group. One transaction. A contact
 * id already bound to another roster row raises a unique violation (Contact.wechatId is unique).
 */
export async function persistContactBinding(
  db: Db,
  b: { contactId: string; oldWechatId: string | null; newWechatId: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.contact.update({ where: { id: b.contactId }, data: { wechatId: b.newWechatId } });
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
    await tx.chatGroup.update({ where: { id: b.groupId }, data: { wechatRoomId: b.newRoomId } });
    await tx.outboundMessage.updateMany({
      where: { channel: "wechat_room", status: "pending", recipient: { in: oldAddresses } },
      data: { recipient: b.newRoomId },
    });
  });
}
