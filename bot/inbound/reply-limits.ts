import { splitByBytes, splitByChars } from "../../src/text/split-by-bytes.js";
import type { ChannelRegistry } from "../transports/channel-registry.js";
import { channelRegistry } from "../transports/transports.js";

let defaultRegistry: ChannelRegistry | undefined;

/**
 * The text as numbered parts that each fit one message on the outbox channel, by the limits its
 * transport declares (bytes for WeCom, characters for personal WeChat, none on the console).
 */
export function splitForChannel(channel: string, text: string, registry?: ChannelRegistry): string[] {
  defaultRegistry ??= channelRegistry();
  const limit = (registry ?? defaultRegistry).limits(channel);
  if (limit.bytes !== undefined) return splitByBytes(text, limit.bytes, { numbered: true });
  if (limit.chars !== undefined) return splitByChars(text, limit.chars, { numbered: true });
  return [text];
}
