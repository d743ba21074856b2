import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
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
 * Text messages and template-card button clicks become InboundEvents; everything else
 * (images, voice, enter_agent, …) is acknowledged and ignored (undefined).
 */
export function toInboundEvent(m: WecomCallbackMessage, receivedAt: Date): InboundEvent | undefined {
  const base = { channel: "wecom" as const, externalId: dedupeKey(m), senderRef: m.fromUserName, receivedAt };
  if (m.msgType === "text" && m.content !== undefined) return { ...base, kind: "text", text: m.content };
  if (isCardClick(m)) return { ...base, kind: "action", text: m.eventKey! };
  return undefined;
}
