import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Provider } from "../../src/db/store-url.js";
import { clearDialogueState } from "./report-app.js";
import { seedRosterFixture } from "./roster-fixture.js";
import { createTestStore, type TestStore } from "./stores.js";

/**
 * The store of a dialogue test, with its hooks registered in the calling describe block: a fresh store
 * of `provider` seeded with the roster fixture before the block, disposed after it, and — unless
 * `clear` is false — the dialogue state cleared before each test (and `reset()` run, e.g. the clock
 * set back). The returned object stands for the store of the running block (it forwards to it).
 */
export function dialogueStore(
  provider: Provider,
  opts: { clear?: boolean; reset?: () => void } = {},
): TestStore {
  let current: TestStore | undefined;
  beforeAll(async () => {
    current = await createTestStore(provider);
    await seedRosterFixture(current.db);
  });
  afterAll(async () => {
    await current?.dispose();
  });
  if (opts.clear !== false)
    beforeEach(async () => {
      await clearDialogueState(current!);
      opts.reset?.();
    });
  return new Proxy({} as TestStore, {
    get: (_t, key) => {
      if (!current) throw new Error("the dialogue store is used outside its describe block's tests");
      return Reflect.get(current, key);
    },
  });
}
