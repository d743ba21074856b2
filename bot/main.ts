// `npm start`: the bot process — HTTP server (WeCom callback, /healthz), outbox dispatcher, scheduler.
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { startBot } from "./compose.js";
import { startupErrorMessage } from "./startup-error.js";

if (existsSync(".env")) loadDotenv({ path: ".env", quiet: true });

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}

const logger = createLogger(config.LOG_LEVEL);
let bot: Awaited<ReturnType<typeof startBot>>;
try {
  bot = await startBot(config, { logger });
} catch (e) {
  const message = startupErrorMessage(e, { host: config.HOST, port: config.PORT });
  if (message !== undefined) {
    process.stderr.write(`${message}\n`);
    process.exit(2);
  }
  logger.fatal({ err: e }, "启动失败 / start failed");
  process.exit(1);
}

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) {
    logger.warn({ signal }, "second signal: exiting now");
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, "正在停止 / shutting down");
  bot
    .stop()
    .then(() => {
      logger.info("已停止 / stopped");
      process.exit(0);
    })
    .catch((e: unknown) => {
      logger.error({ err: e }, "shutdown failed");
      process.exit(1);
    });
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
