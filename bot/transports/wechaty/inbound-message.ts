import type { Message } from "wechaty";
import { types } from "wechaty";
import type { AppContext } from "../../../src/app-context.js";
import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
import type { Logger } from "../../../src/log/logger.js";
import { findContact } from "../../../src/programme/programme-repository.js";
import { WECHAT_ID } from "./channel.js";
import type { RosterBinder } from "./roster-binder.js";
import { wechatTexts } from "./wechat-texts.js";

/** Non-text messages that get the polite "text only" reply (1:1, roster contacts only). */
const NON_TEXT = new Set<number>([
  types.Message.ChatHistory,
  types.Message.Contact,
  types.Message.Emoticon,
  types.Message.Location,
  types.Message.MiniProgram,
  types.Message.Url,
]);

/** Media answered by the "how to send figures" handler (as events with an attachment but no bytes). */
const MEDIA = new Map<number, { kind: "image" | "voice" | "video"; text: string }>([
  [types.Message.Image, { kind: "image", text: "[图片]" }],
  [types.Message.Audio, { kind: "voice", text: "[语音]" }],
  [types.Message.Video, { kind: "video", text: "[视频]" }],
]);

export type InboundDecision =
  | { kind: "event"; event: InboundEvent }
  | { kind: "text_only_reply"; talkerId: string }
  | { kind: "ignored"; why: string };

/**
 * What a WeChat message means for the bot:
 * - the bot's own messages, official accounts and system notices are ignored;
 * - 1:1 text → an InboundEvent (externalId = message id, senderRef = the talker's WeChat id);
 * - group text only when the bot is @-mentioned by a friend (the mention is cut off; chatRef = room
 *   id) — group chats are busy and the bot must not answer every line; replies go 1:1, which WeChat
 *   allows only between friends;
 * - 1:1 files (FileBox) → an event with the file's bytes (read as a report workbook); pictures, voice
 *   and video → an event with a media attachment (answered with how to send figures);
 * - other 1:1 non-text from a roster contact → a polite "text only" reply; in groups, nothing.
 */
export async function interpretMessage(
  msg: Message,
  deps: { receivedAt: Date; maxFileBytes?: number },
): Promise<InboundDecision> {
  const direct = directText(msg, deps.receivedAt);
  if (direct) return { kind: "event", event: direct };
  if (msg.self()) return { kind: "ignored", why: "own message" };
  const talker = msg.talker();
  // official accounts push articles; people (WeChat or WeCom users) are Individual/Corporation/Unknown
  if (talker.type() === types.Contact.Official) return { kind: "ignored", why: "official account" };
  const room = msg.room();
  if (room && !(await msg.mentionSelf())) return { kind: "ignored", why: "group message without @" };
  // the reply to a group mention goes 1:1, which WeChat refuses for members who are not friends
  if (room && talker.friend() === false)
    return { kind: "ignored", why: "@ from a group member who is not a friend" };
  const type = msg.type();
  const base = {
    channel: "wechat" as const,
    externalId: msg.id,
    senderRef: talker.id,
    receivedAt: deps.receivedAt,
  };
  if (!room && type === types.Message.Attachment) {
    // a file (FileBox): read within the size limit; beyond it the handler refuses without downloading
    const box = await msg.toFileBox();
    const max = deps.maxFileBytes ?? 5 * 1024 * 1024;
    const known = typeof box.size === "number" && box.size >= 0 ? box.size : undefined;
    const bytes = known !== undefined && known > max ? undefined : await box.toBuffer();
    const attachment = {
      kind: "file" as const,
      fileName: box.name,
      ...(bytes && bytes.length <= max ? { bytes } : { size: known ?? bytes?.length ?? 0 }),
    };
    return { kind: "event", event: { ...base, kind: "text", text: `[文件] ${box.name}`, attachment } };
  }
  const media = MEDIA.get(type);
  if (!room && media)
    return {
      kind: "event",
      event: { ...base, kind: "text", text: media.text, attachment: { kind: media.kind } },
    };
  if (type !== types.Message.Text) {
    if (room || !NON_TEXT.has(type)) return { kind: "ignored", why: `message type ${types.Message[type]}` };
    return { kind: "text_only_reply", talkerId: talker.id };
  }
  const text = (room ? await msg.mentionText() : msg.text()).trim();
  if (text === "") return { kind: "ignored", why: "empty text" };
  return {
    kind: "event",
    event: {
      channel: "wechat",
      externalId: msg.id,
      senderRef: talker.id,
      ...(room ? { chatRef: room.id } : {}),
      kind: "text",
      text,
      receivedAt: deps.receivedAt,
    },
  };
}

/**
 * A 1:1 text from a person, read from what the puppet has already delivered (no remote call, no
 * await): the event that can be stored before anything else happens. Undefined for anything else.
 */
export function directText(msg: Message, receivedAt: Date): InboundEvent | undefined {
  if (msg.self() || msg.room() || msg.type() !== types.Message.Text) return undefined;
  const talker = msg.talker();
  if (talker.type() === types.Contact.Official) return undefined;
  const text = msg.text().trim();
  if (text === "") return undefined;
  return { channel: "wechat", externalId: msg.id, senderRef: talker.id, kind: "text", text, receivedAt };
}

/**
 * Runs one message: to the inbound entry point, or the text-only reply through the outbox.
 *
 * WeChat does not redeliver, so the message is stored (`accept`) before any await that can fail: a
 * 1:1 text — what contacts send — is stored as the very first await; a group @-mention or a file
 * after the puppet calls that decide whether it is one (mention list, file download), and before
 * binding the talker and handling. A failure after that leaves the row "received", unclaimed, and
 * resumeUnfinishedInbound runs it again. (A resumed file message has no bytes: files are not stored
 * in the inbound row; the handler then asks for the file again.)
 */
export async function handleWechatMessage(
  msg: Message,
  deps: {
    app: AppContext;
    binder: RosterBinder;
    log: Logger;
    onEvent: (e: InboundEvent) => Promise<unknown>;
    /** Stores the event durably, unclaimed (acceptInbound); `onEvent` claims it. */
    accept?: (e: InboundEvent) => Promise<unknown>;
  },
): Promise<InboundDecision> {
  const receivedAt = deps.app.clock.now();
  const direct = directText(msg, receivedAt);
  if (direct && deps.accept) await deps.accept(direct);
  const decision: InboundDecision = direct
    ? { kind: "event", event: direct }
    : await interpretMessage(msg, { receivedAt, maxFileBytes: deps.app.config.FILE_MAX_BYTES });
  switch (decision.kind) {
    case "event":
      if (!direct && deps.accept) await deps.accept(decision.event);
      deps.log.debug(
        { msgId: decision.event.externalId, from: decision.event.senderRef },
        "wechaty: inbound",
      );
      await deps.binder.bindTalker(msg.talker());
      await deps.onEvent(decision.event);
      break;
    case "text_only_reply": {
      await deps.binder.bindTalker(msg.talker());
      const known = await findContact(deps.app.store.db, WECHAT_ID, decision.talkerId);
      if (!known?.active) return { kind: "ignored", why: "non-text from a contact not on the roster" };
      await deps.app.outbox.enqueue({
        idempotencyKey: `wechat-text-only:${msg.id}`,
        channel: "wechat",
        recipient: decision.talkerId,
        msgType: "text",
        payload: { content: wechatTexts.textOnly },
        purpose: "reply",
      });
      break;
    }
    case "ignored":
      deps.log.trace({ msgId: msg.id, why: decision.why }, "wechaty: message ignored");
      break;
  }
  return decision;
}
