import type { ChannelSpec } from "../transport.js";

/** Identity channel (ContactIdentity.channel) of a WeCom userid: the self-built app and the 智能机器人 share it. */
export const WECOM_USERID = "wecom";
/**
 * Group identity channels (ChatGroupIdentity.channel): a WeCom chatid (app group chats and the
 * 智能机器人's groups share it, as the roster's one chatid column), and the NAME of the
 * environment variable holding a group robot's webhook key (the key itself never enters the store).
 */
export const WECOM_CHAT_ID = "wecom_chat";
export const ROBOT_KEY_ENV = "wecom_robot_key_env";

const APP_NOT_CONFIGURED = "未配置企业微信应用（WECOM_* 变量）";

/**
 * The self-built app (callback in, message/send out), its app group chats and group-robot
 * webhooks. Text ≤ 2048 bytes on all three (DOC/90236, 90248, 91770), robot markdown ≤ 4096 bytes;
 * robot 20 messages a minute per robot; app messages are budgeted per member in wecom-rate-limits.ts.
 * The app's callback carries no files (they are answered with where to send a spreadsheet).
 */
export const wecomAppChannel: ChannelSpec = {
  inbound: "wecom",
  identity: WECOM_USERID,
  outbox: {
    wecom_app: {
      limits: { bytes: 2048 },
      capabilities: { cards: true, files: true, groups: false, mentions: false },
      delivery: {
        unavailable: (c) => (c.wecomEnabled ? undefined : APP_NOT_CONFIGURED),
        contactIdentity: WECOM_USERID,
        markdownBytes: 2048,
      },
    },
    wecom_appchat: {
      limits: { bytes: 2048 },
      capabilities: { cards: false, files: true, groups: true, mentions: false },
      delivery: {
        unavailable: (c) => (c.wecomEnabled ? undefined : APP_NOT_CONFIGURED),
        groupIdentities: [WECOM_CHAT_ID],
        noGroupAddress: "群聊未填写企业微信 chatid",
        markdownBytes: 2048,
      },
    },
    wecom_robot: {
      limits: { bytes: 2048, perMinute: 20 },
      capabilities: { cards: false, files: true, groups: true, mentions: true },
      delivery: {
        // each robot has its own key: whether one is configured is a question per group
        unavailable: () => undefined,
        // the recipient is the env-var NAME; the sender looks the key up at send time
        groupIdentities: [ROBOT_KEY_ENV],
        noGroupAddress: "群机器人未填写密钥变量名",
        recipientUnavailable: (c, name) =>
          c.robotKeys[name] ? undefined : `环境变量 ${name} 未设置（群机器人密钥）`,
        mentionIdentity: WECOM_USERID,
        markdownBytes: 4096,
      },
    },
  },
  receives: { files: false },
  replyAddress: (e) => ({ channel: "wecom_app", recipient: e.senderRef }),
};
