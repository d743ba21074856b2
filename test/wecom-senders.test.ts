import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CardResponseCodes } from "../bot/wecom/card-response-codes.js";
import { WecomClient } from "../bot/wecom/wecom-client.js";
import type { WecomRateLimits } from "../bot/wecom/wecom-rate-limits.js";
import { createWecomSenders } from "../bot/wecom/wecom-senders.js";
import { createLogger } from "../src/log/logger.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { Outbox } from "../src/outbox/outbox.js";
import type { NewOutboxMessage } from "../src/outbox/outbox-message.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { createTestStore, type TestStore } from "./support/stores.js";

const ROBOT_KEY = "robot-key-0b6f2c9e";
let store: TestStore;
let fake: FakeWecomServer;
let clock: ReturnType<typeof fixedClock>;
let logs: string[];
let seq = 0;

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

function rig(
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

const row = (id: number) => store.db.outboundMessage.findUniqueOrThrow({ where: { id } });

describe("WeCom senders", () => {
  it("splits long text at line boundaries into numbered parts within 2048 bytes, in order", async () => {
    const { enqueue, drain } = rig();
    const lines = Array.from(
      { length: 120 },
      (_, i) => `第${i + 1}行：黔南州惠水经开区 进出口额 12.34亿元，同比增长 5.6%`,
    );
    const { id } = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      payload: { content: lines.join("\n") },
    });
    await drain();
    const parts = fake.deliveredTo("qn_li");
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, p] of parts.entries()) {
      expect(Buffer.byteLength(p.content!)).toBeLessThanOrEqual(2048);
      expect(p.content!.startsWith(`（${i + 1}/${parts.length}）\n`)).toBe(true);
    }
    const rejoined = parts.map((p) => p.content!.replace(/^（\d+\/\d+）\n/, "")).join("\n");
    expect(rejoined).toBe(lines.join("\n"));
    expect((await row(id)).externalMsgId!.split(",")).toHaveLength(parts.length);
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
    expect(deferred.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000);
    clock.advance(60_000);
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
    expect(fake.deliveredTo(ROBOT_KEY)).toHaveLength(21);
  });

  it("gives up on an unknown robot name or a deleted key without ever logging the key", async () => {
    const { enqueue, drain, gaveUp } = rig({
      robotKeys: { WECOM_ROBOT_KEY_PROVINCE: ROBOT_KEY, WECOM_ROBOT_KEY_OLD: "deleted-key-77" },
    });
    const a = await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_MISSING",
      payload: { content: "x" },
    });
    const b = await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_OLD",
      payload: { content: "y" },
    });
    await drain();
    expect(await row(a.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await row(a.id)).lastError).toContain("WECOM_ROBOT_KEY_MISSING");
    expect(await row(b.id)).toMatchObject({ status: "failed", lastErrcode: 93000 });
    expect(gaveUp.map((g) => g.id).sort()).toEqual([a.id, b.id].sort());
    const all = logs.join("\n") + JSON.stringify(await store.db.outboundMessage.findMany());
    expect(all).not.toContain("deleted-key-77");
    expect(all).not.toContain(ROBOT_KEY);
    expect(logs.some((l) => l.includes("WeCom 配置错误") && l.includes("93000"))).toBe(true);
  });

  it("retries transient errors with the errcode recorded, and gives up on an invalid user", async () => {
    const { enqueue, drain, dispatcher } = rig();
    fake.inject("message/send", 45009);
    const a = await enqueue({ channel: "wecom_app", recipient: "qn_li", payload: { content: "hi" } });
    await dispatcher.runOnce();
    const r = await row(a.id);
    expect(r).toMatchObject({ status: "pending", attempts: 1, lastErrcode: 45009 });
    expect(r.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 60_000);
    clock.advance(61_000);
    await drain();
    expect(await row(a.id)).toMatchObject({ status: "sent", attempts: 2, lastErrcode: 0 });
    const b = await enqueue({ channel: "wecom_app", recipient: "ghost_user", payload: { content: "hi" } });
    await drain();
    expect(await row(b.id)).toMatchObject({ status: "failed", lastErrcode: 81013 });
  });

  it("uploads files (app and robot) before sending them, once per file", async () => {
    const { enqueue, drain } = rig();
    const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-files-"));
    const file = path.join(dir, "tongbao.xlsx");
    writeFileSync(file, Buffer.alloc(2048, 7));
    const payload = { path: file, filename: "2024年一季度通报.xlsx" };
    await enqueue({ channel: "wecom_app", recipient: "qn_li", msgType: "file", payload });
    await enqueue({ channel: "wecom_app", recipient: "tr_zhao", msgType: "file", payload });
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      msgType: "file",
      payload,
    });
    const missing = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "file",
      payload: { path: path.join(dir, "nope.xlsx") },
    });
    await drain();
    expect(fake.delivered.map((d) => `${d.endpoint}:${d.msgtype}:${d.to}`).sort()).toEqual([
      "message/send:file:qn_li",
      "message/send:file:tr_zhao",
      `webhook/send:file:${ROBOT_KEY}`,
    ]);
    expect([...fake.uploads.values()].map((u) => `${u.scope}:${u.filename}:${u.bytes}`).sort()).toEqual([
      "app:2024年一季度通报.xlsx:2048",
      `robot:${ROBOT_KEY}:2024年一季度通报.xlsx:2048`,
    ]);
    expect(await row(missing.id)).toMatchObject({ status: "failed" });
  });

  it("sends template cards on the app, updates the clicked card in place, and falls back to text elsewhere", async () => {
    const cardCodes = new CardResponseCodes(clock);
    const { enqueue, drain } = rig({ cardCodes });
    const card = {
      card_type: "button_interaction",
      main_title: { title: "请确认：惠水经开区 2024年一季度" },
      task_id: "rev-9",
      button_list: [{ text: "确认", key: "confirm:9" }],
    };
    await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card, fallbackText: "回复“确认”" },
    });
    await drain();
    expect(fake.deliveredTo("qn_li").map((d) => d.msgtype)).toEqual(["template_card"]);
    // the user clicks; the callback server recorded the click's ResponseCode
    cardCodes.remember("qn_li", "rev-9", fake.issueResponseCode());
    await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card: { ...card, main_title: { title: "已确认" }, button_list: [] } },
    });
    await drain();
    expect(fake.cardUpdates).toHaveLength(1);
    expect(fake.cardUpdates[0]).toMatchObject({ userids: ["qn_li"], template_card: { task_id: "rev-9" } });
    expect(fake.deliveredTo("qn_li")).toHaveLength(1);
    // button-only update without a code: the fallback text goes out instead
    await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card: { task_id: "rev-9", replace_name: "已确认" }, fallbackText: "已确认" },
    });
    fake.addChat("chatA", ["qn_li", "tf_wang"]);
    await enqueue({
      channel: "wecom_appchat",
      recipient: "chatA",
      msgType: "template_card",
      payload: { card, fallbackText: "群内文字版" },
    });
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      msgType: "template_card",
      payload: { card, fallbackText: "机器人文字版" },
    });
    await drain();
    expect(fake.deliveredTo("qn_li").map((d) => d.content ?? d.msgtype)).toEqual(["template_card", "已确认"]);
    expect(fake.deliveredTo("chatA")[0]).toMatchObject({ msgtype: "text", content: "群内文字版" });
    expect(fake.deliveredTo(ROBOT_KEY)[0]).toMatchObject({ msgtype: "text", content: "机器人文字版" });
  });

  it("splits robot markdown at 4096 bytes", async () => {
    const { enqueue, drain } = rig();
    const md = Array.from(
      { length: 200 },
      (_, i) => `> **第${i + 1}名** 某经开区 <font color="info">完成率 88%</font>`,
    ).join("\n");
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      msgType: "markdown",
      payload: { content: md },
    });
    await drain();
    const got = fake.deliveredTo(ROBOT_KEY);
    expect(got.length).toBeGreaterThan(1);
    for (const g of got) expect(Buffer.byteLength(g.content!)).toBeLessThanOrEqual(4096);
    expect(got.every((g) => g.msgtype === "markdown")).toBe(true);
  });
});
