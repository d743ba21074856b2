import { createLogger } from "../../src/log/logger.js";
import { type ChannelSender, type DispatcherOptions, OutboxDispatcher } from "../../src/outbox/dispatcher.js";
import type { Outbox } from "../../src/outbox/outbox.js";
import type { Clock } from "../../src/time/clock.js";

/**
 * A dispatcher for tests over the console channel: silent logger, batch 10, 3 attempts, 60 s lease,
 * 10 ms poll; `o` overrides any of them (instanceId, batch, leaseMs, random …).
 */
export function testDispatcher(
  outbox: Outbox,
  clock: Clock,
  sender: ChannelSender,
  o: Partial<DispatcherOptions> = {},
): OutboxDispatcher {
  return new OutboxDispatcher({
    outbox,
    senders: { console: sender },
    clock,
    logger: createLogger("silent"),
    instanceId: "test",
    batch: 10,
    maxAttempts: 3,
    leaseMs: 60_000,
    pollMs: 10,
    ...o,
  });
}
