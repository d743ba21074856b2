// One bot instance in its own process, for the several-instances test (test/delivery-three-instances.test.ts):
// the real composition root (bot/compose.ts) on the database and fake WeCom server the parent names,
// with a clock shared by every process (and the fake server) that may run faster than real time.
// Run with `node --import tsx`; it tells the parent "ready" over IPC and stops on SIGTERM.
import { startBot } from "../../bot/compose.js";
import type { WecomRateLimits } from "../../bot/transports/wecom-app/wecom-rate-limits.js";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/log/logger.js";
import { type SharedClock, sharedClock } from "./shared-clock.js";

const env = process.env;
const clockSpec = JSON.parse(env.KAIQU_TEST_CLOCK ?? "null") as SharedClock;
const clock = sharedClock(clockSpec);
const limits = JSON.parse(env.KAIQU_TEST_WECOM_LIMITS ?? "null") as WecomRateLimits;
const config = loadConfig(env);
const logger = createLogger(config.LOG_LEVEL);
const bot = await startBot(config, {
  logger,
  clock,
  wecomRateLimits: limits,
  scheduler: false,
  dispatcher: {
    pollMs: 50,
    leaseMs: Number(env.KAIQU_TEST_LEASE_MS),
    backoffBaseMs: 2_000,
    backoffMaxMs: 20_000,
  },
});
process.send?.("ready");
process.on("SIGTERM", () => {
  bot.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
