import type { AppContext } from "../../src/app-context.js";
import type { Tx } from "../../src/db/database.js";
import type { SqlTx } from "../../src/db/sql.js";
import type { InboundEvent, ReplyAddress } from "../../src/inbound/inbound-event.js";
import type { Logger } from "../../src/log/logger.js";
import type { ContactDef } from "../../src/programme/programme.js";
import type { DialogueOutcome } from "../../src/reports/dialogue-types.js";

/** One reply to the sender; split into parts by the transport's byte limit before it is queued. */
export interface Reply {
  text: string;
  /** Optional WeCom template card (buttons); other channels send `text`. */
  card?: Record<string, unknown>;
  /** Optional file to send after the text (absolute path written by the bot). */
  file?: { path: string; filename: string };
}

/** What a handler made of a message, for callers of `handle` (the CLI's exit code, tests, logs). */
export type HandleOutcome = DialogueOutcome;

/**
 * A handler's result: its outcome and the replies the entry point queues (in this order, keys
 * `reply:<inboundId>:<n>`). A handler never sends on its own; the one exception is a reply that
 * must commit with the handler's writes (the receipt with its revisions): `ctx.queueWith(tx, …)`.
 */
export interface HandlerResult {
  outcome?: HandleOutcome;
  replies: (Reply | string)[];
}

/** `answer("info", "text", …)`: the usual way to build a HandlerResult. */
export function answer(outcome: HandleOutcome | undefined, ...replies: (Reply | string)[]): HandlerResult {
  return outcome ? { outcome, replies } : { replies };
}

/** What a handler gets for one inbound message from a registered contact. */
export interface HandlerContext {
  app: AppContext;
  event: InboundEvent;
  /** The stored InboundMessage row id. */
  inboundId: number;
  contact: ContactDef;
  /** The roster cache's counter as read with the inbound message (see RosterCache.get's `seen`). */
  rosterVersion?: number;
  replyTo: ReplyAddress;
  /** Whether the event's transport carries files (its ChannelSpec's `receives`): what to suggest instead of a picture. */
  receivesFiles: boolean;
  /** Message text after trimming (for actions: the button key). */
  text: string;
  /** The event's child logger: inboundId, channel, externalId and contactId on every line. */
  log: Logger;
  /**
   * Queues a reply inside the handler's own transaction (the receipt written with its revisions), so
   * that both commit or neither does. Replies queued so come before the result's replies.
   */
  queueWith(tx: Tx | SqlTx, reply: Reply | string): Promise<void>;
  /**
   * Marks the message processed inside the handler's last writing transaction (with its receipt), so
   * that the message is finished by the same commit as its writes. Optional for a handler: `handle`
   * marks every message that is still unfinished after its handler ran.
   */
  finishIn(tx: SqlTx): Promise<void>;
}

/**
 * A chat command or dialogue step. The router (bot/handlers/router.ts, a Composer) asks handlers in
 * registration order and runs the first whose `matches` returns true.
 */
export interface Handler {
  name: string;
  matches(ctx: HandlerContext): boolean | Promise<boolean>;
  run(ctx: HandlerContext): Promise<HandlerResult>;
}
