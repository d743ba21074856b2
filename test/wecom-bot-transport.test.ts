import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInboundHandler } from "../bot/inbound/handle.js";
import type { Transport, TransportContext } from "../bot/transports/transport.js";
import { startWecomBot } from "../bot/transports/wecom-bot/start-wecom-bot-transport.js";
import type { AppContext } from "../src/app-context.js";
import { notifyTaskForce } from "../src/delivery/notify-task-force.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeAibotServer, type Frame } from "./support/fake-aibot-server.js";
import { clearDialogueState, testApp } from "./support/report-app.js";
import { seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";

const T0 = "2023-04-10T02:00:00Z";
const BOT = { botId: "aib_test_bot", secret: "s3cret-for-tests" };
const FULL = "惠水经开区 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场";
const TUNING = { heartbeatIntervalMs: 150, reconnectIntervalMs: 50, leaseRenewMs: 100 };
let seq = 0;

const single = (userid: string, body: Record<string, unknown>) => ({
  msgid: `m${++seq}`,
  aibotid: BOT.botId,
  chattype: "single",
  from: { userid },
  ...body,
});
const group = (userid: string, chatid: string, content: string) => ({
  msgid: `g${++seq}`,
  aibotid: BOT.botId,
  chatid,
  chattype: "group",
  from: { userid },
  msgtype: "text",
  text: { content },
});

describe.each(TEST_PROVIDERS)("智能机器人 transport against a fake long connection on %s", (provider) => {
  let store: TestStore;
  let server: FakeAibotServer;
  const clock = fixedClock(T0);
  const running: Transport[] = [];

  const appFor = (instance: string, env: Record<string, string> = {}): AppContext =>
    testApp(store, clock, {
      WECOM_BOT_ID: BOT.botId,
      WECOM_BOT_SECRET: BOT.secret,
      WECOM_BOT_WS_URL: server.url,
      INSTANCE_ID: instance,
      ...env,
    });
  const start = async (app: AppContext, extra: Partial<TransportContext> = {}) => {
    const handle = createInboundHandler(app);
    const t = await startWecomBot(
      {
        app,
        handle,
        alert: async (key, text, avoid) => {
          await notifyTaskForce(app, { key, text, avoid });
        },
        ...extra,
      },
      TUNING,
      undefined,
    );
    running.push(t);
    return t;
  };
  /** Sends every due wecom_bot row once. */
  const dispatch = (app: AppContext, t: Transport) =>
    new OutboxDispatcher({
      outbox: app.outbox,
      senders: t.senders,
      clock,
      logger: app.logger,
      instanceId: app.config.instanceId,
      batch: 50,
      maxAttempts: 3,
      leaseMs: 60_000,
      pollMs: 1_000,
    }).runOnce();
  const pushes = (to: string) =>
    server.sent("aibot_send_msg").filter((f) => (f.body as { chatid?: string }).chatid === to);
  const markdownOf = (f: Frame) => (f.body as { markdown?: { content: string } }).markdown?.content ?? "";

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
  });
  afterAll(async () => {
    for (const t of running.splice(0)) await t.stop();
    await server?.close();
    await store?.dispose();
  });
  beforeEach(async () => {
    for (const t of running.splice(0)) await t.stop();
    await server?.close();
    server = await new FakeAibotServer(BOT).start();
    await clearDialogueState(store);
    await store.db.transportLease.deleteMany();
  });

  it("subscribes with bot id and secret, heartbeats, and runs the 1:1 report dialogue with the card updated in place", async () => {
    const app = appFor("i1");
    const t = await start(app);
    await waitFor("authenticated", () => t.status?.().state === "connected");
    expect(server.subscribes).toEqual([{ botId: BOT.botId, ok: true }]);
    const hb0 = server.pings;
    await waitFor("two heartbeats", () => server.pings >= hb0 + 2);
    expect(t.status?.().lastHeartbeatAt).toBeDefined();

    server.pushMessage(single("qn_li", { msgtype: "text", text: { content: FULL } }));
    await waitFor("echo and card queued", async () => (await store.db.outboundMessage.count()) >= 2);
    await dispatch(app, t);
    const sent = pushes("qn_li");
    expect(sent).toHaveLength(2);
    expect(markdownOf(sent[0]!)).toContain("请核对");
    const card = (sent[1]!.body as { template_card: { task_id: string; button_list: { key: string }[] } })
      .template_card;
    const confirmKey = card.button_list.find((b) => b.key.startsWith("confirm:"))!.key;

    const clickReq = server.pushEvent({
      msgid: `e${++seq}`,
      create_time: 1681092000,
      aibotid: BOT.botId,
      chattype: "single",
      from: { userid: "qn_li" },
      msgtype: "event",
      event: { eventtype: "template_card_event", event_key: confirmKey, task_id: card.task_id },
    });
    const update = await server.waitFor((f) => f.cmd === "aibot_respond_update_msg");
    expect(update.headers.req_id).toBe(clickReq);
    expect(update.body).toMatchObject({
      response_type: "update_template_card",
      userids: ["qn_li"],
      template_card: { task_id: card.task_id, main_title: { title: "已确认，报送已保存" } },
    });
    expect(await store.db.reportRevision.count()).toBe(1);
    await dispatch(app, t);
    expect(markdownOf(pushes("qn_li")[2]!)).toContain("已");
  });

  it("reads voice as its recognised text and drops a redelivered msgid", async () => {
    const app = appFor("i1");
    const t = await start(app);
    await waitFor("authenticated", () => server.authenticated);
    const voice = single("qn_li", { msgtype: "voice", voice: { content: "帮助" } });
    server.pushMessage(voice);
    server.pushMessage(voice);
    await waitFor("voice handled", async () => (await store.db.inboundMessage.count()) === 1);
    const row = await store.db.inboundMessage.findFirstOrThrow();
    expect([row.channel, row.externalId, row.text]).toEqual(["wecom_bot", voice.msgid, "帮助"]);
    await waitFor(
      "voice processed",
      async () => (await store.db.inboundMessage.findFirst())?.status === "processed",
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await store.db.inboundMessage.count()).toBe(1);
    await dispatch(app, t);
    expect(pushes("qn_li").length).toBeGreaterThan(0);
  });

  it("in a group: accepts a report from a registered member, mentions them; a stranger gets one short answer", async () => {
    const app = appFor("i1");
    const t = await start(app);
    await waitFor("authenticated", () => server.authenticated);
    server.pushMessage(group("qn_li", "wrGROUP1", `@经开区助手 ${FULL}`));
    await waitFor("echo queued", async () => (await store.db.outboundMessage.count()) >= 2);
    const inbound = await store.db.inboundMessage.findFirstOrThrow({ where: { senderRef: "qn_li" } });
    expect(inbound.text).toBe(FULL);
    expect(inbound.chatRef).toBe("wrGROUP1");
    for (const s of ["陌生人第一句", "第二句", "第三句"])
      server.pushMessage(group("stranger", "wrGROUP1", `@经开区助手 ${s}`));
    await waitFor(
      "stranger's messages stored",
      async () =>
        (await store.db.inboundMessage.count({ where: { senderRef: "stranger", status: "processed" } })) ===
        3,
    );
    await dispatch(app, t);
    const toGroup = pushes("wrGROUP1");
    // replies to the two senders are queued concurrently: find the member's by its mention
    expect(toGroup.some((f) => /^<@qn_li> .*请核对/s.test(markdownOf(f)))).toBe(true);
    expect(toGroup.some((f) => (f.body as { msgtype: string }).msgtype === "template_card")).toBe(true);
    const toStranger = toGroup.filter((f) => markdownOf(f).includes("尚未登记"));
    expect(toStranger).toHaveLength(1);
    expect(markdownOf(toStranger[0]!)).toMatch(/^<@stranger> /);
    // no staff names to strangers
    expect(markdownOf(toStranger[0]!)).not.toMatch(/王|张|专班成员/);
  });

  it("pushes a group message with a file through the outbox (media upload, then the file message)", async () => {
    const app = appFor("i1");
    const t = await start(app);
    await waitFor("authenticated", () => server.authenticated);
    const dir = mkdtempSync(path.join(tmpdir(), "kaiqu-aibot-"));
    const file = path.join(dir, "通报.docx");
    writeFileSync(file, Buffer.alloc(700 * 1024, 7));
    await app.outbox.enqueue({
      idempotencyKey: "circular:1:g1:text-1",
      channel: "wecom_bot",
      recipient: "wrGROUP1",
      msgType: "markdown",
      payload: { content: "# 一季度通报" },
      purpose: "circular",
    });
    await app.outbox.enqueue({
      idempotencyKey: "circular:1:g1:docx",
      channel: "wecom_bot",
      recipient: "wrGROUP1",
      msgType: "file",
      payload: { path: file, filename: "通报.docx" },
      purpose: "circular",
    });
    const stats = await dispatch(app, t);
    expect(stats.sent).toBe(2);
    expect(server.sent("aibot_upload_media_init")[0]!.body).toMatchObject({
      type: "file",
      filename: "通报.docx",
      total_size: 700 * 1024,
      total_chunks: 2,
    });
    expect(server.sent("aibot_upload_media_chunk")).toHaveLength(2);
    const sent = pushes("wrGROUP1");
    expect(sent.map((f) => (f.body as { msgtype: string }).msgtype)).toEqual(["markdown", "file"]);
    expect((sent[1]!.body as { file: { media_id: string } }).file.media_id).toMatch(/^media_/);
    // enqueuing again is a no-op: nothing twice
    await app.outbox.enqueue({
      idempotencyKey: "circular:1:g1:text-1",
      channel: "wecom_bot",
      recipient: "wrGROUP1",
      msgType: "markdown",
      payload: { content: "# 一季度通报" },
      purpose: "circular",
    });
    await dispatch(app, t);
    expect(pushes("wrGROUP1")).toHaveLength(2);
  });

  it("a connection dropped mid-conversation reconnects; nothing is lost, nothing repeated", async () => {
    const app = appFor("i1");
    const t = await start(app);
    await waitFor("authenticated", () => server.authenticated);
    const first = single("qn_li", { msgtype: "text", text: { content: FULL } });
    server.pushMessage(first);
    await waitFor("echo queued", async () => (await store.db.outboundMessage.count()) >= 2);
    server.drop();
    // while down, replies wait in the outbox (not attempted, not failed)
    const down = await dispatch(app, t);
    expect(down.sent).toBe(0);
    expect(await store.db.outboundMessage.count({ where: { status: "failed" } })).toBe(0);
    await waitFor("re-authenticated", () => server.authenticated && t.status?.().state === "connected");
    expect(t.status?.().reconnects).toBeGreaterThanOrEqual(1);
    expect(server.subscribes.filter((s) => s.ok)).toHaveLength(2);
    // WeCom redelivers the message after the reconnect: deduplicated by msgid
    server.pushMessage(first);
    server.pushMessage(single("qn_li", { msgtype: "text", text: { content: "确认" } }));
    await waitFor("confirmed", async () => (await store.db.reportRevision.count()) === 1);
    clock.advance(10_000);
    await dispatch(app, t);
    await dispatch(app, t);
    expect(await store.db.inboundMessage.count()).toBe(2);
    const bodies = pushes("qn_li").map((f) => JSON.stringify(f.body));
    expect(new Set(bodies).size).toBe(bodies.length);
    expect(await store.db.outboundMessage.count({ where: { status: { not: "sent" } } })).toBe(0);
  });

  it("an auth failure is shown in status and alerts the task force on another channel", async () => {
    const app = appFor("i1", { WECOM_BOT_SECRET: "wrong" });
    const t = await start(app);
    await waitFor("auth failed", () => t.status?.().state === "auth_failed");
    expect(server.subscribes[0]).toEqual({ botId: BOT.botId, ok: false });
    await waitFor(
      "alert queued",
      async () => (await store.db.outboundMessage.count({ where: { purpose: "alert" } })) > 0,
    );
    const alerts = await store.db.outboundMessage.findMany({ where: { purpose: "alert" } });
    expect(alerts.every((a) => a.channel !== "wecom_bot")).toBe(true);
    expect(alerts[0]!.payload).toContain("智能机器人认证失败");
    expect(alerts[0]!.payload).not.toContain("wrong");
  });

  it("one connection per bot id: a dead holder's lease is taken over once expired; the other instance stands by", async () => {
    // a holder that died without releasing: its lease runs until T0 + 30 s
    await store.db.transportLease.create({
      data: {
        name: `wecom_bot:${BOT.botId}`,
        holder: "inst-dead",
        expiresAt: new Date(clock.now().getTime() + 30_000),
        renewedAt: clock.now(),
      },
    });
    const a = appFor("inst-a");
    const b = appFor("inst-b");
    const ta = await start(a);
    const tb = await start(b);
    // no timing assumptions: wait until each instance has checked the lease a few times
    const checks = (t: Transport) => Number(t.status?.().leaseChecks ?? 0);
    const checkedAgain = async (what: string, ...ts: Transport[]) => {
      const from = ts.map(checks);
      await waitFor(what, () => ts.every((t, i) => checks(t) >= from[i]! + 3));
    };
    await checkedAgain("both checked the held lease", ta, tb);
    expect([ta.status?.().state, tb.status?.().state]).toEqual(["standby", "standby"]);
    expect(server.connections).toBe(0);
    // a standby dispatcher does not send wecom_bot rows: they wait (deferred, not failed)
    await b.outbox.enqueue({
      idempotencyKey: "reminder:x",
      channel: "wecom_bot",
      recipient: "qn_li",
      msgType: "text",
      payload: { content: "提醒" },
      purpose: "reminder",
    });
    expect((await dispatch(b, tb)).deferred).toBe(1);

    clock.advance(31_000);
    const holder = await waitFor("one instance connected", () =>
      [ta, tb].find((t) => t.status?.().state === "connected"),
    );
    const other = holder === ta ? tb : ta;
    await checkedAgain("the other checked the lease after the takeover", other);
    // only the holder connects: never two connections at once (the holder's own reconnects, e.g. a
    // heartbeat missed on a loaded machine, are one connection after another), the other never did
    expect(server.maxOpen).toBe(1);
    expect(other.status?.()).toMatchObject({ state: "standby", leaseHeld: false, reconnects: 0 });
    expect(other.status?.().connectedAt).toBeUndefined();
    const lease = await store.db.transportLease.findFirstOrThrow();
    expect(lease.holder).toBe(holder === ta ? "inst-a" : "inst-b");

    // the holder stops cleanly (releases): the other takes over without waiting for expiry
    running.splice(running.indexOf(holder), 1);
    await holder.stop();
    const before = server.connections;
    await waitFor("the other connected", () => other.status?.().state === "connected");
    expect(server.connections).toBeGreaterThan(before);
    clock.advance(10_000);
    expect((await dispatch(other === ta ? a : b, other)).sent).toBe(1);
  });
});
