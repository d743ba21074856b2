import type { Db, Tx } from "../../../../src/db/database.js";
import { type GovernorHistory, REASON_TAG } from "./send-governor.js";

const DAY = 24 * 60 * 60_000;

/**
 * Rebuilds the governor's memory from the outbox, so budgets and an open breaker survive a restart:
 * rows sent on `wechat` / `wechat_room` in the last 24 hours, and the latest pending row held back
 * by the breaker (its `nextAttemptAt` is the end of the pause). No schema change: `sentAt`,
 * `lastError` and `nextAttemptAt` already carry it.
 */
export async function loadWechatSendHistory(db: Db | Tx, now: Date): Promise<GovernorHistory> {
  const channels = ["wechat", "wechat_room"];
  const rows = await db.outboundMessage.findMany({
    where: { channel: { in: channels }, status: "sent", sentAt: { gt: new Date(now.getTime() - DAY) } },
    select: { channel: true, recipient: true, sentAt: true },
    orderBy: { sentAt: "asc" },
  });
  const held = await db.outboundMessage.findFirst({
    where: {
      channel: { in: channels },
      status: "pending",
      lastError: { startsWith: REASON_TAG("breaker") },
      nextAttemptAt: { gt: now },
    },
    select: { nextAttemptAt: true },
    orderBy: { nextAttemptAt: "desc" },
  });
  return {
    sent: rows.map((r) => ({
      target: {
        kind: r.channel === "wechat_room" ? ("group" as const) : ("direct" as const),
        id: r.recipient,
      },
      at: r.sentAt!,
    })),
    ...(held ? { breakerUntil: held.nextAttemptAt } : {}),
  };
}
