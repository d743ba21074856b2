import type { OutboxChannel } from "../../src/domain/codes.js";
import { splitByBytes, splitByChars } from "../../src/text/split-by-bytes.js";

/**
 * Size limits of one text message per outbox channel: WeCom app/app-chat/robot text 2048 bytes;
 * personal WeChat has no documented limit, long messages get folded, so parts stay ≤ 1500
 * characters; the console takes anything.
 */
export const TEXT_LIMITS: Record<OutboxChannel, { bytes?: number; chars?: number }> = {
  wecom_app: { bytes: 2048 },
  wecom_appchat: { bytes: 2048 },
  wecom_robot: { bytes: 2048 },
  wechat: { chars: 1500 },
  wechat_room: { chars: 1500 },
  console: {},
};

/** The text as numbered parts that each fit one message on the channel. */
export function splitForChannel(channel: OutboxChannel, text: string): string[] {
  const limit = TEXT_LIMITS[channel];
  if (limit.bytes !== undefined) return splitByBytes(text, limit.bytes, { numbered: true });
  if (limit.chars !== undefined) return splitByChars(text, limit.chars, { numbered: true });
  return [text];
}
