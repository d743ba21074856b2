import type { ChannelSpec } from "../transport.js";

/** The console (`kaiqu chat`, `kaiqu report`): the contact id is the address; no limits. */
export const consoleChannel: ChannelSpec = {
  inbound: "console",
  outbox: {
    console: { limits: {}, capabilities: { cards: false, files: true, groups: false, mentions: false } },
  },
  replyAddress: (e) => ({ channel: "console", recipient: e.senderRef }),
};
