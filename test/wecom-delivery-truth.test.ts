import { describe, expect, it } from "vitest";
import { RESEND_NOTICE } from "../bot/transports/wecom-app/row-marker.js";
import { SharedSendBudget } from "../src/outbox/send-budgets.js";
import { clock, fake, rig, row, store, useSenderFixture } from "./support/wecom-sender-rig.js";

useSenderFixture();

/** Puts a sent row back as if its claimant had died after WeCom accepted it, before markSent. */
async function crashAfterSend(id: number, claimedAt: Date) {
  await store.db.outboundMessage.update({
    where: { id },
    data: { status: "sending", claimedBy: "dead-instance", claimedAt, sentAt: null },
  });
}

describe("delivery tells the truth (WeCom duplicate check)", () => {
  it("two identical replies to one user both arrive: distinct rows are distinct to WeCom's duplicate check", async () => {
    const { enqueue, drain } = rig();
    const a = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      payload: { content: "帮助：发送“进度”查看" },
    });
    const b = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      payload: { content: "帮助：发送“进度”查看" },
    });
    await drain();
    expect((await row(a.id)).status).toBe("sent");
    expect((await row(b.id)).status).toBe("sent");
    // both rows say "sent", so both must have reached the user
    expect(fake.deliveredTo("qn_li").map((d) => d.content)).toEqual([
      "帮助：发送“进度”查看",
      "帮助：发送“进度”查看",
    ]);
    expect(fake.suppressed).toHaveLength(0);
  });

  it("a resend of the same row after a crash inside the window is suppressed by WeCom", async () => {
    const { enqueue, drain } = rig({ leaseMs: 5_000 });
    const { id } = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      payload: { content: "请尽快报送" },
    });
    await drain();
    const claimedAt = clock.now();
    await crashAfterSend(id, claimedAt);
    clock.advance(65_000); // down for 65 s, lease 5 s, window 240 s
    await drain();
    expect((await row(id)).status).toBe("sent");
    expect((await row(id)).uncertainSince?.getTime()).toBe(claimedAt.getTime());
    expect(fake.deliveredTo("qn_li")).toHaveLength(1);
    expect(fake.suppressed).toHaveLength(1);
  });

  it("after downtime longer than the window the resend is marked as a resend, never silent", async () => {
    const { enqueue, drain } = rig({ leaseMs: 5_000 });
    const { id } = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      payload: { content: "请尽快报送" },
    });
    await drain();
    await crashAfterSend(id, clock.now());
    clock.advance(10 * 60_000);
    await drain();
    const got = fake.deliveredTo("qn_li").map((d) => d.content);
    expect(got).toEqual(["请尽快报送", `${RESEND_NOTICE}请尽快报送`]);
  });

  it("a robot resend after a crash (no duplicate check there) carries the resend notice", async () => {
    const { enqueue, drain } = rig({ leaseMs: 5_000 });
    const { id } = await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      payload: { content: "通报已发布" },
    });
    await drain();
    await crashAfterSend(id, clock.now());
    clock.advance(6_000);
    await drain();
    expect(fake.delivered.map((d) => d.content)).toEqual(["通报已发布", `${RESEND_NOTICE}通报已发布`]);
  });

  it("a crash between parts continues with the next part (progress persisted before each next part)", async () => {
    const { enqueue, drain } = rig({ leaseMs: 5_000 });
    const lines = Array.from({ length: 120 }, (_, i) => `第${i + 1}行：黔南州惠水经开区 进出口额 12.34亿元`);
    const { id } = await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      payload: { content: lines.join("\n") },
    });
    await drain();
    const total = fake.delivered.length;
    expect(total).toBeGreaterThan(2);
    // progress was stored before each next part went (so a crash after part k resumes at k+1)
    expect((await row(id)).partsSent).toBe(total - 1);
    // simulate the crash after part 1: rewind to the stored state of a claimant that died then
    await store.db.outboundMessage.update({
      where: { id },
      data: { status: "sending", claimedBy: "dead-instance", claimedAt: clock.now(), partsSent: 1 },
    });
    fake.delivered.splice(1);
    clock.advance(6_000);
    await drain();
    // parts 2… only, once each, after a notice that part 2 may be a resend
    expect(fake.delivered).toHaveLength(total + 1);
    expect(fake.delivered[1]!.content).toBe(RESEND_NOTICE.trim());
    expect(fake.delivered[2]!.content!.startsWith("（2/")).toBe(true);
    expect((await row(id)).status).toBe("sent");
  });

  it("shared budgets: two senders on one database never exceed WeCom's per-member limit together", async () => {
    const budget = () => ({
      app: new SharedSendBudget(store, clock, "app", [{ limit: 30, windowMs: 60_000 }]),
    });
    const one = rig({ budgets: budget(), instanceId: "i1" });
    const two = rig({ budgets: budget(), instanceId: "i2" });
    for (let i = 0; i < 45; i++)
      await one.enqueue({
        channel: "wecom_app",
        recipient: "qn_li",
        purpose: "reminder",
        payload: { content: `提醒${i}` },
      });
    await Promise.all([one.drain(), two.drain()]);
    expect(fake.dropped).toHaveLength(0);
    expect(fake.deliveredTo("qn_li")).toHaveLength(30);
    clock.advance(61_000);
    await Promise.all([one.drain(), two.drain()]);
    expect(fake.dropped).toHaveLength(0);
    expect(fake.deliveredTo("qn_li").map((d) => d.content)).toEqual(
      Array.from({ length: 45 }, (_, i) => `提醒${i}`),
    );
  });
});
