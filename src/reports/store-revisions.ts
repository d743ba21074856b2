import type { Db, Tx } from "../db/database.js";
import { isUniqueViolation } from "../db/database.js";
import type { Period } from "../domain/period.js";
import type { Programme } from "../programme/programme.js";
import { localDate } from "../time/clock.js";
import type { Draft } from "./draft-store.js";
import { receiptMessage, type StoredZone } from "./report-messages.js";
import { isLate } from "./validate-report.js";

export interface StoreRevisionsInput {
  programme: Programme;
  period: Period;
  draft: Draft;
  contactId: string;
  channel: string;
  now: Date;
  /**
   * The draft as it was loaded (its Conversation row's updatedAt): it is deleted in the same
   * transaction, and when it is already gone (a second 确认 racing the first) nothing is stored.
   * Undefined for a report confirmed automatically (no stored draft).
   */
  draftUpdatedAt?: Date;
  queueReceipt(text: string, tx: Tx): Promise<void>;
}

export class DraftGoneError extends Error {
  constructor() {
    super("the draft was confirmed or cancelled meanwhile");
    this.name = "DraftGoneError";
  }
}

/**
 * Stores one confirmed revision per zone (revisionNo = max + 1 per year/quarter/zone), removes the
 * draft and queues the receipt — all in one transaction, so an error leaves nothing half-stored.
 * Two confirmations racing for the same zone collide on the unique revision number; the loser
 * retries with the next number.
 */
export async function storeRevisions(db: Db, input: StoreRevisionsInput): Promise<StoredZone[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => write(tx, input));
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 3) throw e;
    }
  }
}

async function write(tx: Tx, input: StoreRevisionsInput): Promise<StoredZone[]> {
  const { period, draft, now, contactId } = input;
  const { count } = await tx.conversation.deleteMany({
    where: input.draftUpdatedAt ? { contactId, updatedAt: input.draftUpdatedAt } : { contactId },
  });
  if (input.draftUpdatedAt && count !== 1) throw new DraftGoneError();
  const late = isLate(input.programme, period, localDate(now));
  const rawText = draft.rawTexts.join("\n\n");
  const inboundMessageId = draft.inboundIds[draft.inboundIds.length - 1] ?? null;
  const file = draft.files.at(-1);
  const stored: StoredZone[] = [];
  for (const s of draft.sections) {
    const last = await tx.reportRevision.findFirst({
      where: { year: period.year, quarter: period.quarter, zoneId: s.zoneId },
      orderBy: { revisionNo: "desc" },
      select: { revisionNo: true },
    });
    const revisionNo = (last?.revisionNo ?? 0) + 1;
    await tx.reportRevision.create({
      data: {
        year: period.year,
        quarter: period.quarter,
        zoneId: s.zoneId,
        revisionNo,
        status: "confirmed",
        values: JSON.stringify(s.values),
        contactId,
        channel: input.channel,
        inboundMessageId,
        rawText,
        ...(file ? { rawFileSha256: file.sha256, rawFilePath: file.path, rawFileName: file.name } : {}),
        late,
        createdAt: now,
        confirmedAt: now,
      },
    });
    stored.push({ zoneId: s.zoneId, revisionNo, values: s.values, late });
  }
  await input.queueReceipt(receiptMessage(input.programme, period, stored), tx);
  return stored;
}
