import type { AppContext } from "../../src/app-context.js";
import type { InboundMessage } from "../../src/db/database.js";
import type { InboundChannel } from "../../src/domain/codes.js";
import { ATTACHMENT_KINDS, type InboundEvent } from "../../src/inbound/inbound-event.js";
import type { HandleResult } from "./handle.js";

/** The event a stored inbound row was made from (what the transport handed to `handle`). */
export function eventOfInbound(row: InboundMessage): InboundEvent {
  const attachment = ATTACHMENT_KINDS.find((k) => k === row.kind);
  // a file's name is in its description ("[文件] 报送.xlsx"); its bytes were not stored
  const fileName = attachment === "file" ? /^\[文件\] (.+)$/.exec(row.text)?.[1] : undefined;
  return {
    channel: row.channel as InboundChannel,
    externalId: row.externalId,
    senderRef: row.senderRef,
    ...(row.chatRef ? { chatRef: row.chatRef } : {}),
    kind: row.kind === "action" ? "action" : "text",
    text: row.text,
    receivedAt: row.receivedAt,
    ...(attachment
      ? { attachment: { kind: attachment, resumed: true, ...(fileName ? { fileName } : {}) } }
      : {}),
  };
}

/**
 * Runs messages again that were stored but never finished: status still "received" and the claim
 * older than the lease (the process crashed, or the store failed after the row was written). No
 * transport redelivers them — WeCom has had its 200 before the message is handled, Wechaty emits a
 * message once — so without this pass such a message would be lost. `handle` takes the stale claim
 * over (one instance wins) and its idempotent reply keys keep anything already queued from going
 * out twice. A message older than `maxAgeMs` (default one day) is not run any more — its period or
 * draft may have moved on — but marked failed, so that it shows among the failures instead of
 * lingering. Call it periodically (e.g. every minute) and once at start.
 */
export async function resumeUnfinishedInbound(
  app: AppContext,
  handle: (event: InboundEvent) => Promise<HandleResult>,
  opts: { limit?: number; leaseMs?: number; maxAgeMs?: number } = {},
): Promise<HandleResult[]> {
  const db = app.store.db;
  const now = app.clock.now();
  const leaseMs = opts.leaseMs ?? app.config.INBOUND_LEASE_S * 1000;
  const staleBefore = new Date(now.getTime() - leaseMs);
  const unfinished = { status: "received", OR: [{ claimedAt: null }, { claimedAt: { lt: staleBefore } }] };
  const tooOld = new Date(now.getTime() - (opts.maxAgeMs ?? 86_400_000));
  const abandoned = await db.inboundMessage.updateMany({
    where: { ...unfinished, receivedAt: { lt: tooOld } },
    data: {
      status: "failed",
      processedAt: now,
      error: "未处理完且已超过补处理时限（进程中断或存储故障后未恢复），未再处理",
    },
  });
  if (abandoned.count > 0) {
    app.logger.error(
      { count: abandoned.count },
      "inbound: unfinished messages too old to resume, marked failed",
    );
  }
  const rows = await db.inboundMessage.findMany({
    where: unfinished,
    orderBy: { id: "asc" },
    take: opts.limit ?? 50,
  });
  const results: HandleResult[] = [];
  for (const row of rows) {
    app.logger.warn({ inboundId: row.id, channel: row.channel }, "inbound: resuming an unfinished message");
    results.push(await handle(eventOfInbound(row)));
  }
  return results;
}
