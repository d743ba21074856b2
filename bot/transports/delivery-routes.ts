import type { Config } from "../../src/config/config.js";
import type { ChannelRoute, DeliveryRoutes } from "../../src/delivery/delivery-routes.js";
import type { ChannelSpec } from "./transport.js";

/**
 * The core's delivery port (src/delivery/delivery-routes.ts) for this process: every outbox
 * channel of the given specs, in their order, with its availability decided for `config`.
 * A channel without `delivery` reaches nobody on its own (replies only).
 */
export function buildDeliveryRoutes(specs: readonly ChannelSpec[], config: Config): DeliveryRoutes {
  const channels: ChannelRoute[] = [];
  const fallbacks: string[] = [];
  for (const spec of specs) {
    for (const [channel, o] of Object.entries(spec.outbox)) {
      const d = o.delivery;
      if (d?.fallback) fallbacks.push(channel);
      const unavailable = d ? d.unavailable(config) : "没有投递路由（仅用于回复）";
      channels.push({
        channel,
        ...(unavailable ? { unavailable } : {}),
        ...(d?.contactIdentity ? { contactIdentity: d.contactIdentity } : {}),
        ...(d?.groupIdentities ? { groupIdentities: d.groupIdentities } : {}),
        ...(d?.noGroupAddress ? { noGroupAddress: d.noGroupAddress } : {}),
        ...(d?.recipientUnavailable
          ? { recipientUnavailable: (r: string) => d.recipientUnavailable!(config, r) }
          : {}),
        ...(d?.mentionIdentity ? { mentionIdentity: d.mentionIdentity } : {}),
        ...(d?.markdownBytes ? { markdownBytes: d.markdownBytes } : {}),
        ...(o.limits.chars ? { textChars: o.limits.chars } : {}),
        files: o.capabilities.files,
      });
    }
  }
  if (fallbacks.length !== 1)
    throw new Error(
      `exactly one outbox channel must be the delivery fallback (found: ${fallbacks.join(", ") || "none"})`,
    );
  return { channels, fallback: fallbacks[0]! };
}
