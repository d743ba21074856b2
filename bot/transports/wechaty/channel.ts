import type { ChannelSpec } from "../transport.js";

/** Identity channels (ContactIdentity.channel) this transport owns: the WeChat id (wxid) a message comes from. */
export const WECHAT_ID = "wechat";
/** The 微信号/remark the roster gives, by which the binder finds a contact whose id changed. */
export const WECHAT_ALIAS = "wechat_alias";

/** Personal WeChat: no documented text limit, but long messages get folded, so parts stay ≤ 1500 characters. */
export const wechatyChannel: ChannelSpec = {
  inbound: "wechat",
  identity: WECHAT_ID,
  outbox: {
    wechat: {
      limits: { chars: 1500 },
      capabilities: { cards: false, files: true, groups: false, mentions: false },
    },
    wechat_room: {
      limits: { chars: 1500 },
      capabilities: { cards: false, files: true, groups: true, mentions: true },
    },
  },
  replyAddress: (e) => ({ channel: "wechat", recipient: e.senderRef }),
};
