import type { AppContext } from "../../src/app-context.js";
import type { Config } from "../../src/config/config.js";
import type { InboundEvent, ReplyAddress } from "../../src/inbound/inbound-event.js";
import type { ChannelSender } from "../../src/outbox/dispatcher.js";
import type { HandleResult } from "../inbound/handle.js";

/** What one message may hold on an outbox channel (the replier splits text by it). */
export interface ChannelLimits {
  /** Bytes (UTF-8) of one text/markdown message. */
  bytes?: number;
  /** Characters of one message, where the platform counts characters. */
  chars?: number;
  /** Documented send rates, for the README and the senders' own budgets. */
  perMinute?: number;
  perHour?: number;
}

/** What a channel can carry; the core asks, it never checks a platform's name. */
export interface ChannelCapabilities {
  /** WeCom template cards (确认/取消 buttons). Without: the card's text goes alone. */
  cards: boolean;
  files: boolean;
  /** Reaches group chats. */
  groups: boolean;
  /** Can @-mention a member in a group message. */
  mentions: boolean;
}

/**
 * How the core reaches people on one outbox channel (src/delivery/delivery-routes.ts is the port;
 * bot/transports/delivery-routes.ts builds it from these for the process's config).
 */
export interface OutboxDelivery {
  /** Why the channel cannot send with this config (Chinese, for operators); undefined = it can. */
  unavailable(config: Config): string | undefined;
  /** Reaches a contact 1:1 by their identity in this identity channel (ContactIdentity). */
  contactIdentity?: string;
  /** Reaches a group chat (ChatGroup.channel = this channel) by the first of these group identities it has. */
  groupIdentities?: readonly string[];
  /** Why a group on this channel without any of groupIdentities cannot be reached (Chinese). */
  noGroupAddress?: string;
  /** Why one group recipient cannot be reached with this config (Chinese), or undefined. */
  recipientUnavailable?(config: Config, recipient: string): string | undefined;
  /** Reminder copies to a group may @-mention the bureau's contacts by this identity channel. */
  mentionIdentity?: string;
  /** Markdown messages of at most this many bytes (circulars); absent: plain text. */
  markdownBytes?: number;
  /**
   * A fallback for contacts reached by nothing else (recipient = contact id): it only records what
   * would have been sent. One channel in all the transports may say so.
   */
  fallback?: true;
}

/** One outbox channel of a transport. */
export interface OutboxChannelSpec {
  limits: ChannelLimits;
  capabilities: ChannelCapabilities;
  delivery?: OutboxDelivery;
}

/**
 * The static half of a transport: its channel names, limits and capabilities and where replies to
 * its inbound messages go. Known without starting anything, so the inbound entry point, the CLI
 * and tests can route replies for any platform.
 */
export interface ChannelSpec {
  /** The channel named in InboundEvent.channel (owned by this transport; unique). */
  inbound: string;
  /**
   * The identity channel (ContactIdentity.channel) its senders' refs live in: the inbound entry
   * point finds the sender by (identity, senderRef). Several transports may share one (the WeCom
   * userid serves the self-built app and the 智能机器人). Absent: the ref is the contact id.
   */
  identity?: string;
  /**
   * Outbox channels this transport delivers, with their limits, capabilities and delivery routes.
   * Their order matters: contacts are reached on the first available channel that knows them,
   * in the order of the transports (transports.ts) and of their channels here.
   */
  outbox: Record<string, OutboxChannelSpec>;
  /** What its inbound messages can carry: files (spreadsheets) are read as reports. Default: no files. */
  receives?: { files: boolean };
  /** Where the replies to one of its inbound messages go. */
  replyAddress(event: Pick<InboundEvent, "senderRef" | "chatRef">): ReplyAddress;
}

/** What a transport gets at start: the core, and the one inbound entry point. */
export interface TransportContext {
  app: AppContext;
  handle: (event: InboundEvent) => Promise<HandleResult | unknown>;
  /** Stores an event before it is acknowledged (a transport whose platform does not redeliver). */
  accept?: (event: InboundEvent) => Promise<unknown>;
  /** Alerts the task force over another channel than `avoid` (auth failure, lost session). */
  alert(key: string, text: string, avoid: string[]): Promise<void>;
}

/**
 * A running transport (bolt's Receiver): it only ingests (hands events to `handle`) and delivers
 * (its senders); it never routes or decides. Lives in one folder, bot/transports/<name>/.
 */
export interface Transport {
  name: string;
  /** Senders by outbox channel, for the dispatcher. */
  senders: Record<string, ChannelSender>;
  /** For /healthz (connection state, last heartbeat, reconnects …); must not contain secrets. */
  status?(): Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * A platform as composition sees it: its channel spec and a start function that returns the
 * running transport, or undefined when the platform is not configured.
 */
export interface TransportModule {
  name: string;
  channels: ChannelSpec;
  start(ctx: TransportContext): Promise<Transport | undefined>;
}
