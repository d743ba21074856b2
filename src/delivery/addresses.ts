import type { ChatGroupDef, ContactDef } from "../programme/programme.js";
import { type DeliveryRoutes, routeOf } from "./delivery-routes.js";

export interface Address {
  channel: string;
  recipient: string;
}

/**
 * Where a contact is reached: the first route (in the routes' order) that is available, not
 * avoided, and knows the contact's identity; else the fallback channel with the contact id (so an
 * installation without any platform still records what would have been sent).
 */
export function contactAddress(
  contact: ContactDef,
  routes: DeliveryRoutes,
  avoid: readonly string[] = [],
): Address {
  for (const r of routes.channels) {
    if (!r.contactIdentity || r.unavailable || avoid.includes(r.channel)) continue;
    const id = contact.identities[r.contactIdentity];
    if (id) return { channel: r.channel, recipient: id };
  }
  return { channel: routes.fallback, recipient: contact.id };
}

/** Where a group chat is reached, or why it cannot be (the caller reports it). */
export function groupRoute(
  group: ChatGroupDef,
  routes: DeliveryRoutes,
): { address: Address } | { address?: undefined; reason: string } {
  const r = routeOf(routes, group.channel);
  if (!r?.groupIdentities) return { reason: `没有传输模块提供渠道 ${group.channel}` };
  if (r.unavailable) return { reason: r.unavailable };
  const recipient = r.groupIdentities.map((ch) => group.identities[ch]).find((v) => v);
  if (!recipient) return { reason: r.noGroupAddress ?? `群聊未填写渠道 ${group.channel} 的群标识` };
  const problem = r.recipientUnavailable?.(recipient);
  if (problem) return { reason: problem };
  return { address: { channel: r.channel, recipient } };
}

/** Where a group chat is reached; undefined when it cannot be (groupRoute says why). */
export function groupAddress(group: ChatGroupDef, routes: DeliveryRoutes): Address | undefined {
  return groupRoute(group, routes).address;
}
