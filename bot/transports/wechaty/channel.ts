import type { ChannelSpec } from "../transport.js";

/** Personal WeChat: no documented text limit, but long messages get folded, so parts stay ≤ 1500 characters. */
export const wechatyChannel: ChannelSpec = {
  inbound: "wechat",
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
