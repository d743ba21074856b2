import { z } from "zod";
import { type OutboxChannel, outboxChannelSchema } from "../domain/codes.js";

/** `cancelled`: withdrawn before sending by a pre-send check (reason in lastError), never sent. */
export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "cancelled"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const MSG_TYPES = ["text", "markdown", "file", "image", "template_card"] as const;
export type MsgType = (typeof MSG_TYPES)[number];

export const PURPOSES = ["reply", "reminder", "digest", "circular", "alert"] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * Payload by msgType:
 * - text / markdown: { content } (already within the channel's byte limit, see splitByBytes)
 * - file: { path, filename } — a file the bot wrote, uploaded at send time
 * - image: { path, filename } — a PNG/JPG the bot wrote (a chart), sent as a picture; channels without
 *   pictures send it as a file
 * - template_card: { card, fallbackText } — the WeCom template_card object; other channels send fallbackText
 */
export const outboxPayloadSchema = z.object({
  content: z.string().optional(),
  path: z.string().optional(),
  filename: z.string().optional(),
  card: z.record(z.string(), z.unknown()).optional(),
  fallbackText: z.string().optional(),
  /** WeCom userids to @-mention (group robot text). */
  mentions: z.array(z.string()).optional(),
});
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;

export interface NewOutboxMessage {
  /** Unique per logical message; enqueuing the same key again is a no-op. */
  idempotencyKey: string;
  channel: OutboxChannel;
  recipient: string;
  msgType: MsgType;
  payload: OutboxPayload;
  purpose: Purpose;
  /** Earliest send time (default now). */
  notBefore?: Date;
}

export const newOutboxMessageSchema = z.object({
  idempotencyKey: z.string().min(1).max(300),
  channel: outboxChannelSchema,
  recipient: z.string().min(1),
  msgType: z.enum(MSG_TYPES),
  payload: outboxPayloadSchema,
  purpose: z.enum(PURPOSES),
  notBefore: z.date().optional(),
});

/** What a channel sender reports back to the dispatcher. */
export type SendOutcome =
  | { kind: "sent"; externalMsgId?: string; errcode?: number }
  /**
   * Transient: try again after backoff (or after retryAfterMs). `partsSent`: parts already delivered.
   * `cause` (here and on fatal): names a failure shared by many rows (an app-wide configuration
   * error) so that the give-up alert goes out once per cause, not per row.
   */
  | {
      kind: "retry";
      errcode?: number;
      error: string;
      retryAfterMs?: number;
      partsSent?: number;
      cause?: string;
    }
  /** Permanent: give up, mark failed (configuration or content error). */
  | { kind: "fatal"; errcode?: number; error: string; partsSent?: number; cause?: string }
  /** Not attempted (rate budget, quiet hours, open breaker): try again at `until`; does not count as an attempt. */
  | { kind: "defer"; until: Date; reason: string };
