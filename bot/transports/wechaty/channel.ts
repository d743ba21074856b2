import type { ChannelSpec } from "../transport.js";

/** Identity channels (ContactIdentity.channel) this transport owns: the WeChat id (wxid) a message comes from. */
export const WECHAT_ID = "wechat";
/** The 微信号/remark the roster gives, by which the binder finds a contact whose id changed. */
export const WECHAT_ALIAS = "wechat_alias";
/** Group identity channels (ChatGroupIdentity.channel): a room's id, and its name (topic) until the id is bound. */
export const WECHAT_ROOM_ID = "wechat_room_id";
export const WECHAT_TOPIC = "wechat_topic";

const NOT_ENABLED = "未启用个人微信（WECHATY_PUPPET）";

/** Personal WeChat: no documented text limit, but long messages get folded, so parts stay ≤ 1500 characters. */
export const wechatyChannel: ChannelSpec = {
  inbound: "wechat",
  identity: WECHAT_ID,
  outbox: {
    wechat: {
      limits: { chars: 1500 },
      capabilities: { cards: false, files: true, groups: false, mentions: false },
      delivery: {
        unavailable: (c) => (c.wechatyEnabled ? undefined : NOT_ENABLED),
        contactIdentity: WECHAT_ID,
      },
    },
    wechat_room: {
      limits: { chars: 1500 },
      capabilities: { cards: false, files: true, groups: true, mentions: true },
      delivery: {
        unavailable: (c) => (c.wechatyEnabled ? undefined : NOT_ENABLED),
        // the sender finds a room by id, or by its name when the roster gave only that
        groupIdentities: [WECHAT_ROOM_ID, WECHAT_TOPIC],
        noGroupAddress: "群聊未填写微信群 id 或群名",
      },
    },
  },
  receives: { files: true },
  replyAddress: (e) => ({ channel: "wechat", recipient: e.senderRef }),
};
