import type { AppContext } from "../../src/app-context.js";
import { type Config, ConfigError, loadConfig } from "../../src/config/config.js";
import type { Store } from "../../src/db/database.js";
import { openAppStore } from "../../src/db/open-app-store.js";
import { createLogger, type Logger } from "../../src/log/logger.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { type Clock, systemClock } from "../../src/time/clock.js";
import { deliveryRoutes } from "../transports/transports.js";

/** Raised by commands for a user error: message to stderr, exit code (default 1). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Shared, lazily created resources of one CLI invocation. */
export class CliContext {
  private configValue: Config | undefined;
  private storeValue: Promise<Store> | undefined;
  private loggerValue: Logger | undefined;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly clock: Clock = systemClock,
    readonly stdout: NodeJS.WritableStream = process.stdout,
    readonly stderr: NodeJS.WritableStream = process.stderr,
    readonly stdin: NodeJS.ReadableStream = process.stdin,
  ) {}

  /** Reads all of standard input as UTF-8 (for `report submit` and `parse`). */
  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of this.stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString("utf8");
  }

  get config(): Config {
    this.configValue ??= loadConfig(this.env);
    return this.configValue;
  }

  /** Logs go to stderr so that stdout stays clean for --json. */
  get logger(): Logger {
    this.loggerValue ??= createLogger(this.env.LOG_LEVEL ?? "warn", process.stderr);
    return this.loggerValue;
  }

  store(): Promise<Store> {
    this.storeValue ??= openAppStore(this.config, this.logger);
    return this.storeValue;
  }

  /** The shared services over the configured store (commands that enqueue or run services). */
  async app(): Promise<AppContext> {
    const store = await this.store();
    return {
      config: this.config,
      store,
      outbox: new Outbox(store, this.clock),
      clock: this.clock,
      logger: this.logger,
      routes: deliveryRoutes(this.config),
    };
  }

  out(text: string): void {
    this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
  }

  async close(): Promise<void> {
    if (this.storeValue) await (await this.storeValue).close();
  }
}

export { ConfigError };
