import { describe, expect, it } from "vitest";
import { WECOM_ARRIVAL_GUARD_MS } from "../bot/transports/wecom-app/wecom-rate-limits.js";
import { clock, fake, ROBOT_KEY, rig, row, store, useSenderFixture } from "./support/wecom-sender-rig.js";

useSenderFixture();

/** WeCom drops messages over its rate limits without an error: the senders defer instead. */
describe("WeCom senders: rate budgets", () => {
  it("budgets a member whatever the case of the userid, and a robot whatever name points to it", async () => {
    const { enqueue, drain } = rig({
      robotKeys: { WECOM_ROBOT_KEY_PROVINCE: ROBOT_KEY, WECOM_ROBOT_KEY_ALIAS: ROBOT_KEY },
    });
    for (let i = 0; i < 16; i++) {
      await enqueue({ channel: "wecom_app", recipient: "qn_li", payload: { content: `a${i}` } });
      await enqueue({ channel: "wecom_app", recipient: "QN_LI", payload: { content: `b${i}` } });
      for (const name of ["WECOM_ROBOT_KEY_PROVINCE", "WECOM_ROBOT_KEY_ALIAS"])
        await enqueue({ channel: "wecom_robot", recipient: name, payload: { content: `${name}${i}` } });
    }
    await drain();
    expect(fake.delivered.filter((d) => d.to.toLowerCase() === "qn_li")).toHaveLength(30);
    expect(fake.deliveredTo(ROBOT_KEY)).toHaveLength(20);
    expect(fake.dropped).toHaveLength(0);
    expect(fake.calls.filter((c) => c.errcode === 45009)).toHaveLength(0);
    // WeCom's windows are counted with the arrival guard
    clock.advance(60_000 + WECOM_ARRIVAL_GUARD_MS);
    await drain();
    expect(fake.delivered.filter((d) => d.to.toLowerCase() === "qn_li")).toHaveLength(32);
    expect(fake.deliveredTo(ROBOT_KEY)).toHaveLength(32);
  });

  it("defers app messages over 30/min per member instead of letting WeCom drop them", async () => {
    const { enqueue, drain } = rig();
    const ids: number[] = [];
    for (let i = 0; i < 32; i++)
      ids.push(
        (await enqueue({ channel: "wecom_app", recipient: "qn_li", payload: { content: `消息${i}` } })).id,
      );
    await enqueue({ channel: "wecom_app", recipient: "tr_zhao", payload: { content: "另一位" } });
    await drain();
    expect(fake.deliveredTo("qn_li")).toHaveLength(30);
    expect(fake.deliveredTo("tr_zhao")).toHaveLength(1);
    const deferred = await row(ids[30]!);
    expect(deferred).toMatchObject({ status: "pending", attempts: 0 });
    // WeCom's minute, counted with the arrival guard
    expect(deferred.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000 + WECOM_ARRIVAL_GUARD_MS);
    clock.advance(60_000 + WECOM_ARRIVAL_GUARD_MS);
    await drain();
    expect(fake.deliveredTo("qn_li").map((d) => d.content)).toEqual(
      Array.from({ length: 32 }, (_, i) => `消息${i}`),
    );
    expect(fake.dropped).toHaveLength(0);
  });

  it("without the client-side budget WeCom silently drops the excess (why the budget exists)", async () => {
    const { enqueue, drain } = rig({ rateLimits: false });
    for (let i = 0; i < 32; i++)
      await enqueue({ channel: "wecom_app", recipient: "qn_li", payload: { content: `消息${i}` } });
    await drain();
    expect(await store.db.outboundMessage.count({ where: { status: "sent" } })).toBe(32);
    expect(fake.deliveredTo("qn_li")).toHaveLength(30);
    expect(fake.dropped).toHaveLength(2);
  });

  it("budgets app-chat members across chats", async () => {
    const { enqueue, drain } = rig({
      rateLimits: { app: [], robot: [], appchat: [{ limit: 3, windowMs: 60_000 }] },
    });
    fake.addChat("chatA", ["qn_li", "tf_wang"]);
    fake.addChat("chatB", ["tf_wang", "tr_zhao"]);
    for (const [chat, t] of [
      ["chatA", "A1"],
      ["chatA", "A2"],
      ["chatB", "B1"],
      ["chatB", "B2"],
    ] as const)
      await enqueue({ channel: "wecom_appchat", recipient: chat, payload: { content: t } });
    await drain();
    // the chats go concurrently; tf_wang is in both, so the fourth message waits for the window
    expect(fake.delivered).toHaveLength(3);
    expect(await store.db.outboundMessage.count({ where: { status: "pending", attempts: 0 } })).toBe(1);
    clock.advance(60_000);
    await drain();
    expect(fake.delivered.map((d) => d.content).sort()).toEqual(["A1", "A2", "B1", "B2"]);
    expect(fake.deliveredTo("chatA").map((d) => d.content)).toEqual(["A1", "A2"]);
    expect(fake.dropped).toHaveLength(0);
  });

  it("sends robot messages by env-var name, with mentions, and defers the 21st in a minute", async () => {
    const { enqueue, drain } = rig();
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      payload: { content: "请报送", mentions: ["qn_li"] },
    });
    for (let i = 0; i < 20; i++)
      await enqueue({
        channel: "wecom_robot",
        recipient: "WECOM_ROBOT_KEY_PROVINCE",
        payload: { content: `n${i}` },
      });
    await drain();
    const got = fake.deliveredTo(ROBOT_KEY);
    expect(got).toHaveLength(20);
    expect(got[0]!.body).toMatchObject({ text: { content: "请报送", mentioned_list: ["qn_li"] } });
    expect(fake.calls.filter((c) => c.errcode === 45009)).toHaveLength(0);
    clock.advance(60_000);
    await drain();
    // WeCom's minute is over, the guard not yet
    expect(fake.deliveredTo(ROBOT_KEY)).toHaveLength(20);
    clock.advance(WECOM_ARRIVAL_GUARD_MS);
    await drain();
    expect(fake.deliveredTo(ROBOT_KEY)).toHaveLength(21);
  });
});
