import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../bot/compose.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";
import { encryptedPost, mediaMessageXml, post, wecomEnv } from "./support/wecom-callbacks.js";

/**
 * WeCom pushes a self-built app no files — only text, image, voice, video, location, link. A picture,
 * voice note or video gets one polite reply saying how to send the figures (text, the template, or the
 * Excel form to the 智能机器人 or on WeChat), and no report data is stored (#12.3).
 */
describe.each(TEST_PROVIDERS)("self-built app: pictures, voice and video on %s", (provider) => {
  const clock = fixedClock("2023-04-10T02:00:00Z");
  let fake: FakeWecomServer;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let msgId = 8_200_000_000_000_000_000n;

  beforeAll(async () => {
    fake = await new FakeWecomServer({ now: () => clock.now().getTime() }).start();
    const db = await createTestDatabaseUrl(provider);
    dropDb = db.drop;
    bot = await startBot(
      loadConfig({
        DATABASE_URL: db.url,
        HOST: "127.0.0.1",
        PORT: "0",
        ...wecomEnv(fake.url),
        SCHEDULER_ENABLED: "false",
      }),
      {
        clock,
        logger: createLogger("silent"),
        dispatcher: { pollMs: 20, random: () => 0.5 },
        transports: [],
      },
    );
    await seedRosterFixture(bot.app.store.db);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
    await dropDb?.();
  });

  it.each([
    ["image", "图片"],
    ["voice", "语音"],
    ["video", "视频"],
  ] as const)("a %s gets the how-to reply and stores no report", async (type, word) => {
    const before = fake.deliveredTo("qn_li").length;
    const ts = Math.floor(clock.now().getTime() / 1000);
    const xml = mediaMessageXml({ from: "qn_li", type, msgId: String(msgId++), createTime: ts });
    expect((await post(bot.url, encryptedPost(xml, { timestamp: ts }))).status).toBe(200);
    const reply = await waitFor("the reply", () => fake.deliveredTo("qn_li")[before]);
    expect(reply.msgtype).toBe("text");
    expect(reply.content).toContain(`机器人暂时无法识别${word}中的数据`);
    expect(reply.content).toContain("直接输入文字");
    expect(reply.content).toContain("发送“模板”");
    expect(reply.content).toContain(
      "Excel 报送表请发给企业微信「智能机器人」或个人微信机器人（本应用收不到文件）",
    );
    const db = bot.app.store.db;
    const inbound = await db.inboundMessage.findFirstOrThrow({ where: { text: `[${word}]` } });
    expect(inbound.status).toBe("processed");
    // one reply, nothing of a report: no draft, no revision, no stored file
    expect(
      await db.outboundMessage.count({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } } }),
    ).toBe(1);
    expect(await db.conversation.count()).toBe(0);
    expect(await db.reportRevision.count()).toBe(0);
  });
});
