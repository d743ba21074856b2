import type { TransportModule } from "../transport.js";
import { WECOM_BOT, wecomBotChannel } from "./channel.js";
import type { FileListener, WecomBotTuning } from "./start-wecom-bot-transport.js";

/**
 * The 智能机器人 transport on WeCom's own SDK, @wecom/aibot-node-sdk (its WSClient does the
 * subscribe, heartbeat, reconnect with backoff, reply acks and media upload; nothing here speaks the
 * protocol itself). WeCom keeps one long connection per bot id, so the instance holding the lease
 * "wecom_bot:<botId>" connects and the others stand by (their dispatchers keep working on the other
 * channels; wecom_bot rows wait for the holder). Inbound frames go to `handle`, deduplicated by
 * msgid; a card click is answered by updating the card in place (≤ 5 s, with the click's req_id).
 */
export function wecomBotTransport(tuning: WecomBotTuning = {}, onFile?: FileListener): TransportModule {
  return {
    name: WECOM_BOT,
    channels: wecomBotChannel,
    start: async (ctx) => {
      if (!ctx.app.config.wecomBotEnabled) return undefined;
      // dynamic: deployments without the 智能机器人 never load the SDK
      const { startWecomBot } = await import("./start-wecom-bot-transport.js");
      return startWecomBot(ctx, tuning, onFile);
    },
  };
}
