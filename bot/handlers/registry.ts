import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Handler } from "./handler.js";

/** Where handler modules live: every `*.ts` there exports `handlers: Handler[]`. */
export const HANDLER_COMMANDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "commands");

export interface HandlerModule {
  handlers: Handler[];
}

function isHandler(h: unknown): h is Handler {
  const x = h as Partial<Handler> | null;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.name === "string" &&
    typeof x.priority === "number" &&
    typeof x.matches === "function" &&
    typeof x.run === "function"
  );
}

/** Routing order: ascending priority, then name (so equal priorities are deterministic). */
export function sortHandlers(handlers: Handler[]): Handler[] {
  return [...handlers].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
}

/**
 * Discovers every handler module in bot/handlers/commands/ (files sorted by name) and returns their
 * handlers in routing order. A module without a `handlers` array, or two handlers with one name,
 * is a programming error and stops the bot at start.
 */
export async function loadHandlers(dir = HANDLER_COMMANDS_DIR): Promise<Handler[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && !f.endsWith(".test.ts"))
    .sort();
  const all: Handler[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as Partial<HandlerModule>;
    if (!Array.isArray(mod.handlers) || !mod.handlers.every(isHandler)) {
      throw new Error(`bot/handlers/commands/${f} must export handlers: Handler[]`);
    }
    all.push(...mod.handlers);
  }
  const seen = new Set<string>();
  for (const h of all) {
    if (seen.has(h.name)) throw new Error(`two chat handlers are named "${h.name}"`);
    seen.add(h.name);
  }
  return sortHandlers(all);
}
