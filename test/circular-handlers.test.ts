import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TASK_FORCE_ONLY } from "../bot/handlers/router.js";
import { createInboundHandler } from "../bot/inbound/handle.js";
import { findCircular } from "../src/circulars/circular-repository.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { circularApp } from "./support/circular-app.js";
import {
  addRevision,
  CF,
  CF_Q2_VALUES,
  seedCircularFixture,
  seedQ2Reports,
} from "./support/circular-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

interface ReplyRow {
  msgType: string;
  recipient: string;
  content?: string;
  path?: string;
  filename?: string;
}

describe.each(TEST_PROVIDERS)("task-force chat commands on %s", (provider) => {
  let store: TestStore;
  let ctx: ReturnType<typeof circularApp>;
  let handle: ReturnType<typeof createInboundHandler>;
  let seq = 0;

  /** Sends one console message through the real inbound pipeline; returns the handler and the replies. */
  async function say(senderRef: string, text: string) {
    const event: InboundEvent = {
      channel: "console",
      externalId: `m${++seq}`,
      senderRef,
      kind: "text",
      text,
      receivedAt: ctx.clock.now(),
    };
    const r = await handle(event);
    const rows = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: `reply:${r.inboundId}:` } },
      orderBy: { id: "asc" },
    });
    const replies: ReplyRow[] = rows.map((x) => ({
      msgType: x.msgType,
      recipient: x.recipient,
      ...JSON.parse(x.payload),
    }));
    return {
      handler: r.handler,
      outcome: r.outcome,
      replies,
      text: replies.map((x) => x.content ?? "").join("\n"),
    };
  }

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    ctx = circularApp(store);
    handle = createInboundHandler(ctx.app);
  });
  afterAll(async () => {
    await store.dispose();
    rmSync(ctx.baseDir, { recursive: true, force: true });
  });

  it("通报 草稿 2023Q2: drafts, replies with the preview, then the Word and Excel files", async () => {
    const r = await say(CF.contacts.taskForce, "通报 草稿 2023Q2");
    expect(r.handler).toBe("taskforce-circular-draft");
    expect(r.outcome).toBe("info");
    expect(r.replies.map((x) => [x.msgType, x.recipient])).toEqual([
      ["text", CF.contacts.taskForce],
      ["file", CF.contacts.taskForce],
      ["file", CF.contacts.taskForce],
    ]);
    expect(r.replies[0]!.content).toContain("已起草通报 1（未编号，2023年第二季度），状态：草稿");
    expect(r.replies[0]!.content).toContain("【2023年第二季度经开区培育工作进展情况通报】");
    expect(r.replies[0]!.content).toContain("发送“批准 通报 1”");
    expect(r.replies[0]!.content).not.toContain("<font");
    expect(r.replies[1]!.filename).toBe("通报草稿 2023年第二季度经开区培育工作进展通报.docx");
    expect(r.replies[2]!.filename).toMatch(/\.xlsx$/);
    expect(existsSync(r.replies[1]!.path!)).toBe(true);
    expect(r.replies[1]!.path!.startsWith(ctx.baseDir)).toBe(true);
    expect((await findCircular(store.db, 1))!.createdBy).toBe(CF.contacts.taskForce);
  });

  it("other contacts are refused in Chinese and nothing is drafted", async () => {
    for (const text of ["通报 草稿 2023Q2", "批准 通报 1", "发布 通报 1", "通报 列表", "进度 2023Q2"]) {
      const r = await say(CF.contacts.bureau, text);
      expect(r.handler).toMatch(/^taskforce-/);
      expect(r.outcome).toBe("refused");
      expect(r.text).toBe(TASK_FORCE_ONLY);
    }
    expect(await store.db.circular.count()).toBe(1);
  });

  it("the plain 进度 of a bureau contact stays with the report dialogue; a report is not taken for a command", async () => {
    expect((await say(CF.contacts.bureau, "进度")).handler).toBe("progress");
    const report = await say(CF.contacts.taskForce, "惠水经开区 二季度 进出口累计10亿元 通报");
    expect(report.handler).toBe("report-submit");
  });

  it("批准 通报 1 (full-width digits too) and 发布 通报 1 reach every configured group", async () => {
    const a = await say(CF.contacts.taskForce, "批准通报１");
    expect(a.handler).toBe("taskforce-circular-approve");
    expect(a.text).toContain("通报 1（黔商函〔2023〕1号，2023年第二季度）已批准");
    const s = await say(CF.contacts.taskForce2, "发布 通报 1");
    expect(s.handler).toBe("taskforce-circular-send");
    expect(s.text).toContain("已提交发布，共 3 个群聊"); // queued, not yet delivered
    expect(s.text).toContain("铜仁市经开区群：环境变量 WECOM_ROBOT_KEY_TONGREN 未设置（群机器人密钥）");
    expect(
      await store.db.outboundMessage.count({ where: { idempotencyKey: { startsWith: "circular:1:" } } }),
    ).toBe(16);
    const again = await say(CF.contacts.taskForce, "发布 通报 1");
    expect(again.text).toContain("此前已提交发布；本次新排队 0 条");
    expect(
      await store.db.outboundMessage.count({ where: { idempotencyKey: { startsWith: "circular:1:" } } }),
    ).toBe(16);
  });

  it("a correction before approval: 批准 says which zone changed and the draft is rebuilt", async () => {
    await say(CF.contacts.taskForce, "起草通报 2023年二季度");
    // the command again (typed twice, or reprocessed): the period's open draft is replaced, not doubled
    expect((await say(CF.contacts.taskForce, "通报 草稿 2023Q2")).text).toContain("已起草通报 2（未编号");
    expect(await store.db.circular.count({ where: { year: 2023, quarter: 2, status: "draft" } })).toBe(1);
    ctx.clock.set("2023-07-22T01:00:00Z");
    await addRevision(store.db, {
      zoneId: CF.zones.baiyun,
      revisionNo: 2,
      values: { ...CF_Q2_VALUES[CF.zones.baiyun], trips: "9" },
      late: true,
    });
    const r = await say(CF.contacts.taskForce, "批准 通报 2");
    expect(r.outcome).toBe("refused");
    expect(r.text).toContain("通报 2（未编号，2023年第二季度）未能批准：起草后有经开区更正或补报了数据");
    expect(r.text).toContain("- 白云经开区（赴外招商：8 → 9次）");
    expect(r.text).toContain("请核对后发送“批准 通报 2”");
    expect((await say(CF.contacts.taskForce, "批准 通报 2")).text).toContain(
      "通报 2（黔商函〔2023〕2号，2023年第二季度）已批准",
    );
    expect((await say(CF.contacts.taskForce, "批准 通报 99")).text).toContain("找不到编号为 99 的通报");
  });

  it("进度 2023Q2 (and the plain 进度 of a task-force member) shows submissions per prefecture", async () => {
    const r = await say(CF.contacts.taskForce, "进度 2023Q2");
    expect(r.handler).toBe("taskforce-progress");
    expect(r.text).toContain("【2023年第二季度报送进度】");
    expect(r.text).toContain("应报 8 个经开区：已报 6 个（逾期 1 个），未报 2 个。");
    expect(r.text).toContain(
      "铜仁（2个）：已报 1，逾期 0，未报 1\n  已报：松桃经开区（无目标）\n  未报：大龙经开区",
    );
    expect(r.text).toContain("黔南州（3个）：已报 2，逾期 1，未报 1");
    expect(r.text).toContain("外贸升级经开区进出口：累计 45亿元，为全年目标 130亿元 的 34.6%，进度滞后。");
    const plain = await say(CF.contacts.taskForce, "进度");
    expect(plain.handler).toBe("taskforce-progress");
    expect(plain.text).toContain("【2023年第二季度报送进度】");
    const bad = await say(CF.contacts.taskForce, "进度 2023Q9");
    expect(bad.handler).not.toBe("taskforce-progress");
  });

  it("通报 列表 lists the circulars; a sent one is 已发布 only when every group got it", async () => {
    const r = await say(CF.contacts.taskForce, "通报 列表");
    // nothing delivered yet: the rows are queued
    expect(r.text).toContain(
      "最近的通报：\n通报 2（黔商函〔2023〕2号，2023年第二季度）：已批准\n通报 1（黔商函〔2023〕1号，2023年第二季度）：发布中",
    );
    const rows = (group: string) => ({ idempotencyKey: { startsWith: `circular:1:${group}:` } });
    await store.db.outboundMessage.updateMany({ where: rows("G-5227"), data: { status: "sent" } });
    await store.db.outboundMessage.updateMany({ where: rows("G-PROV"), data: { status: "sent" } });
    await store.db.outboundMessage.updateMany({
      where: rows("G-TF"),
      data: { status: "failed", lastError: "webhook/send: errcode 93000 invalid webhook url" },
    });
    const partial = await say(CF.contacts.taskForce, "通报 查看 1");
    expect(partial.handler).toBe("taskforce-circular-show");
    expect(partial.text).toContain("通报 1（黔商函〔2023〕1号，2023年第二季度）：部分发布");
    expect(partial.text).toContain("各群发送情况（2/3 个群聊已送达）：");
    expect(partial.text).toContain(
      "- 省专班群：发送失败，5 条中已送达 0 条，未发出 5 条（webhook/send: errcode 93000",
    );
    expect(partial.text).toContain("- 全省经开区工作群：已送达（6 条）");
    expect((await say(CF.contacts.taskForce, "通报 列表")).text).toContain("2023年第二季度）：部分发布");
    // the failed group again: its rows go back to the queue, the delivered ones are not touched
    const resend = await say(CF.contacts.taskForce, "发布 通报 1");
    expect(resend.text).toContain("重发此前发送失败的 5 条");
    expect(await store.db.outboundMessage.count({ where: { ...rows("G-TF"), status: "pending" } })).toBe(5);
    expect(await store.db.outboundMessage.count({ where: { ...rows("G-PROV"), status: "sent" } })).toBe(6);
    expect((await say(CF.contacts.taskForce, "通报 查看 1")).text).toContain("：发布中");
    await store.db.outboundMessage.updateMany({ where: rows("G-TF"), data: { status: "failed" } });
    await store.db.outboundMessage.updateMany({ where: rows("G-5227"), data: { status: "failed" } });
    await store.db.outboundMessage.updateMany({ where: rows("G-PROV"), data: { status: "failed" } });
    expect((await say(CF.contacts.taskForce, "通报 查看 1")).text).toContain("：发布失败");
    await store.db.outboundMessage.updateMany({
      where: { idempotencyKey: { startsWith: "circular:1:" } },
      data: { status: "sent" },
    });
    const all = await say(CF.contacts.taskForce, "通报 查看 1");
    expect(all.text).toContain("：已发布");
    expect(all.text).toContain("各群发送情况（3/3 个群聊已送达）");
  });
});
