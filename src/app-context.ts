import type { Config } from "./config/config.js";
import type { Store } from "./db/database.js";
import type { DeliveryRoutes } from "./delivery/delivery-routes.js";
import type { Logger } from "./log/logger.js";
import type { Outbox } from "./outbox/outbox.js";
import type { Clock } from "./time/clock.js";

/** The shared services handed to handlers, services and jobs (built once by the composition root). */
export interface AppContext {
  config: Config;
  store: Store;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** How people are reached on the configured platforms (built by the composition root from the transports). */
  routes: DeliveryRoutes;
}
