import type { AppContext } from "../../src/app-context.js";
import type { Tx } from "../../src/db/database.js";
import { isSqlTx, type SqlTx } from "../../src/db/sql.js";
import type { ReplyAddress } from "../../src/inbound/inbound-event.js";
import type { NewOutboxMessage } from "../../src/outbox/outbox-message.js";
import type { Reply } from "../handlers/handler.js";
import type { ChannelRegistry } from "../transports/channel-registry.js";
import { splitForChannel } from "./reply-limits.js";

export interface Replier {
  reply(reply: Reply | string, tx?: Tx | SqlTx): Promise<void>;
  /**
   * Outbox rows newly created by this replier and committed (an existing key is not counted; a row
   * queued in a transaction counts once that transaction has committed). undefined once a row was
   * queued inside an ORM transaction, whose commit cannot be observed: count the rows instead.
   */
  readonly queued: number | undefined;
}

/**
 * Queues the replies to one inbound message. Every outbox row gets the key `reply:<inboundId>:<n>`
 * with n counting rows in the order they are queued, so processing the same message again yields
 * the same keys and nothing is sent twice. Text is split into numbered parts for the channel;
 * a card goes only where the channel has cards (elsewhere the text goes alone); a file follows the
 * text; in a group the text @-mentions the sender where the channel can.
 */
export function createReplier(
  app: AppContext,
  inboundId: number,
  to: ReplyAddress,
  registry: ChannelRegistry,
): Replier {
  const can = registry.capabilities(to.channel);
  const mentions = to.mention && can.mentions ? { mentions: [to.mention] } : {};
  let n = 0;
  let queued: number | undefined = 0;
  const messages = (r: Reply): NewOutboxMessage[] => {
    const base = { channel: to.channel, recipient: to.recipient, purpose: "reply" as const };
    const out: NewOutboxMessage[] = [];
    if (r.text.trim() !== "") {
      for (const part of splitForChannel(to.channel, r.text, registry)) {
        out.push({ ...base, idempotencyKey: "", msgType: "text", payload: { content: part, ...mentions } });
      }
    }
    if (r.card && can.cards) {
      out.push({
        ...base,
        idempotencyKey: "",
        msgType: "template_card",
        payload: { card: r.card, fallbackText: r.text },
      });
    }
    if (r.file) {
      out.push({
        ...base,
        idempotencyKey: "",
        msgType: "file",
        payload: { path: r.file.path, filename: r.file.filename },
      });
    }
    return out;
  };
  return {
    get queued() {
      return queued;
    },
    async reply(reply, tx) {
      const r = typeof reply === "string" ? { text: reply } : reply;
      for (const m of messages(r)) {
        n += 1;
        const res = await app.outbox.enqueue({ ...m, idempotencyKey: `reply:${inboundId}:${n}` }, tx);
        if (!res.created) continue;
        if (!tx)
          queued = queued === undefined ? undefined : queued + 1; // committed by its own statement
        else if (isSqlTx(tx))
          tx.afterCommit(() => {
            if (queued !== undefined) queued += 1;
          });
        else queued = undefined;
      }
    },
  };
}
