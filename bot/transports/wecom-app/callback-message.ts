import type { InboundAttachment, InboundEvent } from "../../../src/inbound/inbound-event.js";
import { CallbackError } from "./callback-crypto.js";
import type { XmlFields } from "./callback-xml.js";

/** A decrypted application callback (DOC/90239, DOC/90240). MsgId stays a string (64-bit). */
export interface WecomCallbackMessage {
  toUserName: string;
  fromUserName: string;
  createTime: number;
  msgType: string;
  agentId?: string;
  content?: string;
  msgId?: string;
  event?: string;
  eventKey?: string;
  taskId?: string;
  cardType?: string;
  responseCode?: string;
}

const CARD_EVENTS = new Set(["template_card_event", "template_card_menu_event"]);

export function toCallbackMessage(f: XmlFields): WecomCallbackMessage {
  const need = (name: string): string => {
    const v = f[name];
    if (v === undefined || v === "") throw new CallbackError("bad_xml", `message lacks ${name}`);
    return v;
  };
  const createTime = need("CreateTime");
  if (!/^\d{1,12}$/.test(createTime)) throw new CallbackError("bad_xml", "CreateTime is not a unix time");
  return {
    toUserName: need("ToUserName"),
    fromUserName: need("FromUserName"),
    createTime: Number(createTime),
    msgType: need("MsgType"),
    agentId: f.AgentID,
    content: f.Content,
    msgId: f.MsgId || undefined,
    event: f.Event,
    eventKey: f.EventKey,
    taskId: f.TaskId,
    cardType: f.CardType,
    responseCode: f.ResponseCode,
  };
}

/**
 * The id WeCom repeats on redelivery: `msg:<MsgId>` for messages; for events (which have no
 * MsgId) sender + CreateTime + Event + TaskId + EventKey. Used both for the in-process dedupe
 * and as InboundEvent.externalId (the inbound handler dedupes on it in the store).
 */
export function dedupeKey(m: WecomCallbackMessage): string {
  if (m.msgId) return `msg:${m.msgId}`;
  return ["evt", m.fromUserName, m.createTime, m.event ?? "", m.taskId ?? "", m.eventKey ?? ""].join(":");
}

export function isCardClick(m: WecomCallbackMessage): boolean {
  return m.msgType === "event" && CARD_EVENTS.has(m.event ?? "") && !!m.eventKey;
}

/**
 * Messages WeCom pushes to an app that the bot cannot read (it pushes no files, DOC/90239): each
 * becomes an event with a byte-less attachment, answered with how to send the figures.
 */
const UNREADABLE: Record<string, { kind: Exclude<InboundAttachment["kind"], "file">; text: string }> = {
  image: { kind: "image", text: "[图片]" },
  voice: { kind: "voice", text: "[语音]" },
  video: { kind: "video", text: "[视频]" },
  shortvideo: { kind: "video", text: "[小视频]" },
  location: { kind: "location", text: "[位置]" },
  link: { kind: "link", text: "[链接]" },
};

/**
 * Text messages and template-card button clicks become InboundEvents. Every other *message* (it has
 * a MsgId) — image, voice, video, location, link, or a kind WeCom adds later — becomes an event with
 * a byte-less attachment: stored like any message, deduplicated by MsgId, and answered once with how
 * to send the figures. Events without a MsgId (enter_agent, subscribe, …) stay unanswered (undefined).
 */
export function toInboundEvent(m: WecomCallbackMessage, receivedAt: Date): InboundEvent | undefined {
  const base = { channel: "wecom" as const, externalId: dedupeKey(m), senderRef: m.fromUserName, receivedAt };
  if (m.msgType === "text" && m.content !== undefined) return { ...base, kind: "text", text: m.content };
  if (isCardClick(m)) return { ...base, kind: "action", text: m.eventKey! };
  if (!m.msgId || m.msgType === "event") return undefined;
  const known = Object.hasOwn(UNREADABLE, m.msgType) ? UNREADABLE[m.msgType] : undefined;
  const { kind, text } = known ?? { kind: "other" as const, text: `[${m.msgType.slice(0, 32)}]` };
  return { ...base, kind: "text", text, attachment: { kind } };
}
