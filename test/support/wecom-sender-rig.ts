import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { CardResponseCodes } from "../../bot/transports/wecom-app/card-response-codes.js";
import { WecomClient } from "../../bot/transports/wecom-app/wecom-client.js";
import type { WecomRateLimits } from "../../bot/transports/wecom-app/wecom-rate-limits.js";
import { createWecomSenders } from "../../bot/transports/wecom-app/wecom-senders.js";
import { createLogger } from "../../src/log/logger.js";
import { OutboxDispatcher } from "../../src/outbox/dispatcher.js";
import { Outbox } from "../../src/outbox/outbox.js";
import type { NewOutboxMessage } from "../../src/outbox/outbox-message.js";
import { fixedClock } from "../../src/time/clock.js";
import { FakeWecomServer } from "./fake-wecom-server.js";
import { createTestStore, type TestStore } from "./stores.js";

/**
 * The WeCom sender tests' rig: a SQLite store, a fake WeCom server per test (with three known
 * users and one robot), a fixed clock, captured logs, and the real dispatcher over the real
 * senders. The `let` exports are live bindings, reassigned for every test by the hooks that
 * `useSenderFixture()` registers.
 */
export const ROBOT_KEY = "robot-key-0b6f2c9e";
export let store: TestStore;
export let fake: FakeWecomServer;
export let clock: ReturnType<typeof fixedClock>;
export let logs: string[];
let seq = 0;

export function useSenderFixture(): void {
  beforeAll(async () => {
    store = await createTestStore("sqlite");
  });
  afterAll(async () => {
    await store.dispose();
  });
  beforeEach(async () => {
    await store.db.outboundMessage.deleteMany();
    clock = fixedClock("2024-04-20T01:00:00Z");
    fake = await new FakeWecomServer({
      robotKeys: [ROBOT_KEY],
      users: ["qn_li", "tr_zhao", "tf_wang"],
      now: () => clock.now().getTime(),
    }).start();
    logs = [];
  });
  afterEach(async () => {
    await fake.stop();
  });
}

export function rig(
  o: {
    rateLimits?: WecomRateLimits | false;
    robotKeys?: Record<string, string>;
    cardCodes?: CardResponseCodes;
  } = {},
) {
  const logger = createLogger("info", { write: (s: string) => logs.push(s) } as never);
  const client = new WecomClient({
    baseUrl: fake.url,
    app: { corpId: "wwcorp0001", agentId: 1000002, secret: "app-secret" },
    clock,
    duplicateCheckIntervalS: 240,
  });
  const senders = createWecomSenders({
    client,
    clock,
    logger,
    robotKeys: o.robotKeys ?? { WECOM_ROBOT_KEY_PROVINCE: ROBOT_KEY },
    cardCodes: o.cardCodes,
    rateLimits: o.rateLimits,
  });
  const outbox = new Outbox(store, clock);
  const gaveUp: { id: number; errcode?: number; error: string }[] = [];
  const dispatcher = new OutboxDispatcher({
    outbox,
    senders,
    clock,
    logger,
    instanceId: "test",
    batch: 100,
    maxAttempts: 5,
    leaseMs: 60_000,
    pollMs: 10,
    random: () => 0.5,
    onGiveUp: async (row, outcome) => {
      gaveUp.push({ id: row.id, ...outcome });
    },
  });
  const enqueue = (
    m: Partial<NewOutboxMessage> & Pick<NewOutboxMessage, "channel" | "recipient" | "payload">,
  ) => outbox.enqueue({ idempotencyKey: `k${++seq}`, msgType: "text", purpose: "reply", ...m });
  /** Dispatch passes until nothing more is claimed. */
  const drain = async () => {
    for (let i = 0; i < 50; i++) if ((await dispatcher.runOnce()).claimed === 0) return;
  };
  return { outbox, dispatcher, enqueue, drain, gaveUp };
}

export const row = (id: number) => store.db.outboundMessage.findUniqueOrThrow({ where: { id } });
