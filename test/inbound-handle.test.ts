import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Composer } from "../bot/handlers/composer.js";
import { answer, type Handler } from "../bot/handlers/handler.js";
import { createRouter, TASK_FORCE_ONLY } from "../bot/handlers/router.js";
import { createInboundHandler } from "../bot/inbound/handle.js";
import { acceptInbound } from "../bot/inbound/inbound-store.js";
import { resumeUnfinishedInbound } from "../bot/inbound/resume-unfinished.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { fixedClock } from "../src/time/clock.js";
import { clearDialogueState, testApp } from "./support/report-app.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const T0 = "2023-04-10T02:00:00Z";
let seq = 0;
const event = (over: Partial<InboundEvent> = {}): InboundEvent => ({
  channel: "wecom",
  externalId: `msg-${++seq}`,
  senderRef: ROSTER.contacts.qiannanWecom,
  kind: "text",
  text: "echo 你好",
  receivedAt: new Date(T0),
  ...over,
});

const echo: Handler = {
  name: "echo",
  matches: (ctx) => ctx.text.startsWith("echo"),
  run: async (ctx) => answer("info", `回声：${ctx.text.slice(4).trim()}（${ctx.contact.name}）`),
};
const shadowed: Handler = {
  ...echo,
  name: "shadowed",
  run: async () => answer("info", "不应运行"),
};
const boom: Handler = {
  name: "boom",
  matches: (ctx) => ctx.text === "boom",
  run: async (ctx) => {
    // a write inside a transaction that then fails: nothing of it may remain
    await ctx.app.store.db.$transaction(async (tx) => {
      await ctx.queueWith(tx, "半截回复");
      throw new Error("kaboom");
    });
    return answer("info");
  },
};
const long: Handler = {
  name: "long",
  matches: (ctx) => ctx.text === "long",
  run: async () =>
    answer("info", Array.from({ length: 300 }, (_, i) => `第${i + 1}行 进出口累计32000万元`).join("\n")),
};
/** Registration order: echo before shadowed, which therefore never runs. */
const HANDLERS = [boom, long, echo, shadowed];

async function replies(store: TestStore, inboundId: number) {
  const rows = await store.db.outboundMessage.findMany({
    where: { idempotencyKey: { startsWith: `reply:${inboundId}:` } },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    key: r.idempotencyKey,
    channel: r.channel,
    recipient: r.recipient,
    ...JSON.parse(r.payload),
  }));
}

