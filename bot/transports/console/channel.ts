import type { ChannelSpec } from "../transport.js";

/**
 * The console (`kaiqu chat`, `kaiqu report`): the contact id is the address; no limits. It is the
 * delivery fallback: a contact no platform reaches is addressed here, which records what would
 * have been sent (nobody reads it on a running bot).
 */
export const consoleChannel: ChannelSpec = {
  inbound: "console",
  outbox: {
    console: {
      limits: {},
      capabilities: { cards: false, files: true, groups: false, mentions: false },
      delivery: { unavailable: () => undefined, fallback: true },
    },
  },
  receives: { files: true },
  replyAddress: (e) => ({ channel: "console", recipient: e.senderRef }),
};
