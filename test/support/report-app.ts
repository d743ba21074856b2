import { deliveryRoutes } from "../../bot/transports/transports.js";
import type { AppContext } from "../../src/app-context.js";
import { loadConfig } from "../../src/config/config.js";
import type { Store } from "../../src/db/database.js";
import { createLogger } from "../../src/log/logger.js";
import { Outbox } from "../../src/outbox/outbox.js";
import type { Clock } from "../../src/time/clock.js";

/** An AppContext over a test store: real config parsing (env overrides), real outbox, silent logger. */
export function testApp(store: Store, clock: Clock, env: Record<string, string> = {}): AppContext {
  const config = loadConfig({ DATABASE_URL: store.url, LOG_LEVEL: "silent", ...env });
  return {
    config,
    routes: deliveryRoutes(config),
    store,
    outbox: new Outbox(store, clock),
    clock,
    logger: createLogger("silent"),
  };
}

/** Removes every report, draft, inbound and outbound row (between scenarios on one store). */
export async function clearDialogueState(store: Store): Promise<void> {
  await store.db.reportRevision.deleteMany();
  await store.db.conversation.deleteMany();
  await store.db.inboundMessage.deleteMany();
  await store.db.outboundMessage.deleteMany();
}
