import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBot } from "../bot/compose.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { fixedClock } from "../src/time/clock.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";

describe.each(TEST_PROVIDERS)("start-up handler discovery on %s", (provider) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("a broken handler module stops the bot at start instead of failing every message later", async () => {
    const db = await createTestDatabaseUrl(provider);
    cleanups.push(db.drop);
    const dir = mkdtempSync(path.join(tmpdir(), "kaiqu-handlers-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, "broken.js"), "export const handlers = 42;\n");
    const config = loadConfig({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      SCHEDULER_ENABLED: "false",
    });
    await expect(
      startBot(config, {
        clock: fixedClock("2023-04-10T02:00:00Z"),
        logger: createLogger("silent"),
        handlersDir: dir,
      }),
    ).rejects.toThrow(/broken\.js must export handlers/);
  });
});
