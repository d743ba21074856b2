import type { Db } from "../db/database.js";
import type { SqlTx } from "../db/sql.js";
import type { ContactDef } from "../programme/programme.js";
import type { Clock } from "../time/clock.js";

/** How a dialogue step ended (also what `handle` reports as its outcome). */
export type DialogueOutcome =
  /** revisions stored, receipt queued */
  | "stored"
  | "awaiting_confirmation"
  | "awaiting_missing"
  /** the 是否应为万元 question was asked */
  | "awaiting_unit"
  /** refused with a message naming the problem; nothing stored */
  | "refused"
  | "cancelled"
  /** an answer to a command (帮助, 模板, 进度, …) or nothing to do */
  | "info";

export interface DialogueResult {
  outcome: DialogueOutcome;
  /** The reply to send (for "stored": the receipt, already queued inside the storing transaction). */
  message: string;
  /** For awaiting_confirmation: the draft's token, carried by a confirmation card's buttons. */
  token?: string;
  /** True when `message` has already been queued. */
  queued?: boolean;
}

/** Everything a dialogue step needs; built by the chat handler per inbound message. */
export interface DialogueDeps {
  db: Db;
  clock: Clock;
  autoConfirm: boolean;
  draftTtlMin: number;
  contact: ContactDef;
  /** Inbound channel ("wecom", "wechat", "console"), recorded on revisions. */
  channel: string;
  inboundId: number;
  /** The roster cache's counter as read with the inbound message (loadReportingContext): no second read. */
  rosterVersion?: number;
  /** Queues the receipt in the transaction that stores the revisions. */
  queueReceipt(text: string, tx: SqlTx): Promise<void>;
}

export function result(outcome: DialogueOutcome, message: string, extra: Partial<DialogueResult> = {}) {
  return { outcome, message, ...extra } satisfies DialogueResult;
}