describe.each(TEST_PROVIDERS)("inbound entry point on %s", (provider) => {
  let store: TestStore;
  const clock = fixedClock(T0);
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
  });
  afterAll(async () => {
    await store?.dispose();
  });
  beforeEach(async () => {
    await clearDialogueState(store);
    clock.set(T0);
  });

  it("stores, routes in registration order, replies to the sender on the same channel, marks processed", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const r = await handle(event({ text: "  echo 你好  " }));
    expect(r).toMatchObject({
      duplicate: false,
      status: "processed",
      handler: "echo",
      contactId: ROSTER.contacts.qiannan,
      replies: 1,
    });
    expect(await replies(store, r.inboundId)).toEqual([
      {
        key: `reply:${r.inboundId}:1`,
        channel: "wecom_app",
        recipient: "qn_li",
        content: "回声：你好（李黔南）",
      },
    ]);
    const row = await store.db.inboundMessage.findUniqueOrThrow({ where: { id: r.inboundId } });
    expect(row).toMatchObject({
      status: "processed",
      contactId: ROSTER.contacts.qiannan,
      text: "  echo 你好  ",
      error: null,
    });
  });

  it("a redelivered message is processed once", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const e = event();
    const first = await handle(e);
    clock.advance(3_000);
    const again = await handle({ ...e, receivedAt: clock.now() });
    const third = await handle(e);
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({
      duplicate: true,
      status: "duplicate",
      inboundId: first.inboundId,
      replies: 1,
    });
    expect(third.duplicate).toBe(true);
    expect(await store.db.inboundMessage.count()).toBe(1);
    expect(await store.db.outboundMessage.count()).toBe(1);
    // the same id on another channel is another message
    const wechat = await handle({ ...e, channel: "wechat", senderRef: "wxid_qnli" });
    expect(wechat.duplicate).toBe(false);
    expect((await replies(store, wechat.inboundId))[0]).toMatchObject({
      channel: "wechat",
      recipient: "wxid_qnli",
    });
  });

  it("concurrent deliveries of one message: exactly one is handled", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const e = event();
    const results = await Promise.all([handle(e), handle(e), handle(e)]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await store.db.outboundMessage.count()).toBe(1);
  });

  it("two messages of one sender delivered at once are handled in order: the second completes the first's draft", async () => {
    const handle = createInboundHandler(testApp(store, clock));
    const [first, second] = await Promise.all([
      handle(event({ text: "惠水经开区 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个" })),
      handle(event({ text: "赴外招商4次，引进外贸主体1家，人才培训2场" })),
    ]);
    expect(first.outcome).toBe("awaiting_missing");
    expect(second.outcome).toBe("awaiting_confirmation");
    const draft = await store.db.conversation.findUniqueOrThrow({
      where: { contactId: ROSTER.contacts.qiannan },
    });
    expect(draft.state).toBe("awaiting_confirmation");
    const [section, ...others] = JSON.parse(draft.payload).sections;
    expect(others).toEqual([]);
    // both messages' values are in the one draft (3 from the first, 3 from the second)
    expect(section).toMatchObject({ zoneId: ROSTER.zones.huishui, changed: expect.any(Array) });
    expect(Object.entries(section.values).sort()).toEqual([
      ["entities", "1"],
      ["projects", "3"],
      ["trade_total", "32000"],
      ["trade_yoy", "12.5"],
      ["trainings", "2"],
      ["trips", "4"],
    ]);
    // another sender is not held up by this one's queue
    const other = await handle(event({ senderRef: "stranger", text: "你好" }));
    expect(other.handler).toBe("unregistered");
  });

  it("a message stored ahead by the transport is handled once, as new, and a redelivery is a duplicate", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const e = event({ text: "echo 先存" });
    await acceptInbound(store.db, e);
    await acceptInbound(store.db, e); // WeCom's retry before the handler ran: still one row
    expect(await store.db.inboundMessage.count({ where: { externalId: e.externalId } })).toBe(1);
    const r = await handle(e);
    expect(r).toMatchObject({ duplicate: false, resumed: false, status: "processed", replies: 1 });
    expect((await handle(e)).duplicate).toBe(true);
    expect(await replies(store, r.inboundId)).toHaveLength(1);
  });

  it("two instances on one database handle one sender's messages in arrival order", async () => {
    const order: string[] = [];
    const slow: Handler = {
      name: "slow",
      matches: (ctx) => ctx.text.startsWith("slow"),
      run: async (ctx) => {
        order.push(`start ${ctx.text}`);
        if (ctx.text === "slow 1") await new Promise((r) => setTimeout(r, 300));
        order.push(`end ${ctx.text}`);
        return answer("info");
      },
    };
    // two createInboundHandler calls = two bot instances (separate in-process queues)
    const a = createInboundHandler(testApp(store, clock), { router: [slow] });
    const b = createInboundHandler(testApp(store, clock), { router: [slow] });
    const first = event({ text: "slow 1" });
    const p1 = a(first);
    for (let i = 0; i < 200; i++) {
      const stored = await store.db.inboundMessage.count({ where: { externalId: first.externalId } });
      if (stored === 1) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const p2 = b(event({ text: "slow 2" }));
    await Promise.all([p1, p2]);
    expect(order).toEqual(["start slow 1", "end slow 1", "start slow 2", "end slow 2"]);
  });

  it("a message left 'received' by a crash is processed when redelivered; replies are not doubled", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const e = event({ text: "echo 重来" });
    // the crashed run: row stored and claimed, first reply queued, never marked processed
    const crashed = await store.db.inboundMessage.create({
      data: {
        channel: e.channel,
        externalId: e.externalId,
        senderRef: e.senderRef,
        kind: "text",
        text: e.text,
        receivedAt: e.receivedAt,
        status: "received",
        claimedAt: new Date(clock.now().getTime() - 1_000),
      },
    });
    await testApp(store, clock).outbox.enqueue({
      idempotencyKey: `reply:${crashed.id}:1`,
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "text",
      payload: { content: "回声：重来（李黔南）" },
      purpose: "reply",
    });
    // still within the claim lease: another instance may be working on it → duplicate
    expect((await handle(e)).duplicate).toBe(true);
    clock.advance(61_000);
    const resumed = await handle(e);
    expect(resumed).toMatchObject({
      duplicate: false,
      resumed: true,
      status: "processed",
      inboundId: crashed.id,
      replies: 1,
    });
    expect(await replies(store, crashed.id)).toHaveLength(1);
    expect((await store.db.inboundMessage.findUniqueOrThrow({ where: { id: crashed.id } })).status).toBe(
      "processed",
    );
    expect((await handle(e)).duplicate).toBe(true);
  });

  it("a message stored but never finished (no redelivery will come) is resumed by the periodic pass", async () => {
    const app = testApp(store, clock);
    const handle = createInboundHandler(app, { router: HANDLERS });
    const stored = (externalId: string, text: string, claimedAt: Date) =>
      store.db.inboundMessage.create({
        data: {
          channel: "wechat",
          externalId,
          senderRef: "wxid_qnli", // 李黔南's WeChat identity (roster fixture)
          kind: "text",
          text,
          receivedAt: new Date(T0),
          status: "received",
          claimedAt,
        },
      });
    const stale = await stored("wx-stale", "echo 补上", new Date(clock.now().getTime() - 61_000));
    const busy = await stored("wx-busy", "echo 处理中", new Date(clock.now().getTime() - 1_000));
    const results = await resumeUnfinishedInbound(app, handle);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ inboundId: stale.id, resumed: true, status: "processed", replies: 1 });
    expect((await replies(store, stale.id))[0]).toMatchObject({
      channel: "wechat",
      content: "回声：补上（李黔南）",
    });
    expect((await store.db.inboundMessage.findUniqueOrThrow({ where: { id: busy.id } })).status).toBe(
      "received",
    );
    expect(await resumeUnfinishedInbound(app, handle)).toEqual([]);
    clock.advance(61_000);
    expect((await resumeUnfinishedInbound(app, handle)).map((r) => r.inboundId)).toEqual([busy.id]);
    expect(await store.db.outboundMessage.count()).toBe(2);
    // one left unfinished for more than a day is not run any more, but no longer counts as in progress
    clock.advance(86_400_000);
    const old = await stored("wx-old", "echo 太晚", new Date(clock.now().getTime() - 120_000));
    expect(await resumeUnfinishedInbound(app, handle)).toEqual([]);
    expect(await store.db.inboundMessage.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({
      status: "failed",
      error: expect.stringContaining("超过补处理时限"),
    });
    expect(await store.db.outboundMessage.count()).toBe(2);
  });

  it("a resumed picture, location or file is answered as what it was (the file is asked for again: its bytes were not kept)", async () => {
    const app = testApp(store, clock);
    const handle = createInboundHandler(app);
    const sender = { channel: "wechat" as const, senderRef: "wxid_qnli" }; // 李黔南 on WeChat
    const kept = [
      event({ ...sender, externalId: "r-pic", text: "[图片]", attachment: { kind: "image" } }),
      event({ ...sender, externalId: "r-loc", text: "[位置]", attachment: { kind: "location" } }),
      event({
        ...sender,
        externalId: "r-file",
        text: "[文件] 一季度报送.xlsx",
        attachment: { kind: "file", fileName: "一季度报送.xlsx", bytes: Buffer.from("PK") },
      }),
    ];
    // stored as a transport that acknowledges first stores them, then the process died
    for (const e of kept) await acceptInbound(store.db, e);
    clock.advance(120_000);
    const results = await resumeUnfinishedInbound(app, handle);
    expect(results.map((r) => r.status)).toEqual(["processed", "processed", "processed"]);
    const [pic, loc, file] = await Promise.all(results.map((r) => replies(store, r.inboundId)));
    expect(pic![0]!.content).toContain("暂时无法识别图片中的数据");
    expect(loc![0]!.content).toContain("暂时无法识别您发送的位置");
    expect(file![0]!.content).toContain("文件「一季度报送.xlsx」在机器人处理时中断");
    expect(file![0]!.content).toContain("请重新发送该文件");
    for (const r of [pic, loc, file]) expect(r![0]!.content).not.toContain("没有从您的消息中读到");
  });

  it("an unregistered sender gets one neutral reply without staff names or numbers; nothing else is stored", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    for (const senderRef of ["stranger", ROSTER.contacts.inactive]) {
      const r = await handle(event({ senderRef, text: "惠水 进出口3.2亿元" }));
      expect(r).toMatchObject({ status: "processed", handler: "unregistered", replies: 1 });
      expect(r.contactId).toBeUndefined();
      const [reply] = await replies(store, r.inboundId);
      expect(reply.recipient).toBe(senderRef);
      expect(reply.content).toContain("尚未登记");
      expect(reply.content).toContain("经开区培育工作专班");
      // #18: strangers never learn who the task force is, nor any phone number.
      expect(reply.content).not.toContain("王专班");
      for (const c of await store.db.contact.findMany()) {
        expect(reply.content).not.toContain(c.name);
        if (c.phone) expect(reply.content).not.toContain(c.phone);
      }
      expect(reply.content).not.toMatch(/1\d{10}/);
      expect(
        (await store.db.inboundMessage.findUniqueOrThrow({ where: { id: r.inboundId } })).contactId,
      ).toBeNull();
    }
    expect(await store.db.conversation.count()).toBe(0);
    expect(await store.db.reportRevision.count()).toBe(0);
    expect(await store.db.outboundMessage.count()).toBe(2);
  });

  it("a handler error: generic apology, message marked failed, transaction rolled back, bot keeps going", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const failed = await handle(event({ text: "boom" }));
    expect(failed).toMatchObject({ status: "failed", handler: "boom" });
    const rs = await replies(store, failed.inboundId);
    expect(rs.map((r) => r.content)).toEqual([expect.stringContaining("抱歉")]);
    expect(rs[0].content).not.toContain("kaboom");
    const row = await store.db.inboundMessage.findUniqueOrThrow({ where: { id: failed.inboundId } });
    expect(row.status).toBe("failed");
    expect(row.error).toContain("kaboom");
    const next = await handle(event({ text: "echo 还在" }));
    expect(next.status).toBe("processed");
    expect((await replies(store, next.inboundId))[0].content).toBe("回声：还在（李黔南）");
    // a failed message is not retried by a redelivery (it would fail the same way)
    expect((await handle({ ...event({ text: "boom" }), externalId: row.externalId })).duplicate).toBe(true);
  });

  it("long replies are split into numbered parts within the WeCom byte limit, keyed reply:<id>:<n>", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: HANDLERS });
    const r = await handle(event({ text: "long" }));
    const rs = await replies(store, r.inboundId);
    expect(rs.length).toBeGreaterThan(2);
    rs.forEach((x, i) => {
      expect(x.key).toBe(`reply:${r.inboundId}:${i + 1}`);
      expect(Buffer.byteLength(x.content, "utf8")).toBeLessThanOrEqual(2048);
      expect(x.content.startsWith(`（${i + 1}/${rs.length}）`)).toBe(true);
    });
    const onConsole = await handle(
      event({ text: "long", channel: "console", senderRef: ROSTER.contacts.qiannan }),
    );
    expect(await replies(store, onConsole.inboundId)).toHaveLength(1);
  });

  it("with no matching handler the sender is pointed to 帮助; an unknown button says it expired", async () => {
    const handle = createInboundHandler(testApp(store, clock), { router: [echo] });
    const t = await handle(event({ text: "随便说说" }));
    expect(t.handler).toBe("unmatched");
    expect((await replies(store, t.inboundId))[0].content).toContain("帮助");
    const a = await handle(event({ kind: "action", text: "confirm:deadbeef" }));
    expect((await replies(store, a.inboundId))[0].content).toContain("按钮已失效");
  });
});

