import type { Config } from "../../src/config/config.js";
import type { DeliveryRoutes } from "../../src/delivery/delivery-routes.js";
import { ChannelRegistry } from "./channel-registry.js";
import { consoleChannel } from "./console/channel.js";
import { buildDeliveryRoutes } from "./delivery-routes.js";
import type { ChannelSpec, TransportModule } from "./transport.js";
import { wechatyTransport } from "./wechaty/wechaty-module.js";
import { wecomAppChannel } from "./wecom-app/channel.js";
import { wecomBotTransport } from "./wecom-bot/wecom-bot-module.js";

/**
 * The platforms, one line each: composition starts every module whose platform is configured.
 * Adding a platform = a folder bot/transports/<name>/ exporting a TransportModule, plus its line
 * here. (The console and the self-built app are wired by compose.ts itself: the console sender
 * serves `kaiqu chat`, the app's callback route lives on the one HTTP server; their ChannelSpecs
 * are listed below all the same.) The order is the order of preference when a contact is known
 * on several platforms: the self-built app, then these, then the console (the fallback).
 */
export const TRANSPORT_MODULES: readonly TransportModule[] = [wecomBotTransport(), wechatyTransport];

/** Every channel spec, for routing replies (also of transports not started in this process). */
export function builtInChannels(modules: readonly TransportModule[] = TRANSPORT_MODULES): ChannelSpec[] {
  return [wecomAppChannel, ...modules.map((m) => m.channels), consoleChannel];
}

export function channelRegistry(modules: readonly TransportModule[] = TRANSPORT_MODULES): ChannelRegistry {
  return new ChannelRegistry(builtInChannels(modules));
}

/** The core's delivery port (AppContext.routes) for this config. */
export function deliveryRoutes(
  config: Config,
  modules: readonly TransportModule[] = TRANSPORT_MODULES,
): DeliveryRoutes {
  return buildDeliveryRoutes(builtInChannels(modules), config);
}
