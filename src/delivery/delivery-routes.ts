/**
 * The port through which the core reaches people: a neutral description of the outbox channels,
 * built by the composition root from the transports (bot/transports/delivery-routes.ts) and handed
 * over in the AppContext. The core never names a platform; it asks these routes.
 */
export interface ChannelRoute {
  /** The outbox channel (a transport's name). */
  channel: string;
  /**
   * Why nothing can be sent on this channel from this process (its transport is not configured),
   * in Chinese for operators; undefined when it can.
   */
  unavailable?: string;
  /** Reaches a contact 1:1 by the contact's identity in this identity channel (ContactIdentity). */
  contactIdentity?: string;
  /**
   * Reaches a group chat (ChatGroup.channel = this channel) by the group's identity in the first of
   * these identity channels the group has (ChatGroupIdentity).
   */
  groupIdentities?: readonly string[];
  /** Why a group on this channel without any of groupIdentities cannot be reached (Chinese). */
  noGroupAddress?: string;
  /** Why one group recipient cannot be reached although the channel is available (Chinese), or undefined. */
  recipientUnavailable?(recipient: string): string | undefined;
  /** A group message may @-mention members by their identity in this identity channel. */
  mentionIdentity?: string;
  /** Markdown messages of at most this many bytes; absent: plain text only. */
  markdownBytes?: number;
  /** Characters of one plain-text message, where the platform folds long messages. */
  textChars?: number;
  files: boolean;
}

export interface DeliveryRoutes {
  /** Every outbox channel; contact channels are tried in this order (the first available one that knows the contact). */
  channels: readonly ChannelRoute[];
  /**
   * The channel a contact is addressed on when no route reaches them (recipient = contact id): it
   * records what would have been sent; nobody reads it on a running bot.
   */
  fallback: string;
}

export function routeOf(routes: DeliveryRoutes, channel: string): ChannelRoute | undefined {
  return routes.channels.find((r) => r.channel === channel);
}
