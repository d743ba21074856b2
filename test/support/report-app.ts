import { deliveryRoutes } from "../../bot/transports/transports.js";
import type { AppContext } from "../../src/app-context.js";
import { loadConfig } from "../../src/config/config.js";
import type { Store } from "../../src/db/database.js";
import { createLogger, type Logger } from "../../src/log/logger.js";
import { Outbox } from "../../src/outbox/outbox.js";
import type { Clock } from "../../src/time/clock.js";

/**
 * The one test-fixture builder of an AppContext (tests and benches): real config parsing of `env` over
 * the store's URL, the delivery routes that configuration gives, a real outbox on the store and
 * `clock`, and a silent logger unless one is given.
 */
export function testApp(
  store: Store,
  clock: Clock,
  env: Record<string, string> = {},
  opts: { logger?: Logger } = {},
): AppContext {
  const config = loadConfig({ DATABASE_URL: store.url, LOG_LEVEL: "silent", ...env });
  return {
    config,
    routes: deliveryRoutes(config),
    store,
    outbox: new Outbox(store, clock),
    clock,
    logger: opts.logger ?? createLogger("silent"),
  };
}

/** Removes every report, draft, inbound and outbound row (between scenarios on one store). */
export async function clearDialogueState(store: Store): Promise<void> {
  await store.db.reportRevision.deleteMany();
  await store.db.conversation.deleteMany();
  await store.db.inboundMessage.deleteMany();
  await store.db.outboundMessage.deleteMany();
}
