import type { InboundEvent, ReplyAddress } from "../../src/inbound/inbound-event.js";
import type { ChannelCapabilities, ChannelLimits, ChannelSpec, OutboxChannelSpec } from "./transport.js";

/**
 * Everything the bot knows about channels, built from the transports' ChannelSpecs (see
 * transports.ts). The inbound entry point, the replier and composition ask it; nothing else names
 * a platform.
 */
export class ChannelRegistry {
  private readonly byInbound = new Map<string, ChannelSpec>();
  private readonly outbox = new Map<string, OutboxChannelSpec>();

  constructor(specs: readonly ChannelSpec[]) {
    for (const s of specs) {
      if (this.byInbound.has(s.inbound))
        throw new Error(`two transports claim the inbound channel "${s.inbound}"`);
      this.byInbound.set(s.inbound, s);
      for (const [name, o] of Object.entries(s.outbox)) {
        if (this.outbox.has(name)) throw new Error(`two transports claim the outbox channel "${name}"`);
        this.outbox.set(name, o);
      }
    }
  }

  /** Where replies to this event go; an unknown channel is a programming error. */
  replyAddress(event: Pick<InboundEvent, "channel" | "senderRef" | "chatRef">): ReplyAddress {
    const spec = this.byInbound.get(event.channel);
    if (!spec) throw new Error(`no transport owns the inbound channel "${event.channel}"`);
    return spec.replyAddress(event);
  }

  /** The identity channel senders of this inbound channel are known by; undefined = by contact id. */
  identity(inboundChannel: string): string | undefined {
    const spec = this.byInbound.get(inboundChannel);
    if (!spec) throw new Error(`no transport owns the inbound channel "${inboundChannel}"`);
    return spec.identity;
  }

  /** Whether messages of this inbound channel can carry files (read as reports). */
  receivesFiles(inboundChannel: string): boolean {
    return this.byInbound.get(inboundChannel)?.receives?.files ?? false;
  }

  limits(outboxChannel: string): ChannelLimits {
    return this.outbox.get(outboxChannel)?.limits ?? {};
  }

  capabilities(outboxChannel: string): ChannelCapabilities {
    return (
      this.outbox.get(outboxChannel)?.capabilities ?? {
        cards: false,
        files: false,
        groups: false,
        mentions: false,
      }
    );
  }

  outboxChannels(): string[] {
    return [...this.outbox.keys()];
  }

  inboundChannels(): string[] {
    return [...this.byInbound.keys()];
  }
}
