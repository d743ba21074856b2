import type { HandleResult } from "../../bot/inbound/handle.js";
import { openConsoleSession } from "../../bot/transports/console/console-session.js";
import { loadConfig } from "../../src/config/config.js";
import type { Store } from "../../src/db/database.js";
import { createLogger } from "../../src/log/logger.js";
import type { Clock } from "../../src/time/clock.js";

export interface ChatTurn {
  result: HandleResult;
  /** What the console transport printed for this message (all reply parts, joined). */
  reply: string;
}

/**
 * A contact talking to the bot over the console transport (the real pipeline: handle → handlers →
 * outbox → dispatcher → console sender). `say` returns the handle result and the printed replies.
 */
export async function consoleChat(
  store: Store,
  clock: Clock,
  as: string,
  env: Record<string, string> = {},
): Promise<{ say(text: string, kind?: "text" | "action"): Promise<ChatTurn>; contactId: string }> {
  let printed: string[] = [];
  const session = await openConsoleSession({
    config: loadConfig({ DATABASE_URL: store.url, LOG_LEVEL: "silent", ...env }),
    store,
    clock,
    logger: createLogger("silent"),
    as,
    print: (text) => printed.push(text),
  });
  return {
    contactId: session.contact.id,
    async say(text, kind = "text") {
      printed = [];
      const result = await session.send(text, kind);
      return { result, reply: printed.join("\n") };
    },
  };
}
