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
  /**
   * A file, picture, voice note, video, location, link or other message the bot cannot read as text
   * (`text` then holds a short description such as "[文件] 报送.xlsx" or "[位置]", which is what the
   * inbound row stores). Files carry their bytes, read by the transport within its size limit;
   * everything else carries none and only gets the polite "how to send the figures" reply.
   */
  attachment?: InboundAttachment;
}

export interface InboundAttachment {
  /** `other`: a message kind the transport has no name for (it is still answered, never dropped). */
  kind: "file" | "image" | "voice" | "video" | "location" | "link" | "other";
  fileName?: string;
  /** The file's content (kind "file"); absent when the transport refused it for its size. */
  bytes?: Buffer;
  /** Size announced by the platform, when it did not download a file beyond the limit. */
  size?: number;
  /**
   * The message is run again after a crash (bot/inbound/resume-unfinished.ts): only its row was
   * stored, not the file's bytes, so the sender is asked to send the file again.
   */
  resumed?: true;
}

/** Every attachment kind, as the inbound row's `kind` column stores it (besides "text" and "action"). */
export const ATTACHMENT_KINDS: readonly InboundAttachment["kind"][] = [
  "file",
  "image",
  "voice",
  "video",
  "location",
  "link",
  "other",
];

/**
 * Where replies to an inbound message go: set by the transport that owns the channel
 * (bot/transports/channel-registry.ts). `mention`: a group reply @-mentions the sender.
 */
export interface ReplyAddress {
  channel: OutboxChannel;
  recipient: string;
  mention?: string;
}
