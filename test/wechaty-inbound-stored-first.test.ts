import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createInboundHandler } from "../bot/inbound/handle.js";
import { acceptInbound } from "../bot/inbound/inbound-store.js";
import { resumeUnfinishedInbound } from "../bot/inbound/resume-unfinished.js";
import {
  startWechatyTransport,
  type WechatyTransport,
} from "../bot/transports/wechaty/start-wechaty-transport.js";
import type { AppContext } from "../src/app-context.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { createMockWechat, seedWechatRoster, WX, wechatTestApp } from "./support/wechat-fixture.js";

const eventually = <T>(fn: () => T | Promise<T>) => vi.waitFor(fn, { timeout: 15_000, interval: 20 });

/**
 * #16.5: WeChat emits a message once. It must be in the store before anything that can fail runs, so
 * that a crash or a failing step after receipt leaves it resumable rather than lost.
 */
describe.each(TEST_PROVIDERS)("WeChat inbound stored before any await that can fail, on %s", (provider) => {
  let store: TestStore;
  let app: AppContext & { clock: ReturnType<typeof fixedClock> };
  let world: ReturnType<typeof createMockWechat>;
  let transport: WechatyTransport;
  const failures: string[] = [];

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedWechatRoster(store.db);
    const clock = fixedClock(localInstant("2023-04-17", "10:00"));
    app = Object.assign(wechatTestApp(store, clock), { clock });
    world = createMockWechat();
    // the step after receipt fails (a crash of the handler, the store going away mid-message)
    const failingHandle = async (e: InboundEvent) => {
      failures.push(e.externalId);
      throw new Error("simulated failure after receipt");
    };
    transport = await startWechatyTransport(app, failingHandle, {
      puppet: world.puppet,
      random: () => 0.5,
      qrOutput: new (await import("node:stream")).PassThrough(),
      accept: (e) => acceptInbound(store.db, e),
    });
    world.mocker.scan("https://login.weixin.qq.com/l/kaiqu-test", 2);
    world.mocker.login(world.self);
    world.puppet.emit("ready", { data: "mock" });
  });

  afterAll(async () => {
    await transport?.stop();
    await store?.dispose();
  });

  it("a 1:1 report whose handling fails is still stored, unclaimed, and the resume pass finishes it", async () => {
    world.qiannan.say("惠水经开区 一季度 进出口额4.2亿元 包装招商项目3个").to(world.self);
    await eventually(() => expect(failures).toHaveLength(1));
    const row = await store.db.inboundMessage.findFirstOrThrow({
      where: { channel: "wechat", senderRef: WX.qiannan },
    });
    expect(row).toMatchObject({
      status: "received",
      claimedAt: null,
      externalId: failures[0],
      text: "惠水经开区 一季度 进出口额4.2亿元 包装招商项目3个",
    });
    expect(await store.db.reportRevision.count()).toBe(0);

    // the restarted process (real entry point) picks it up: processed once, the figures stored
    const results = await resumeUnfinishedInbound(app, createInboundHandler(app));
    expect(results.map((r) => r.status)).toEqual(["processed"]);
    expect(await store.db.inboundMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "processed",
      contactId: WX.qiannanContact,
    });
    const stored = await store.db.reportRevision.findFirstOrThrow({ where: { zoneId: WX.zone } });
    expect(JSON.parse(stored.values)).toMatchObject({ trade_total: "42000", projects: "3" });
    expect(await resumeUnfinishedInbound(app, createInboundHandler(app))).toEqual([]);
  });

  it("a group @-mention is stored before binding and handling, too", async () => {
    world.qiannan.say("@经开区调度机器人 进度", [world.self]).to(world.room);
    await eventually(() => expect(failures).toHaveLength(2));
    const row = await store.db.inboundMessage.findFirstOrThrow({ where: { externalId: failures[1] } });
    expect(row).toMatchObject({ status: "received", chatRef: WX.room, senderRef: WX.qiannan });
    expect(row.text).toContain("进度");
  });
});
