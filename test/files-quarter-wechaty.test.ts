import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FileBox } from "file-box";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createInboundHandler } from "../bot/inbound/handle.js";
import {
  startWechatyTransport,
  type WechatyTransport,
} from "../bot/transports/wechaty/start-wechaty-transport.js";
import type { AppContext } from "../src/app-context.js";
import type { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import type { OutboxRow } from "../src/outbox/outbox.js";
import { runDueReminders } from "../src/reminders/run-due-reminders.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { fillForm } from "./support/fill-form.js";
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

const eventually = <T>(fn: () => T | Promise<T>) => vi.waitFor(fn, { timeout: 15_000, interval: 20 });

describe.each(TEST_PROVIDERS)("a quarter by files only, on WeChat (wechaty-puppet-mock, %s)", (provider) => {
  let store: TestStore;
  let app: AppContext & { clock: ReturnType<typeof fixedClock> };
  let world: ReturnType<typeof createMockWechat>;
  let transport: WechatyTransport;
  let dispatcher: OutboxDispatcher;
  const gaveUp: { row: OutboxRow; error: string }[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-fqw-"));

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedWechatRoster(store.db);
    await store.db.programmeYear.update({
      where: { year: 2023 },
      data: { settings: JSON.stringify({ reminders: { attachForm: true } }) },
    });
    const clock = fixedClock(localInstant("2023-04-03", "09:30"));
    app = Object.assign(
      wechatTestApp(store, clock, {
        AUTO_CONFIRM: "false",
        WECHAT_MIN_DELAY_MS: "1000",
        WECHAT_MAX_DELAY_MS: "2000",
        FILE_STORE_DIR: path.join(tmp, "files"),
      }),
      { clock },
    );
    world = createMockWechat();
    transport = await startWechatyTransport(app, createInboundHandler(app), {
      puppet: world.puppet,
      random: () => 0.5,
      qrOutput: textSink().stream,
    });
    dispatcher = wechatDispatcher(app, transport.senders, gaveUp);
    world.mocker.scan("https://login.weixin.qq.com/l/kaiqu-files", 2);
    world.mocker.login(world.self);
    world.puppet.emit("ready", { data: "mock" });
    await eventually(() => expect(transport.status().binding).toBeDefined());
  });
  afterAll(async () => {
    await transport?.stop();
    await store?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("opening notice with the form as a FileBox → filled → sent back as a file → echo → 确认 → receipt", async () => {
    await runDueReminders(app, app.clock.now());
    await drainWechat(dispatcher, app);
    const got = world.delivered(WX.qiannan);
    const fileMsg = got.find((m) => m.file);
    expect(fileMsg?.file).toBe("2023年一季度黔南报送表.xlsx");
    expect(got.findIndex((m) => m.text?.includes("报送开启"))).toBeLessThan(got.indexOf(fileMsg!));
    const received = FileBox.fromJSON(world.mocker.cacheFileBoxPayload.get(fileMsg!.id)!);
    const filled = await fillForm(await received.toBuffer(), "惠水", {
      "进出口额（万元）": 32000,
      "包装招商项目（个）": 3,
    });

    const n = got.length;
    world.qiannan
      .say(FileBox.fromBase64(filled.toString("base64"), "2023年一季度黔南报送表.xlsx"))
      .to(world.self);
    await eventually(async () => {
      const row = await store.db.inboundMessage.findFirst({
        where: { text: "[文件] 2023年一季度黔南报送表.xlsx" },
      });
      expect(row?.status).toBe("processed");
    });
    await drainWechat(dispatcher, app);
    const echo = world
      .delivered(WX.qiannan)
      .slice(n)
      .map((m) => m.text ?? "")
      .join("\n");
    expect(echo).toContain(
      "已读取文件「2023年一季度黔南报送表.xlsx」（工作表「填报」，1 个经开区，机器人报送表）",
    );
    expect(echo).toContain("请核对2023年一季度报送内容");

    const m = world.delivered(WX.qiannan).length;
    world.qiannan.say("确认").to(world.self);
    await eventually(async () => expect(await store.db.reportRevision.count()).toBe(1));
    await drainWechat(dispatcher, app);
    expect(
      world
        .delivered(WX.qiannan)
        .slice(m)
        .map((x) => x.text ?? "")
        .join("\n"),
    ).toContain("已保存2023年一季度报送");
    const rev = await store.db.reportRevision.findFirstOrThrow();
    expect(JSON.parse(rev.values)).toMatchObject({ trade_total: "32000", projects: "3" });
    expect([rev.channel, rev.rawFileName]).toEqual(["wechat", "2023年一季度黔南报送表.xlsx"]);
    // (张黔南 of the fixture cannot be found in WeChat: his reminders are given up, by design)
    expect(gaveUp.filter((g) => g.row.recipient === WX.qiannan)).toEqual([]);
  });
});
