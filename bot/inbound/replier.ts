import type { AppContext } from "../../src/app-context.js";
import type { Tx } from "../../src/db/database.js";
import type { SqlTx } from "../../src/db/sql.js";
import type { ReplyAddress } from "../../src/inbound/inbound-event.js";
import type { NewOutboxMessage } from "../../src/outbox/outbox-message.js";
import type { Reply } from "../handlers/handler.js";
import { splitForChannel } from "./reply-limits.js";

export interface Replier {
  reply(reply: Reply | string, tx?: Tx | SqlTx): Promise<void>;
  /** Outbox rows newly created by this replier (an existing key is not counted). */
  readonly queued: number;
}

/**
 * Queues the replies to one inbound message. Every outbox row gets the key `reply:<inboundId>:<n>`
 * with n counting rows in the order they are queued, so processing the same message again yields
 * the same keys and nothing is sent twice. Text is split into numbered parts for the channel;
 * a card goes to WeCom app messages only (other channels get the text alone); a file follows the text.
 */
export function createReplier(app: AppContext, inboundId: number, to: ReplyAddress): Replier {
  let n = 0;
  let queued = 0;
  const messages = (r: Reply): NewOutboxMessage[] => {
    const base = { channel: to.channel, recipient: to.recipient, purpose: "reply" as const };
    const out: NewOutboxMessage[] = [];
    if (r.text.trim() !== "") {
      for (const part of splitForChannel(to.channel, r.text)) {
        out.push({ ...base, idempotencyKey: "", msgType: "text", payload: { content: part } });
      }
    }
    if (r.card && to.channel === "wecom_app") {
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
        if (res.created) queued += 1;
      }
    },
  };
}
