import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SendGovernor } from "../bot/transports/wechaty/governor/send-governor.js";
import { loadWechatSendHistory } from "../bot/transports/wechaty/governor/send-history.js";
import type { OutboxChannel } from "../src/domain/codes.js";
import { Outbox } from "../src/outbox/outbox.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const T = localInstant("2024-04-15", "10:00");
const ago = (ms: number) => new Date(T.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(TEST_PROVIDERS)("WeChat send budgets survive a restart (outbox on %s)", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("rebuilds the last 24 hours of WeChat sends and an open breaker from the outbox", async () => {
    const clock = fixedClock(ago(25 * HOUR));
    const outbox = new Outbox(store, clock);
    let n = 0;
    const sendAt = async (at: Date, channel: OutboxChannel, recipient: string) => {
      clock.set(at);
      const { id } = await outbox.enqueue({
        idempotencyKey: `h${n++}`,
        channel,
        recipient,
        msgType: "text",
        payload: { content: "x" },
        purpose: "reminder",
      });
      const [row] = await outbox.claim({ instanceId: "i", limit: 1, leaseMs: 60_000, channels: [channel] });
      expect(row?.id).toBe(id);
      await outbox.markSent(row!, {});
    };
    await sendAt(ago(25 * HOUR), "wechat", "wxid_a"); // older than a day: forgotten
    await sendAt(ago(23 * HOUR), "wechat", "wxid_a");
    await sendAt(ago(30_000), "wechat", "wxid_b");
    await sendAt(ago(10_000), "wechat_room", "r1@chatroom");
    await sendAt(ago(5_000), "wechat_room", "r1@chatroom");
    await sendAt(ago(1_000), "wecom_app", "zhangsan"); // another channel: not this account's budget

    // rows held back: one by the breaker (restores it), one by quiet hours (does not)
    clock.set(T);
    for (const [key, recipient, reason, until] of [
      [
        "held-breaker",
        "wxid_c",
        "[wechat:breaker] 微信提示：操作过于频繁；暂停发送",
        new Date(T.getTime() + 30 * MIN),
      ],
      ["held-quiet", "wxid_d", "[wechat:quiet] 免打扰时段 22:30-07:30", new Date(T.getTime() + 10 * HOUR)],
    ] as const) {
      await outbox.enqueue({
        idempotencyKey: key,
        channel: "wechat",
        recipient,
        msgType: "text",
        payload: { content: "x" },
        purpose: "reminder",
      });
      const [row] = await outbox.claim({ instanceId: "i", limit: 1, leaseMs: 60_000, channels: ["wechat"] });
      await outbox.defer(row!, until, reason);
    }

    const history = await loadWechatSendHistory(store.db, T);
    expect(history.sent).toEqual([
      { target: { kind: "direct", id: "wxid_a" }, at: ago(23 * HOUR) },
      { target: { kind: "direct", id: "wxid_b" }, at: ago(30_000) },
      { target: { kind: "group", id: "r1@chatroom" }, at: ago(10_000) },
      { target: { kind: "group", id: "r1@chatroom" }, at: ago(5_000) },
    ]);
    expect(history.breakerUntil).toEqual(new Date(T.getTime() + 30 * MIN));

    const limits = {
      minDelayMs: 0,
      maxDelayMs: 0,
      accountPerMin: 3,
      accountPerDay: 400,
      groupPerMin: 4,
      groupPerDay: 2,
      quietHours: "",
      breakerPauseMs: HOUR,
    };
    const budgets = new SendGovernor({ limits });
    budgets.seed({ sent: history.sent });
    expect(budgets.check({ kind: "direct", id: "wxid_z" }, T)).toMatchObject({
      ok: false,
      rule: "account_min",
      until: new Date(T.getTime() + 30_000),
    });
    expect(budgets.check({ kind: "group", id: "r1@chatroom" }, new Date(T.getTime() + 30_000))).toMatchObject(
      {
        ok: false,
        rule: "group_day",
      },
    );
    expect(budgets.check({ kind: "group", id: "r2@chatroom" }, new Date(T.getTime() + 30_000)).ok).toBe(true);

    const restarted = new SendGovernor({ limits });
    restarted.seed(history);
    expect(
      restarted.check({ kind: "group", id: "r2@chatroom" }, new Date(T.getTime() + 30_000)),
    ).toMatchObject({
      ok: false,
      rule: "breaker",
      until: new Date(T.getTime() + 30 * MIN),
    });
    // once the pause is over, nothing in the outbox holds the breaker open any more
    expect(
      (await loadWechatSendHistory(store.db, new Date(T.getTime() + 31 * MIN))).breakerUntil,
    ).toBeUndefined();
  });
});
