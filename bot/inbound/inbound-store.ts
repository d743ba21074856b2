import type { Db, InboundMessage } from "../../src/db/database.js";
import { isUniqueViolation } from "../../src/db/database.js";
import type { InboundEvent } from "../../src/inbound/inbound-event.js";

/**
 * Storing and claiming inbound messages (the first step of `handle`).
 *
 * Dedupe: (channel, externalId) is unique, so a redelivery finds the stored row.
 * - status processed/failed → a duplicate: nothing is done.
 * - status received → either still being handled (by this or another instance) or left behind by a
 *   crash. `claimedAt` holds the time its processing was claimed; a claim older than the lease
 *   (INBOUND_LEASE_S) is taken over (conditional update, so one instance wins) and the
 *   message is processed again. Replies are keyed `reply:<inboundId>:<n>` and revisions are written
 *   in one transaction with the draft removal, so the second run cannot send or store twice.
 */
export type RecordResult =
  | { kind: "new"; row: InboundMessage }
  | { kind: "resumed"; row: InboundMessage }
  | { kind: "duplicate"; row: InboundMessage };

export async function recordInbound(
  db: Db,
  event: InboundEvent,
  now: Date,
  leaseMs: number,
): Promise<RecordResult> {
  try {
    const row = await db.inboundMessage.create({ data: { ...inboundRow(event), claimedAt: now } });
    return { kind: "new", row };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const existing = await db.inboundMessage.findUniqueOrThrow({
    where: { channel_externalId: { channel: event.channel, externalId: event.externalId } },
  });
  if (existing.status !== "received") return { kind: "duplicate", row: existing };
  const claimedAt = existing.claimedAt;
  if (claimedAt === null) {
    // stored ahead by the transport (acceptInbound), not yet claimed by anyone
    const { count } = await db.inboundMessage.updateMany({
      where: { id: existing.id, status: "received", claimedAt: null },
      data: { claimedAt: now },
    });
    return count === 1
      ? { kind: "new", row: { ...existing, claimedAt: now } }
      : { kind: "duplicate", row: existing };
  }
  if (claimedAt && claimedAt.getTime() > now.getTime() - leaseMs) return { kind: "duplicate", row: existing };
  const { count } = await db.inboundMessage.updateMany({
    where: { id: existing.id, status: "received", claimedAt },
    data: { claimedAt: now },
  });
  if (count !== 1) return { kind: "duplicate", row: existing };
  return { kind: "resumed", row: { ...existing, claimedAt: now } };
}

export async function finishInbound(
  db: Db,
  id: number,
  result: { status: "processed" | "failed"; contactId?: string; error?: string; at: Date },
): Promise<void> {
  await db.inboundMessage.update({
    where: { id },
    data: {
      status: result.status,
      processedAt: result.at,
      contactId: result.contactId ?? null,
      error: result.error ? result.error.slice(0, 1000) : null,
    },
  });
}

/**
 * Several bot instances on one database: waits until no earlier message of the same sender is being
 * handled by another instance (stored, claim still fresh), so one contact's messages are handled in
 * arrival order everywhere — a follow-up with the missing values must see the draft the previous
 * message wrote. Within one process the per-sender queue already orders them. Gives up waiting after
 * the lease (the other instance is then presumed dead and its row is resumed later).
 */
export async function waitForEarlierFromSender(
  db: Db,
  row: Pick<InboundMessage, "id" | "channel" | "senderRef">,
  clock: { now(): Date },
  leaseMs: number,
  pollMs = 50,
): Promise<void> {
  const deadline = Date.now() + leaseMs;
  for (;;) {
    const busy = await db.inboundMessage.count({
      where: {
        channel: row.channel,
        senderRef: row.senderRef,
        id: { lt: row.id },
        status: "received",
        claimedAt: { gt: new Date(clock.now().getTime() - leaseMs) },
      },
    });
    if (busy === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Stores an inbound message durably before the transport acknowledges it (WeCom does not retry after
 * its 200), unclaimed; `handle` claims it afterwards. Idempotent: a redelivery finds the row.
 */
export async function acceptInbound(db: Db, event: InboundEvent): Promise<void> {
  try {
    await db.inboundMessage.create({ data: inboundRow(event) });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
}

function inboundRow(event: InboundEvent) {
  return {
    channel: event.channel,
    externalId: event.externalId,
    senderRef: event.senderRef,
    chatRef: event.chatRef ?? null,
    kind: event.kind,
    text: event.text,
    receivedAt: event.receivedAt,
    status: "received",
  };
}
