import type { ChannelSpec } from "../transport.js";

/** Identity channel (ContactIdentity.channel) of a WeCom userid: the self-built app and the 智能机器人 share it. */
export const WECOM_USERID = "wecom";

/**
 * The self-built app (callback in, message/send out), its app group chats and group-robot
 * webhooks. Text ≤ 2048 bytes on all three (DOC/90236, 90248, 91770); robot 20 messages a minute
 * per robot; app messages are budgeted per member in wecom-rate-limits.ts.
 */
export const wecomAppChannel: ChannelSpec = {
  inbound: "wecom",
  identity: WECOM_USERID,
  outbox: {
    wecom_app: {
      limits: { bytes: 2048 },
      capabilities: { cards: true, files: true, groups: false, mentions: false },
    },
    wecom_appchat: {
      limits: { bytes: 2048 },
      capabilities: { cards: false, files: true, groups: true, mentions: false },
    },
    wecom_robot: {
      limits: { bytes: 2048, perMinute: 20 },
      capabilities: { cards: false, files: true, groups: true, mentions: true },
    },
  },
  replyAddress: (e) => ({ channel: "wecom_app", recipient: e.senderRef }),
};
