import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GovernorLimits, SendTarget } from "../bot/transports/wechaty/governor/send-governor.js";
import { SharedWechatBudgets } from "../bot/transports/wechaty/governor/shared-wechat-budgets.js";
import { Outbox, type OutboxRow } from "../src/outbox/outbox.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const LIMITS: GovernorLimits = {
  minDelayMs: 2_000,
  maxDelayMs: 5_000,
  accountPerMin: 3,
  accountPerDay: 5,
  groupPerMin: 2,
  groupPerDay: 100,
  quietHours: "",
  breakerPauseMs: 1_800_000,
};

describe.each(TEST_PROVIDERS)("WeChat budgets shared by instances (on %s)", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("two instances on one account together stay within its minute, day, spacing and room budgets", async () => {
    const clock = fixedClock(localInstant("2024-04-15", "10:00"));
    const outbox = new Outbox(store, clock);
    // two instances: each its own budgets object (as in its own process), one database
    const a = new SharedWechatBudgets(store, clock, LIMITS);
    const b = new SharedWechatBudgets(store, clock, LIMITS);
    let n = 0;
    const claimed = async (instance: string, channel: "wechat" | "wechat_room"): Promise<OutboxRow> => {
      await outbox.enqueue({
        idempotencyKey: `w${n++}`,
        channel,
        recipient: `r${n}`,
        msgType: "text",
        payload: { content: "x" },
        purpose: "reminder",
      });
      const [row] = await outbox.claim({
        instanceId: instance,
        limit: 1,
        leaseMs: 60_000,
        channels: [channel],
      });
      return row!;
    };
    const direct: Pick<SendTarget, "kind" | "id"> = { kind: "direct", id: "wxid_x" };
    const take = async (budgets: SharedWechatBudgets, instance: string, target = direct) => {
      const row = await claimed(instance, target.kind === "group" ? "wechat_room" : "wechat");
      const r = await budgets.take("wxid_bot", target, row);
      if (r.ok) await r.settle();
      return r;
    };

    expect((await take(a, "A")).ok).toBe(true);
    // the other instance, at once: the spacing between two sends of the account holds across instances
    const spaced = await take(b, "B");
    expect(spaced).toMatchObject({ ok: false, waitMs: 2_000 });
    clock.advance(2_000);
    expect((await take(b, "B")).ok).toBe(true);
    clock.advance(2_000);
    expect((await take(a, "A")).ok).toBe(true);
    clock.advance(2_000);
    // three sends by two instances in this minute: the fourth waits for the first to leave the window
    const minute = await take(b, "B");
    expect(minute).toMatchObject({ ok: false, waitMs: 54_000 });
    if (!minute.ok) expect(minute.reason).toContain("[wechat:account_min]");

    // a room budget of 2/min
    clock.advance(60_000);
    const room = { kind: "group" as const, id: "room@chatroom" };
    expect((await take(a, "A", room)).ok).toBe(true);
    clock.advance(2_000);
    expect((await take(b, "B", room)).ok).toBe(true);
    clock.advance(2_000);
    const full = await take(a, "A", room);
    expect(full).toMatchObject({ ok: false });
    if (!full.ok) expect(full.reason).toContain("[wechat:group_min]");
    // the day: 5 sends of the account in 24 h (3 + 2), whichever instance asks
    clock.advance(120_000);
    const day = await take(b, "B");
    expect(day.ok).toBe(false);
    if (!day.ok) expect(day.waitMs).toBeGreaterThan(23 * 3_600_000);
    expect(await store.db.sendStamp.count({ where: { bucket: "wechat-account:wxid_bot" } })).toBe(5);
    // a fresh room has budget, the account has none: the room's take is given back
    const other = { kind: "group" as const, id: "other@chatroom" };
    expect((await take(a, "A", other)).ok).toBe(false);
    expect(await store.db.sendStamp.count({ where: { bucket: "wechat-room:other@chatroom" } })).toBe(0);
  });

  it("a take whose row was taken over by another instance takes nothing", async () => {
    const clock = fixedClock(localInstant("2024-05-15", "10:00"));
    const outbox = new Outbox(store, clock);
    await outbox.enqueue({
      idempotencyKey: "lost-1",
      channel: "wechat",
      recipient: "wxid_y",
      msgType: "text",
      payload: { content: "x" },
      purpose: "reminder",
    });
    const [row] = await outbox.claim({ instanceId: "A", limit: 1, leaseMs: 60_000, channels: ["wechat"] });
    clock.advance(61_000);
    await outbox.claim({ instanceId: "B", limit: 1, leaseMs: 60_000, channels: ["wechat"] });
    const r = await new SharedWechatBudgets(store, clock, LIMITS).take(
      "wxid_other",
      { kind: "direct", id: "wxid_y" },
      row!,
    );
    expect(r).toMatchObject({ ok: false, lost: true });
    expect(await store.db.sendStamp.count({ where: { bucket: "wechat-account:wxid_other" } })).toBe(0);
  });
});
