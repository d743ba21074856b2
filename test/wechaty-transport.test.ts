import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FileBox } from "file-box";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createInboundHandler } from "../bot/inbound/handle.js";
import { loadWechatSendHistory } from "../bot/transports/wechaty/governor/send-history.js";
import {
  startWechatyTransport,
  type WechatyTransport,
} from "../bot/transports/wechaty/start-wechaty-transport.js";
import { wechatTexts } from "../bot/transports/wechaty/wechat-texts.js";
import type { AppContext } from "../src/app-context.js";
import { failureAlertKey } from "../src/delivery/give-up-alert.js";
import { createLogger } from "../src/log/logger.js";
import type { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import type { OutboxRow } from "../src/outbox/outbox.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import {
  createMockWechat,
  drainWechat,
  seedWechatRoster,
  textSink,
  WX,
  wechatDispatcher,
  wechatTestApp,
} from "./support/wechat-fixture.js";

const MIN_DELAY = 1_000;
/** Mock messages are handled asynchronously (store, route, reply); the machine may be busy. */
const eventually = <T>(fn: () => T | Promise<T>) => vi.waitFor(fn, { timeout: 15_000, interval: 20 });

describe.each(TEST_PROVIDERS)("personal WeChat transport (wechaty-puppet-mock) on %s", (provider) => {
  let store: TestStore;
  let app: AppContext & { clock: ReturnType<typeof fixedClock> };
  let world: ReturnType<typeof createMockWechat>;
  let transport: WechatyTransport;
  let dispatcher: OutboxDispatcher;
  const gaveUp: { row: OutboxRow; error: string }[] = [];
  const qr = textSink();
  const logs = textSink();
  let tmp: string;

  const alerts = (keyPrefix: string) =>
    store.db.outboundMessage.findMany({
      where: { purpose: "alert", idempotencyKey: { startsWith: `alert:${keyPrefix}` } },
      orderBy: { id: "asc" },
    });
  const contentOf = (r: { payload: string }) => (JSON.parse(r.payload) as { content?: string }).content ?? "";

  const wechatIdentity = (contactId: string) =>
    store.db.contactIdentity.findUniqueOrThrow({
      where: { contactId_channel: { contactId, channel: "wechat" } },
    });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-wechat-"));
    store = await createTestStore(provider);
    await seedWechatRoster(store.db);
    const clock = fixedClock(localInstant("2023-04-17", "10:00"));
    app = Object.assign(
      wechatTestApp(store, clock, {
        WECHAT_MIN_DELAY_MS: String(MIN_DELAY),
        WECHAT_MAX_DELAY_MS: "3000",
        WECHAT_QUIET_HOURS: "22:30-07:30",
        WECHAT_BREAKER_PAUSE_MIN: "60",
      }),
      { clock, logger: createLogger("info", logs.stream) },
    );
    // queued before the login, to 王龙里's stale id: re-addressed when he is re-bound
    await app.outbox.enqueue({
      idempotencyKey: "early-reminder",
      channel: "wechat",
      recipient: WX.longliStale,
      msgType: "text",
      payload: { content: "请于4月22日前报送一季度进展。" },
      purpose: "reminder",
    });
    world = createMockWechat();
    transport = await startWechatyTransport(app, createInboundHandler(app), {
      puppet: world.puppet,
      random: () => 0.5,
      qrOutput: qr.stream,
    });
    dispatcher = wechatDispatcher(app, transport.senders, gaveUp);
    world.mocker.scan("https://login.weixin.qq.com/l/kaiqu-test", 2);
    world.mocker.login(world.self);
    world.puppet.emit("ready", { data: "mock" }); // PuppetMock never emits ready by itself
    await eventually(async () => expect(await alerts("wechat-binding")).toHaveLength(1));
  });

  afterAll(async () => {
    await transport?.stop();
    await store?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("shows the login QR as a link, reports the login, and re-binds the roster after login", async () => {
    const link = `https://wechaty.js.org/qrcode/${encodeURIComponent("https://login.weixin.qq.com/l/kaiqu-test")}`;
    await eventually(() => expect(qr.text()).toContain(link));
    expect(qr.text()).toMatch(/[▄▀█]/); // drawn in the terminal as well
    const st = transport.status();
    expect(st).toMatchObject({
      loggedIn: true,
      user: { id: WX.self, name: "经开区调度机器人" },
    });
    const login = await alerts("wechat-login");
    expect(login).toHaveLength(1);
    expect(login[0]).toMatchObject({ channel: "console", recipient: WX.taskForceContact });
    expect(contentOf(login[0]!)).toContain("「经开区调度机器人」已于 2023-04-17 10:00 登录");

    // 王龙里: stale id → found by his remark, the roster row now holds the new id,
    // and the reminder queued to the stale id before login is re-addressed
    const longli = await wechatIdentity(WX.longliContact);
    expect(longli.externalId).toBe(WX.longli);
    expect(longli.verifiedAt).toEqual(app.clock.now()); // the platform found it: verified
    const early = await store.db.outboundMessage.findUniqueOrThrow({
      where: { idempotencyKey: "early-reminder" },
    });
    expect(early.recipient).toBe(WX.longli);
    // the vanished room is reported, not skipped
    expect(st.binding).toMatchObject({ contacts: 2, rooms: 1, rebound: 1 });
    expect(st.binding?.unresolved).toEqual([
      { kind: "contact", rosterId: WX.zhangContact },
      { kind: "room", rosterId: WX.goneGroup },
    ]);
    expect(st.awaitingScanSince).toBeUndefined();
    const report = contentOf((await alerts("wechat-binding"))[0]!);
    expect(report).toContain(
      `黔南旧工作群（微信）（${WX.goneGroup}）（${WX.goneRoom}）：按群 ID 和群名「${WX.goneTopic}」都找不到`,
    );
    expect(report).toContain(
      `张黔南（${WX.zhangContact}）（${WX.zhangStale}）：按微信 ID 和备注名「${WX.zhangAlias}」都找不到`,
    );
    expect(report).toContain(`王龙里（${WX.longliContact}）：备注名一致，${WX.longliStale} → ${WX.longli}`);

    await drainWechat(dispatcher, app);
    expect(world.delivered(WX.longli).map((m) => m.text)).toEqual(["请于4月22日前报送一季度进展。"]);
    await eventually(() => expect(logs.text()).toContain(`"qrUrl":"${link}"`)); // the link is in the log too
  });

  it("someone who turns up later under a new id is re-bound by remark when they write — never by nickname", async () => {
    // a friend whose nickname copies the remark is not taken for 张黔南 (anyone can pick a nickname)
    const impostor = world.addContact({ id: "wxid_impostor", name: WX.zhangAlias });
    impostor.say("帮助").to(world.self);
    const fake = await eventually(async () => {
      const row = await store.db.inboundMessage.findFirst({ where: { senderRef: "wxid_impostor" } });
      expect(row?.status).toBe("processed");
      return row!;
    });
    expect(fake.contactId).toBeNull();
    expect((await wechatIdentity(WX.zhangContact)).externalId).toBe(WX.zhangStale);

    const zhang = world.addContact({ id: "wxid_zhang_new", name: "张三", alias: WX.zhangAlias });
    zhang.say("帮助").to(world.self);
    const real = await eventually(async () => {
      const row = await store.db.inboundMessage.findFirst({ where: { senderRef: "wxid_zhang_new" } });
      expect(row?.status).toBe("processed");
      return row!;
    });
    expect(real.contactId).toBe(WX.zhangContact);
    expect((await wechatIdentity(WX.zhangContact)).externalId).toBe("wxid_zhang_new");
    const told = await alerts(`wechat-rebound:contact:${WX.zhangContact}:wxid_zhang_new`);
    expect(told).toHaveLength(1);
    expect(contentOf(told[0]!)).toContain(
      `张黔南（${WX.zhangContact}）：备注名一致（来消息时），${WX.zhangStale} → wxid_zhang_new`,
    );
    await drainWechat(dispatcher, app);
    expect(world.delivered("wxid_zhang_new").length).toBeGreaterThan(0);
    expect(world.delivered("wxid_impostor").length).toBeGreaterThan(0); // the "not registered" reply
  });

  it("a report typed in a 1:1 chat reaches the inbound entry point, is stored, and the receipt comes back", async () => {
    world.qiannan.say("惠水经开区 一季度 进出口额4.2亿元 包装招商项目3个").to(world.self);
    const inbound = await eventually(async () => {
      const row = await store.db.inboundMessage.findFirst({
        where: { channel: "wechat", senderRef: WX.qiannan },
      });
      expect(row?.status).toBe("processed");
      return row!;
    });
    expect(inbound).toMatchObject({ contactId: WX.qiannanContact, chatRef: null, kind: "text" });
    expect(inbound.text).toBe("惠水经开区 一季度 进出口额4.2亿元 包装招商项目3个");
    const stored = await store.db.reportRevision.findFirst({
      where: { zoneId: WX.zone, year: 2023, quarter: 1 },
    });
    expect(stored).toMatchObject({ status: "confirmed", contactId: WX.qiannanContact, channel: "wechat" });
    expect(JSON.parse(stored!.values)).toMatchObject({ trade_total: "42000", projects: "3" });

    const replies = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } },
      orderBy: { id: "asc" },
    });
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.channel === "wechat" && r.recipient === WX.qiannan)).toBe(true);
    await drainWechat(dispatcher, app);
    const got = world.delivered(WX.qiannan).map((m) => m.text);
    expect(got).toEqual(replies.map(contentOf));
    expect(got.join("\n")).toContain("惠水");
  });

  it("a picture gets the “how to send figures” reply; group lines count only when the bot is @-mentioned", async () => {
    const before = await store.db.inboundMessage.count();
    world.qiannan
      .say(FileBox.fromBase64(Buffer.from("png").toString("base64"), "进展截图.png"))
      .to(world.self);
    const file = await eventually(async () => {
      const row = await store.db.inboundMessage.findFirst({ where: { text: "[图片]" } });
      expect(row?.status).toBe("processed");
      return row!;
    });
    world.qiannan.say("大家好，本周五前请报送").to(world.room);
    world.qiannan.say("@经开区调度机器人 帮助", [world.self]).to(world.room);
    const mention = await eventually(async () => {
      const row = await store.db.inboundMessage.findFirst({ where: { chatRef: WX.room } });
      expect(row?.status).toBe("processed");
      return row!;
    });
    expect(mention).toMatchObject({ channel: "wechat", senderRef: WX.qiannan, contactId: WX.qiannanContact });
    expect(mention.text).not.toContain("@经开区调度机器人");
    expect(mention.text).toContain("帮助");
    expect(await store.db.inboundMessage.count()).toBe(before + 2); // the un-mentioned line is no event
    await drainWechat(dispatcher, app);
    const texts = world.delivered(WX.qiannan).map((m) => m.text);
    expect(texts.join("\n")).toContain("机器人暂时无法识别图片中的数据");
    expect(texts.join("\n")).toContain("直接发送 Excel 报送表");
    expect(file.contactId).toBe(WX.qiannanContact);
    // the example in the text-only reply is a report the bot can read (the programme's own indicators)
    expect(wechatTexts.textOnly).toMatch(/只能识别文字[\s\S]*惠水经开区 一季度 进出口累计3\.2亿元/);
    expect(world.delivered(WX.room)).toEqual([]); // replies to a group mention go 1:1, not into the group
  });

  it("a circular (markdown made plain) and its file reach the room, spaced by the jittered delay", async () => {
    const file = path.join(tmp, "2023年一季度通报.docx");
    writeFileSync(file, "docx bytes");
    await app.outbox.enqueue({
      idempotencyKey: "circular-2023Q1-text",
      channel: "wechat_room",
      recipient: WX.room,
      msgType: "markdown",
      payload: {
        content:
          '## 2023年一季度经开区培育通报\n**惠水**：进出口额 <font color="warning">4.2亿元</font>\n> 请各地对照目标抓紧推进',
      },
      purpose: "circular",
    });
    await app.outbox.enqueue({
      idempotencyKey: "circular-2023Q1-file",
      channel: "wechat_room",
      recipient: WX.room,
      msgType: "file",
      payload: { path: file, filename: "2023年一季度通报.docx" },
      purpose: "circular",
    });
    await drainWechat(dispatcher, app);
    expect(world.delivered(WX.room)).toEqual([
      {
        id: expect.any(String),
        text: "2023年一季度经开区培育通报\n惠水：进出口额 4.2亿元\n请各地对照目标抓紧推进",
      },
      { id: expect.any(String), file: "2023年一季度通报.docx" },
    ]);
    const rows = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: "circular-2023Q1-" } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect(rows[1]!.sentAt!.getTime() - rows[0]!.sentAt!.getTime()).toBeGreaterThanOrEqual(MIN_DELAY);
  });

  it("a room renamed after login is still found by its id, and the roster keeps the new topic", async () => {
    const renamed = "黔南州经开区培育工作群（2023）";
    world.room.topic(renamed).by(world.qiannan);
    await eventually(async () =>
      expect(
        (
          await store.db.chatGroupIdentity.findUniqueOrThrow({
            where: { groupId_channel: { groupId: WX.roomGroup, channel: "wechat_topic" } },
          })
        ).externalId,
      ).toBe(renamed),
    );
    await app.outbox.enqueue({
      idempotencyKey: "after-rename",
      channel: "wechat_room",
      recipient: WX.room,
      msgType: "text",
      payload: { content: "请各地于4月22日前完成一季度报送。" },
      purpose: "reminder",
    });
    await drainWechat(dispatcher, app);
    expect(world.delivered(WX.room).at(-1)?.text).toBe("请各地于4月22日前完成一季度报送。");
  });

  it("a target that cannot be found fails with a clear error and the task force is told", async () => {
    await app.outbox.enqueue({
      idempotencyKey: "to-gone-room",
      channel: "wechat_room",
      recipient: WX.goneRoom,
      msgType: "text",
      payload: { content: "通报" },
      purpose: "circular",
    });
    await drainWechat(dispatcher, app);
    const row = await store.db.outboundMessage.findUniqueOrThrow({
      where: { idempotencyKey: "to-gone-room" },
    });
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe(`个人微信找不到群聊「黔南旧工作群（微信）」（${WX.goneRoom}）`);
    expect(gaveUp.map((g) => g.row.idempotencyKey)).toEqual(["to-gone-room"]);
    // keyed by the cause (the missing room) and day: the give-up alert after it is the same one
    const alert = await alerts(
      failureAlertKey(`wechat-unresolved:wechat_room:${WX.goneRoom}`, app.clock.now()),
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]!.channel).toBe("console");
    expect(contentOf(alert[0]!)).toContain(
      `找不到群聊「黔南旧工作群（微信）」（${WX.goneRoom}），一条通报没有发出（发件箱 #${row.id}）`,
    );
  });

  it("a message WeChat cannot show fails at once with a Chinese reason naming the field", async () => {
    await app.outbox.enqueue({
      idempotencyKey: "file-gone",
      channel: "wechat",
      recipient: WX.qiannan,
      msgType: "file",
      payload: { path: path.join(tmp, "没有这个文件.xlsx"), filename: "通报.xlsx" },
      purpose: "circular",
    });
    await drainWechat(dispatcher, app);
    const row = await store.db.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: "file-gone" } });
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.lastError).toContain(`文件无法读取：${path.join(tmp, "没有这个文件.xlsx")}`);
    expect(gaveUp.map((g) => g.row.idempotencyKey)).toContain("file-gone");
  });

  it("'操作过于频繁' pauses sending, alerts the task force on another channel, and the held messages go out after the pause", async () => {
    world.puppet.failNext.push("操作过于频繁，请稍后再试");
    const start = app.clock.now();
    for (const [key, channel, recipient] of [
      ["throttled-reminder", "wechat", WX.qiannan],
      ["throttled-circular", "wechat_room", WX.room],
    ] as const) {
      await app.outbox.enqueue({
        idempotencyKey: key,
        channel,
        recipient,
        msgType: "text",
        payload: { content: `held: ${key}` },
        purpose: channel === "wechat" ? "reminder" : "circular",
      });
    }
    const sentBefore = world.delivered(WX.qiannan).length + world.delivered(WX.room).length;
    await drainWechat(dispatcher, app);
    const pauseEnd = new Date(start.getTime() + 60 * 60_000);
    const held = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: "throttled-" } },
    });
    expect(held.map((r) => r.status)).toEqual(["pending", "pending"]);
    expect(held.every((r) => r.attempts === 0 && r.lastError?.startsWith("[wechat:breaker]"))).toBe(true);
    expect(held.every((r) => r.nextAttemptAt.getTime() >= pauseEnd.getTime())).toBe(true);
    expect(transport.status().governor.breaker).toMatchObject({ open: true, trips: 1 });
    const alert = await alerts("wechat-breaker:");
    expect(alert).toHaveLength(1);
    expect(alert[0]!.channel).toBe("console");
    expect(contentOf(alert[0]!)).toContain("微信提示发送过于频繁（操作过于频繁，请稍后再试）");
    // a restart now would find the breaker open from the outbox alone
    expect((await loadWechatSendHistory(store.db, app.clock.now())).breakerUntil?.getTime()).toBe(
      Math.max(...held.map((r) => r.nextAttemptAt.getTime())),
    );

    app.clock.set(new Date(pauseEnd.getTime() - 60_000));
    await drainWechat(dispatcher, app, 30_000);
    expect(world.delivered(WX.qiannan).length + world.delivered(WX.room).length).toBe(sentBefore);

    app.clock.set(pauseEnd);
    await drainWechat(dispatcher, app);
    expect(world.delivered(WX.qiannan).at(-1)?.text).toBe("held: throttled-reminder");
    expect(world.delivered(WX.room).at(-1)?.text).toBe("held: throttled-circular");
    const done = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: "throttled-" } },
    });
    expect(done.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
  });

  it("in quiet hours a reminder waits for the morning while a reply to someone who just wrote goes out", async () => {
    app.clock.set(localInstant("2023-04-17", "23:00"));
    for (const [key, purpose] of [
      ["night-reminder", "reminder"],
      ["night-reply", "reply"],
    ] as const) {
      await app.outbox.enqueue({
        idempotencyKey: key,
        channel: "wechat",
        recipient: WX.qiannan,
        msgType: "text",
        payload: { content: key },
        purpose,
      });
    }
    await drainWechat(dispatcher, app);
    const night = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: "night-" } },
      orderBy: { id: "asc" },
    });
    expect(night.map((r) => r.status)).toEqual(["pending", "sent"]);
    expect(night[0]!.nextAttemptAt).toEqual(localInstant("2023-04-18", "07:30"));
    expect(night[0]!.lastError).toMatch(/^\[wechat:quiet\] 免打扰时段 22:30-07:30/);
    expect(world.delivered(WX.qiannan).at(-1)?.text).toBe("night-reply");

    app.clock.set(localInstant("2023-04-18", "07:30"));
    await drainWechat(dispatcher, app);
    expect(world.delivered(WX.qiannan).at(-1)?.text).toBe("night-reminder");
  });

  it("after a logout messages stay in the outbox and the task force is told", async () => {
    await world.puppet.logout();
    await eventually(async () => expect(await alerts("wechat-logout:")).toHaveLength(1));
    expect(contentOf((await alerts("wechat-logout:"))[0]!)).toContain("待发消息会留在发件箱，不会丢失");
    await app.outbox.enqueue({
      idempotencyKey: "while-logged-out",
      channel: "wechat",
      recipient: WX.qiannan,
      msgType: "text",
      payload: { content: "x" },
      purpose: "reminder",
    });
    await dispatcher.runOnce();
    const row = await store.db.outboundMessage.findUniqueOrThrow({
      where: { idempotencyKey: "while-logged-out" },
    });
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    expect(row.lastError).toMatch(/^\[wechat:offline\]/);
    expect(transport.status().loggedIn).toBe(false);
  });
});
