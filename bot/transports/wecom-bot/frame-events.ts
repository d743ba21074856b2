import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
import { WECOM_BOT } from "./channel.js";

/** A frame as the SDK hands it over (WsFrame<BaseMessage | EventMessage>). */
export interface BotFrame {
  cmd?: string;
  headers: { req_id: string };
  body?: BotBody;
}

export interface BotBody {
  msgid: string;
  aibotid?: string;
  chatid?: string;
  chattype?: "single" | "group";
  from: { userid: string };
  create_time?: number;
  msgtype: string;
  text?: { content: string };
  voice?: { content: string };
  mixed?: { msg_item: { msgtype: string; text?: { content: string } }[] };
  file?: { url: string; aeskey?: string };
  image?: { url: string; aeskey?: string };
  event?: { eventtype: string; event_key?: string; task_id?: string };
}

/**
 * A file someone sent the bot (1:1 only on WeCom). `download` fetches it through the SDK and
 * decrypts it with this message's own aeskey; WeCom's URL is valid for 5 minutes, so download
 * promptly. `filename` is known only after the download (Content-Disposition).
 */
export interface BotFile {
  kind: "file" | "image";
  url: string;
  download(): Promise<{ bytes: Buffer; filename?: string }>;
}

/** What a message frame is for the core: a text event, a file, or nothing the bot reads. */
export type FrameMeaning =
  | { kind: "event"; event: InboundEvent }
  | { kind: "file"; event: InboundEvent; file: Omit<BotFile, "download"> & { aeskey?: string } }
  | { kind: "card_click"; event: InboundEvent; taskId: string }
  | { kind: "ignored"; reason: string };

/** Leading @-mentions of a group message ("@经开区助手 惠水…"): WeCom leaves them in the text. */
const LEADING_MENTIONS = /^(?:\s*@\S+)+\s*/u;

/**
 * Translates a callback frame. Text, voice (WeCom's recognised text) and the text parts of a
 * mixed message become text events; a file or image a file; a template-card click an action whose
 * text is the button key. Dedupe is by msgid (the inbound store's unique (channel, externalId)).
 */
export function meaningOf(frame: BotFrame, receivedAt: Date): FrameMeaning {
  const b = frame.body;
  if (!b?.msgid || !b.from?.userid) return { kind: "ignored", reason: "frame without msgid or sender" };
  const base = {
    channel: WECOM_BOT,
    externalId: b.msgid,
    senderRef: b.from.userid,
    ...(b.chattype === "group" && b.chatid ? { chatRef: b.chatid } : {}),
    receivedAt,
  };
  const text = (t: string): InboundEvent => ({
    ...base,
    kind: "text",
    text: base.chatRef ? t.replace(LEADING_MENTIONS, "") : t,
  });
  switch (b.msgtype) {
    case "text":
      return { kind: "event", event: text(b.text?.content ?? "") };
    case "voice":
      return { kind: "event", event: text(b.voice?.content ?? "") };
    case "mixed": {
      const parts = (b.mixed?.msg_item ?? [])
        .filter((i) => i.msgtype === "text")
        .map((i) => i.text?.content ?? "");
      return { kind: "event", event: text(parts.join("\n")) };
    }
    case "file":
    case "image": {
      const media = b.msgtype === "file" ? b.file : b.image;
      if (!media?.url) return { kind: "ignored", reason: `${b.msgtype} without url` };
      return {
        kind: "file",
        event: text(""),
        file: { kind: b.msgtype, url: media.url, ...(media.aeskey ? { aeskey: media.aeskey } : {}) },
      };
    }
    case "event": {
      const e = b.event;
      if (e?.eventtype === "template_card_event" && e.event_key) {
        return {
          kind: "card_click",
          event: { ...base, kind: "action", text: e.event_key },
          taskId: e.task_id ?? "",
        };
      }
      return { kind: "ignored", reason: `event ${e?.eventtype ?? "?"}` };
    }
    default:
      return { kind: "ignored", reason: `msgtype ${b.msgtype}` };
  }
}
