import type { AppContext } from "../../src/app-context.js";
import type { Tx } from "../../src/db/database.js";
import type { SqlTx } from "../../src/db/sql.js";
import type { InboundEvent, ReplyAddress } from "../../src/inbound/inbound-event.js";
import type { ContactDef } from "../../src/programme/programme.js";

/** One reply to the sender; split into parts by the transport's byte limit before it is queued. */
export interface Reply {
  text: string;
  /** Optional WeCom template card (buttons); other channels send `text`. */
  card?: Record<string, unknown>;
  /** Optional file to send after the text (absolute path written by the bot). */
  file?: { path: string; filename: string };
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
  /** Message text after trimming (for actions: the button key). */
  text: string;
  /**
   * Queues a reply through the outbox, keyed by the inbound message (so reprocessing never
   * sends twice). Pass `tx` to commit the reply together with the handler's writes.
   */
  reply(reply: Reply | string, tx?: Tx | SqlTx): Promise<void>;
  /**
   * Marks the message processed inside the handler's last writing transaction (with its receipt), so
   * that the message is finished by the same commit as its writes. Optional for a handler: `handle`
   * marks every message that is still unfinished after its handler ran.
   */
  finishIn(tx: SqlTx): Promise<void>;
}

/**
 * A chat command or dialogue step. The router asks handlers in ascending `priority` and runs
 * the first whose `matches` returns true. Handler modules live in bot/handlers/ and are listed
 * in bot/handlers/registry.ts.
 */
export interface Handler {
  name: string;
  priority: number;
  matches(ctx: HandlerContext): boolean | Promise<boolean>;
  run(ctx: HandlerContext): Promise<void>;
}
