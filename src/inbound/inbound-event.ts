import type { InboundChannel, OutboxChannel } from "../domain/codes.js";

/**
 * What every transport hands to the one inbound entry point, `handle(event)` (bot/inbound/handle.ts).
 * Transports translate their wire format into this and nothing else.
 */
export interface InboundEvent {
  channel: InboundChannel;
  /** Unique per message within the channel (WeCom MsgId; for events sender+CreateTime+key; WeChat message id). Redeliveries repeat it. */
  externalId: string;
  /** The sender as the channel names it: WeCom userid, WeChat contact id, or the contact id on the console. */
  senderRef: string;
  /** Group chat the message came from, when not a 1:1 message. */
  chatRef?: string;
  /** text: typed text. action: a button click (card), `text` holds the button key. */
  kind: "text" | "action";
  text: string;
  receivedAt: Date;
}

/**
 * Where replies to an inbound message go: set by the transport that owns the channel
 * (bot/transports/channel-registry.ts). `mention`: a group reply @-mentions the sender.
 */
export interface ReplyAddress {
  channel: OutboxChannel;
  recipient: string;
  mention?: string;
}
