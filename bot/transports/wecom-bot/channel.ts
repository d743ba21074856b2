import type { ChannelSpec } from "../transport.js";
import { WECOM_CHAT_ID, WECOM_USERID } from "../wecom-app/channel.js";

/** The 智能机器人's channel name, both inbound and outbox. */
export const WECOM_BOT = "wecom_bot";

/**
 * 智能机器人 over the long connection. A 1:1 message is answered to the user (chat id = userid), a
 * group message (the bot was @-mentioned) to the group, mentioning the sender. Limits: markdown
 * messages are kept to 4096 bytes each (the stream reply allows 20480; proactive pushes are kept
 * to the group-robot limit, the smaller documented one); WeCom allows ≤ 30 messages a minute and
 * ≤ 1000 an hour per conversation (DOC/101463).
 */
export const wecomBotChannel: ChannelSpec = {
  inbound: WECOM_BOT,
  identity: WECOM_USERID,
  outbox: {
    [WECOM_BOT]: {
      limits: { bytes: 4096, perMinute: 30, perHour: 1000 },
      capabilities: { cards: true, files: true, groups: true, mentions: true },
      delivery: {
        unavailable: (c) =>
          c.wecomBotEnabled ? undefined : "未配置智能机器人（WECOM_BOT_ID、WECOM_BOT_SECRET）",
        // a userid is also the chat id of the 1:1 conversation
        contactIdentity: WECOM_USERID,
        // the chat id the bot saw (pushes reach chats where it was messaged)
        groupIdentities: [WECOM_CHAT_ID],
        noGroupAddress: "群聊未填写智能机器人所在群的 chatid",
        markdownBytes: 4096,
      },
    },
  },
  receives: { files: true },
  replyAddress: (e) =>
    e.chatRef
      ? { channel: WECOM_BOT, recipient: e.chatRef, mention: e.senderRef }
      : { channel: WECOM_BOT, recipient: e.senderRef },
};
