import type { ChannelSender } from "../../../src/outbox/dispatcher.js";
import type { OutboxRow } from "../../../src/outbox/outbox.js";
import type { SendOutcome } from "../../../src/outbox/outbox-message.js";
import type { Clock } from "../../../src/time/clock.js";

/** The text a console row shows: its content, a card's fallback text, or a file line. */
export function consoleText(row: OutboxRow): string {
  const p = row.payload;
  if (row.msgType === "image") return `[图片] ${p.filename ?? ""} ${p.path ?? ""}`.trim();
  if (row.msgType === "file") return `[文件] ${p.filename ?? ""} ${p.path ?? ""}`.trim();
  if (row.msgType === "template_card") return p.fallbackText ?? JSON.stringify(p.card);
  return p.content ?? "";
}

/**
 * Delivers console-channel outbox rows by printing them. `recipient` limits it to one contact's
 * rows (a chat session); rows for others are put back untouched for a later pass (not printed,
 * not counted as an attempt).
 */
export function createConsoleSender(opts: {
  print: (text: string, row: OutboxRow) => void;
  clock: Clock;
  recipient?: string;
}): ChannelSender {
  return {
    async send(row: OutboxRow): Promise<SendOutcome> {
      if (opts.recipient !== undefined && row.recipient !== opts.recipient) {
        return {
          kind: "defer",
          until: new Date(opts.clock.now().getTime() + 60_000),
          reason: "console session of another contact",
        };
      }
      opts.print(consoleText(row), row);
      return { kind: "sent", externalMsgId: `console-${row.id}` };
    },
  };
}
