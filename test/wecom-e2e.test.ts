import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../bot/compose.js";
import { WecomClient } from "../bot/transports/wecom-app/wecom-client.js";
import { createWecomSenders } from "../bot/transports/wecom-app/wecom-senders.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { type ChannelSender, OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";
import {
  CALLBACK,
  cardClickXml,
  encryptedPost,
  post,
  textMessageXml,
  wecomEnv,
} from "./support/wecom-callbacks.js";

const FULL_REPORT =
  "惠水经开区 进出口累计3.2亿元，包装招商项目3个，赴外招商2次，引进外贸市场主体5家，人才培训1场";

describe.each(TEST_PROVIDERS)("WeCom end to end on %s", (provider) => {
  const clock = fixedClock("2023-04-10T02:00:00Z"); // 一季度报送期内
  let fake: FakeWecomServer;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let msgId = 7_000_000_000_000_000_000n;
  const ts = () => Math.floor(clock.now().getTime() / 1000);
  const say = (content: string, id = String(msgId++)) =>
    post(
      bot.url,
      encryptedPost(textMessageXml({ from: "qn_li", content, msgId: id, createTime: ts() }), {
        timestamp: ts(),
      }),
    );
  const replyRows = () =>
    bot.app.store.db.outboundMessage.findMany({ where: { recipient: "qn_li" }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    fake = await new FakeWecomServer({ now: () => clock.now().getTime() }).start();
    const db = await createTestDatabaseUrl(provider);
    dropDb = db.drop;
    const config = loadConfig({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      ...wecomEnv(fake.url),
      SCHEDULER_ENABLED: "false",
      INSTANCE_ID: "bot-1",
    });
    bot = await startBot(config, {
      clock,
      logger: createLogger("silent"),
      dispatcher: { pollMs: 20, random: () => 0.5 },
    });
    await seedRosterFixture(bot.app.store.db);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
    await dropDb?.();
  });

  it("a report sent in WeCom is confirmed with a card click, stored, and the receipt delivered", async () => {
    expect((await say(FULL_REPORT)).status).toBe(200);
    const [summary, card] = await waitFor("summary and card", () => {
      const d = fake.deliveredTo("qn_li");
      return d.length >= 2 ? d : undefined;
    });
    expect(summary!.content).toContain("请核对2023年一季度报送内容");
    expect(card!.msgtype).toBe("template_card");
    const tpl = card!.body.template_card as { task_id: string; button_list: { key: string; text: string }[] };
    const confirmKey = tpl.button_list.find((b) => b.text === "确认")!.key;

    const click = cardClickXml({
      from: "qn_li",
      key: confirmKey,
      taskId: tpl.task_id,
      responseCode: fake.issueResponseCode(),
      createTime: ts(),
    });
    const request = encryptedPost(click, { timestamp: ts() });
    expect((await post(bot.url, request)).status).toBe(200);
    expect((await post(bot.url, encryptedPost(click, { timestamp: ts() }))).status).toBe(200); // WeCom's retry
    const receipt = await waitFor("receipt", () => fake.deliveredTo("qn_li")[2]);
    expect(receipt.content).toContain("已保存2023年一季度报送");
    expect(await bot.app.store.db.reportRevision.count()).toBe(1);
    // the redelivered click: its handler (if any had started) has finished and nothing is left to send
    expect(await bot.server.inFlight.drain(10_000)).toBe(true);
    await waitFor("an idle outbox", async () =>
      (await replyRows()).every((r) => r.status === "sent" || r.status === "failed"),
    );
    expect(fake.deliveredTo("qn_li")).toHaveLength(3);
    expect((await replyRows()).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("45009, then 42001, then success: delivered once, the token refreshed once", async () => {
    const before = fake.deliveredTo("qn_li").length;
    const tokenCalls = fake.tokenCalls;
    fake.inject("message/send", 45009, 42001);
    expect((await say("龙里经开区 进出口累计1.1亿元")).status).toBe(200);
    const row = await waitFor("the 45009 retry", async () =>
      (await replyRows()).find((r) => r.lastErrcode === 45009 && r.status === "pending"),
    );
    expect(row.attempts).toBe(1);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 60_000);
    clock.advance(61_000);
    const sent = await waitFor("delivery", async () =>
      (await bot.app.store.db.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).status === "sent"
        ? bot.app.store.db.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })
        : undefined,
    );
    expect(sent).toMatchObject({ attempts: 2, lastErrcode: 0 });
    const delivered = fake.deliveredTo("qn_li").slice(before);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.content).toContain("龙里经济开发区");
    expect(fake.tokenCalls).toBe(tokenCalls + 1);
    expect(
      fake.calls
        .filter((c) => c.endpoint === "message/send")
        .slice(-3)
        .map((c) => c.errcode),
    ).toEqual([45009, 42001, 0]);
  });

  it("a process killed between claim and send (or between send and markSent): after restart delivered exactly once", async () => {
    await bot.dispatcher.stop(); // this instance's dispatcher plays the dead process
    const logger = createLogger("silent");
    const before = fake.deliveredTo("qn_li").length;
    const restart = () =>
      createWecomSenders({
        client: new WecomClient({
          baseUrl: fake.url,
          app: { corpId: CALLBACK.corpId, agentId: CALLBACK.agentId, secret: CALLBACK.secret },
          clock,
          duplicateCheckIntervalS: 240,
        }),
        clock,
        logger,
        robotKeys: {},
      });
    const dispatcher = (instanceId: string, wecom_app: ChannelSender) =>
      new OutboxDispatcher({
        outbox: bot.app.outbox,
        senders: { wecom_app },
        clock,
        logger,
        instanceId,
        batch: 10,
        maxAttempts: 5,
        leaseMs: 5_000,
        pollMs: 20,
      });
    const hang = new Promise<never>(() => {});

    const contents: Record<string, string> = {};
    for (const [crash, amount] of [
      ["before send", "1.2"],
      ["after send", "1.3"],
    ] as const) {
      const count = (await replyRows()).length;
      expect((await say(`龙里经开区 进出口累计${amount}亿元`)).status).toBe(200);
      const row = await waitFor("the reply row", async () => (await replyRows())[count]);
      contents[crash] = JSON.parse(row.payload).content;
      const real = restart().wecom_app!;
      const dead = dispatcher(`dead-${crash}`, {
        send: crash === "before send" ? () => hang : (r) => real.send(r).then(() => hang),
      });
      void dead.runOnce(); // never completes: the process "dies" here
      await waitFor(
        "the dead claim",
        async () =>
          (await bot.app.store.db.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).claimedBy ===
          `dead-${crash}`,
      );
      if (crash === "after send")
        await waitFor("the first send", () => fake.deliveredTo("qn_li").length > before);

      const alive = dispatcher(`restarted-${crash}`, restart().wecom_app!);
      expect((await alive.runOnce()).claimed).toBe(0); // lease still held
      clock.advance(5_001);
      expect((await alive.runOnce()).sent).toBe(1);
      expect((await alive.runOnce()).claimed).toBe(0);
      expect(
        await bot.app.store.db.outboundMessage.findUniqueOrThrow({ where: { id: row.id } }),
      ).toMatchObject({
        status: "sent",
        claimedBy: `restarted-${crash}`,
      });
    }
    expect(contents["before send"]).not.toBe(contents["after send"]);
    const delivered = fake.deliveredTo("qn_li").slice(before);
    expect(delivered.map((d) => d.content)).toEqual([contents["before send"], contents["after send"]]);
    // the resend after "after send" reached WeCom, whose duplicate check dropped it
    expect(fake.suppressed.map((d) => d.content)).toEqual([contents["after send"]]);
  });
});