describe("router", () => {
  it("asks handlers in registration order: attachments first, task-force commands next, the report fallback last", () => {
    const names = createRouter().names();
    expect(names[0]).toBe("report-file");
    expect(names.slice(1, 8).every((n) => n.startsWith("taskforce-"))).toBe(true);
    for (const n of ["help", "template", "progress", "report-confirm", "report-cancel", "report-modify"]) {
      expect(names).toContain(n);
    }
    expect(names.indexOf("report-card-action")).toBeLessThan(names.indexOf("help"));
    expect(names.at(-1)).toBe("report-submit");
  });
});

describe.each(TEST_PROVIDERS)("router filters on %s", (provider) => {
  let store: TestStore;
  const clock = fixedClock(T0);
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
  });
  afterAll(() => store.close());

  const tf = (name: string): Handler => ({
    name,
    matches: (ctx) => ctx.text === name,
    run: async () => answer("info", `${name} 已执行`),
  });
  it("a task-force command from a bureau contact is refused once, declared by the filter, not by the handler", async () => {
    const r = new Composer();
    r.filter(
      (ctx) => ctx.contact.role === "task_force",
      () => answer("refused", TASK_FORCE_ONLY),
    ).use(tf("专班命令"));
    r.filter((ctx) => ctx.contact.role === "task_force").use(tf("专班可选"));
    r.use({ name: "fallback", matches: () => true, run: async () => answer("info", "兜底") });
    const handle = createInboundHandler(testApp(store, clock), { router: r });
    const refused = await handle(event({ text: "专班命令" }));
    expect(refused).toMatchObject({ handler: "专班命令", outcome: "refused" });
    expect((await replies(store, refused.inboundId))[0].content).toBe(TASK_FORCE_ONLY);
    // without a refusal the group is skipped: routing goes on to the next handler
    const fell = await handle(event({ text: "专班可选" }));
    expect(fell.handler).toBe("fallback");
    expect((await replies(store, fell.inboundId))[0].content).toBe("兜底");
  });
});
