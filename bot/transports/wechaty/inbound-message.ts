import type { Message } from "wechaty";
import { types } from "wechaty";
import type { AppContext } from "../../../src/app-context.js";
import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
import type { Logger } from "../../../src/log/logger.js";
import type { RosterBinder } from "./roster-binder.js";
import { wechatTexts } from "./wechat-texts.js";

/** Non-text messages that get the polite "text only" reply (1:1, roster contacts only). */
const NON_TEXT = new Set<number>([
  types.Message.Attachment,
  types.Message.Audio,
  types.Message.ChatHistory,
  types.Message.Contact,
  types.Message.Emoticon,
  types.Message.Image,
  types.Message.Location,
  types.Message.MiniProgram,
  types.Message.Url,
  types.Message.Video,
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
 * - 1:1 non-text from a roster contact → a polite "text only" reply; in groups, nothing.
 */
export async function interpretMessage(
  msg: Message,
  deps: { binder: RosterBinder; receivedAt: Date },
): Promise<InboundDecision> {
  if (msg.self()) return { kind: "ignored", why: "own message" };
  const talker = msg.talker();
  // official accounts push articles; people (WeChat or WeCom users) are Individual/Corporation/Unknown
  if (talker.type() === types.Contact.Official) return { kind: "ignored", why: "official account" };
  const room = msg.room();
  if (room && !(await msg.mentionSelf())) return { kind: "ignored", why: "group message without @" };
  // the reply to a group mention goes 1:1, which WeChat refuses for members who are not friends
  if (room && talker.friend() === false)
    return { kind: "ignored", why: "@ from a group member who is not a friend" };
  await deps.binder.bindTalker(talker);
  const type = msg.type();
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

/** Runs one message: to the inbound entry point, or the text-only reply through the outbox. */
export async function handleWechatMessage(
  msg: Message,
  deps: {
    app: AppContext;
    binder: RosterBinder;
    log: Logger;
    onEvent: (e: InboundEvent) => Promise<unknown>;
  },
): Promise<InboundDecision> {
  const decision = await interpretMessage(msg, { binder: deps.binder, receivedAt: deps.app.clock.now() });
  switch (decision.kind) {
    case "event":
      deps.log.debug(
        { msgId: decision.event.externalId, from: decision.event.senderRef },
        "wechaty: inbound",
      );
      await deps.onEvent(decision.event);
      break;
    case "text_only_reply": {
      const known = await deps.app.store.db.contact.findFirst({
        where: { wechatId: decision.talkerId, active: true },
        select: { id: true },
      });
      if (!known) return { kind: "ignored", why: "non-text from a contact not on the roster" };
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
