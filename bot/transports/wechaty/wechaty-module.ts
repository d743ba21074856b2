import type { TransportModule } from "../transport.js";
import { wechatyChannel } from "./channel.js";

/** Personal WeChat, started only when WECHATY_PUPPET is set (wechaty is imported dynamically then). */
export const wechatyTransport: TransportModule = {
  name: "wechaty",
  channels: wechatyChannel,
  start: async (ctx) => {
    if (!ctx.app.config.wechatyEnabled) return undefined;
    const { startWechatyTransport } = await import("./start-wechaty-transport.js");
    const w = await startWechatyTransport(ctx.app, ctx.handle, ctx.accept ? { accept: ctx.accept } : {});
    return {
      name: "wechaty",
      senders: w.senders as Record<string, import("../../../src/outbox/dispatcher.js").ChannelSender>,
      status: () => ({ ...(w.status() as unknown as Record<string, unknown>) }),
      stop: () => w.stop(),
    };
  },
};
