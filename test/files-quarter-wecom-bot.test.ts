import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInboundHandler } from "../bot/inbound/handle.js";
import type { Transport } from "../bot/transports/transport.js";
import { startWecomBot } from "../bot/transports/wecom-bot/start-wecom-bot-transport.js";
import type { AppContext } from "../src/app-context.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { runDueReminders } from "../src/reminders/run-due-reminders.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { FakeAibotServer, type Frame } from "./support/fake-aibot-server.js";
import { fillForm, HUISHUI_FILLED, HUISHUI_STORED } from "./support/fill-form.js";
import { testApp } from "./support/report-app.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";

const BOT = { botId: "aib_files_bot", secret: "s3cret-files" };
const USER = ROSTER.contacts.qiannanWecom;
let seq = 0;
const single = (body: Record<string, unknown>) => ({
  msgid: `f${++seq}`,
  aibotid: BOT.botId,
  chattype: "single",
  from: { userid: USER },
  ...body,
});
const markdownOf = (f: Frame) => (f.body as { markdown?: { content: string } }).markdown?.content ?? "";

describe.each(TEST_PROVIDERS)("a quarter by files only, on the fake 智能机器人 server (%s)", (provider) => {
  let store: TestStore;
  let server: FakeAibotServer;
  let transport: Transport | undefined;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-fqb-"));
  const clock = fixedClock(localInstant("2023-04-03", "09:30").toISOString());
  let app: AppContext;

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
    await store.db.programmeYear.update({
      where: { year: 2023 },
      data: { settings: JSON.stringify({ reminders: { attachForm: true } }) },
    });
    server = await new FakeAibotServer(BOT).start();
    app = testApp(store, clock, {
      WECOM_BOT_ID: BOT.botId,
      WECOM_BOT_SECRET: BOT.secret,
      WECOM_BOT_WS_URL: server.url,
      FILE_STORE_DIR: path.join(tmp, "files"),
    });
  });
  afterAll(async () => {
    await transport?.stop();
    await server?.close();
    await store?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  const dispatch = () =>
    new OutboxDispatcher({
      outbox: app.outbox,
      senders: transport!.senders,
      clock,
      logger: app.logger,
      instanceId: app.config.instanceId,
      batch: 50,
      maxAttempts: 3,
      leaseMs: 60_000,
      pollMs: 1_000,
    }).runOnce();
  const pushes = () =>
    server.sent("aibot_send_msg").filter((f) => (f.body as { chatid?: string }).chatid === USER);
  const processed = (n: number) =>
    waitFor(
      `${n} inbound processed`,
      async () => (await store.db.inboundMessage.count({ where: { status: "processed" } })) >= n,
    );

  it("reminder with the form (media upload) → filled → sent back (encrypted download) → echo → 确认 → receipt; pictures get the how-to", async () => {
    transport = await startWecomBot(
      { app, handle: createInboundHandler(app), alert: async () => {} },
      { heartbeatIntervalMs: 1_000, reconnectIntervalMs: 50, leaseRenewMs: 200 },
      undefined,
    );
    await waitFor("authenticated", () => server.authenticated);

    // the opening notice and its form, through the outbox: text, then the file (chunked upload)
    const run = await runDueReminders(app, clock.now());
    expect(run.reminders.filter((r) => r.form && r.address?.channel === "wecom_bot")).not.toHaveLength(0);
    expect((await dispatch()).failed ?? 0).toBe(0);
    const sent = pushes();
    const kinds = sent.map((f) => (f.body as { msgtype: string }).msgtype);
    expect(kinds.slice(0, 2)).toEqual(["markdown", "file"]);
    expect(markdownOf(sent[0]!)).toContain("2023年第一季度报送开启");
    const mediaId = (sent[1]!.body as { file: { media_id: string } }).file.media_id;
    const form = server.media.get(mediaId)!;
    expect(form.filename).toBe("2023年一季度黔南报送表.xlsx");
    // a second run and dispatch send nothing twice
    await runDueReminders(app, clock.now());
    await dispatch();
    expect(pushes()).toHaveLength(sent.length);

    // the bureau fills the received workbook and sends it back: WeCom serves it encrypted with a per-message key
    const filled = await fillForm(form.bytes, "惠水", HUISHUI_FILLED);
    const hosted = server.hostEncryptedFile(filled, form.filename);
    server.pushMessage(single({ msgtype: "file", file: hosted }));
    await processed(1);
    await dispatch();
    const echo = pushes().slice(sent.length);
    expect(markdownOf(echo[0]!)).toContain(
      "已读取文件「2023年一季度黔南报送表.xlsx」（工作表「填报」，1 个经开区，机器人报送表）",
    );
    expect(markdownOf(echo[0]!)).toContain("请核对2023年一季度报送内容");
    const inbound = await store.db.inboundMessage.findFirstOrThrow({ where: { senderRef: USER } });
    expect(inbound.text).toBe("[文件] 2023年一季度黔南报送表.xlsx");

    server.pushMessage(single({ msgtype: "text", text: { content: "确认" } }));
    await processed(2);
    await dispatch();
    expect(pushes().map(markdownOf).join("\n")).toContain("已保存2023年一季度报送");
    const rev = await store.db.reportRevision.findFirstOrThrow({ where: { zoneId: ROSTER.zones.huishui } });
    expect(JSON.parse(rev.values)).toMatchObject(HUISHUI_STORED);
    expect([rev.channel, rev.rawFileName]).toEqual(["wecom_bot", "2023年一季度黔南报送表.xlsx"]);

    // a picture: the polite how-to (nothing downloaded, nothing stored)
    const before = pushes().length;
    server.pushMessage(
      single({ msgtype: "image", image: server.hostEncryptedFile(Buffer.from("png"), "a.png") }),
    );
    await processed(3);
    await dispatch();
    const howTo = pushes().slice(before).map(markdownOf).join("\n");
    expect(howTo).toContain("机器人暂时无法识别图片中的数据");
    expect(howTo).toContain("也可以直接发送 Excel 报送表");

    // a file whose key does not decrypt it (the SDK's decryptFile refuses): told, nothing stored
    const bad = server.hostEncryptedFile(filled, "坏.xlsx");
    const before2 = pushes().length;
    server.pushMessage(
      single({ msgtype: "file", file: { url: bad.url, aeskey: Buffer.alloc(32, 1).toString("base64") } }),
    );
    await processed(4);
    await dispatch();
    expect(pushes().slice(before2).map(markdownOf).join("\n")).toContain("未能下载");
    expect(await store.db.reportRevision.count()).toBe(1);
  });
});
