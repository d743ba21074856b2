import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../bot/compose.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";
import {
  appEventXml,
  encryptedPost,
  mediaMessageXml,
  post,
  textMessageXml,
  wecomEnv,
} from "./support/wecom-callbacks.js";

/** The example of a text report every how-to reply carries. */
const EXAMPLE =
  "惠水经开区 一季度 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场";

/**
 * WeCom pushes a self-built app no files — only text, image, voice, video, location, link. A picture,
 * voice note, video, location or link (any message the app cannot read) gets one polite reply saying
 * what it received and how to send the figures (text, the template, or the Excel form to the 智能机器人
 * or on WeChat), and no report data is stored (#12.3). Events (enter_agent) get no reply.
 */
describe.each(TEST_PROVIDERS)(
  "self-built app: pictures, voice, video, locations and links on %s",
  (provider) => {
    const clock = fixedClock("2023-04-10T02:00:00Z");
    let fake: FakeWecomServer;
    let bot: RunningBot;
    let dropDb: () => Promise<void>;
    let msgId = 8_200_000_000_000_000_000n;
    let start: () => Promise<RunningBot>;
    const ts = () => Math.floor(clock.now().getTime() / 1000);
    const send = (xml: string) => post(bot.url, encryptedPost(xml, { timestamp: ts() }));
    /** Every handler has finished and every row to qn_li is sent: nothing more can reach the fake. */
    const settled = async () => {
      expect(await bot.server.inFlight.drain(10_000)).toBe(true);
      await waitFor("an idle outbox", async () =>
        (await bot.app.store.db.outboundMessage.findMany({ where: { recipient: "qn_li" } })).every(
          (r) => r.status === "sent",
        ),
      );
      await fake.idle();
    };

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
      });
      start = () =>
        startBot(config, {
          clock,
          logger: createLogger("silent"),
          dispatcher: { pollMs: 20, random: () => 0.5 },
          transports: [],
        });
      bot = await start();
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

    it("a location and a link each get one reply naming them; a retry and enter_agent get none", async () => {
      const db = bot.app.store.db;
      const before = fake.deliveredTo("qn_li").length;
      const location = mediaMessageXml({
        from: "qn_li",
        type: "location",
        msgId: String(msgId++),
        createTime: ts(),
      });
      expect((await send(location)).status).toBe(200);
      const first = await waitFor("the location reply", () => fake.deliveredTo("qn_li")[before]);
      expect(first.msgtype).toBe("text");
      expect(first.content).toContain("机器人暂时无法识别您发送的位置，本应用目前只能识别文字消息");
      expect(first.content).toContain(`直接输入文字，例如：${EXAMPLE}`);
      expect(first.content).toContain("Excel 报送表请发给企业微信「智能机器人」或个人微信机器人");

      // WeCom's retry of the same MsgId (a fresh envelope), the contact opening the app, then a link
      expect((await send(location)).status).toBe(200);
      expect(
        (await send(appEventXml({ from: "qn_li", event: "enter_agent", createTime: ts() }))).status,
      ).toBe(200);
      const link = mediaMessageXml({ from: "qn_li", type: "link", msgId: String(msgId++), createTime: ts() });
      expect((await send(link)).status).toBe(200);
      const second = await waitFor("the link reply", () => fake.deliveredTo("qn_li")[before + 1]);
      expect(second.content).toContain("机器人暂时无法识别您发送的链接，本应用目前只能识别文字消息");
      expect(second.content).toContain(`直接输入文字，例如：${EXAMPLE}`);

      await settled();
      expect(fake.deliveredTo("qn_li")).toHaveLength(before + 2);
      expect(fake.suppressed.filter((d) => d.to === "qn_li")).toHaveLength(0);
      for (const text of ["[位置]", "[链接]"]) {
        const rows = await db.inboundMessage.findMany({ where: { channel: "wecom", text } });
        expect(rows.map((r) => r.status)).toEqual(["processed"]);
        const replies = await db.outboundMessage.count({
          where: { idempotencyKey: { startsWith: `reply:${rows[0]!.id}:` } },
        });
        expect(replies).toBe(1);
      }
      // the event was acknowledged only: no inbound row, no reply
      expect(await db.inboundMessage.count({ where: { externalId: { startsWith: "evt:" } } })).toBe(0);
      expect(await db.conversation.count()).toBe(0);
    });

    it("a retry after a restart (the in-process memory gone) is deduplicated by the store: no second reply", async () => {
      const xml = mediaMessageXml({
        from: "qn_li",
        type: "location",
        msgId: String(msgId++),
        createTime: ts(),
      });
      const before = fake.deliveredTo("qn_li").length;
      expect((await send(xml)).status).toBe(200);
      await waitFor("the location reply", () => fake.deliveredTo("qn_li")[before]);
      await settled();
      await bot.stop();
      bot = await start();
      expect((await send(xml)).status).toBe(200);
      // a text behind it: its reply comes after anything the retry would have queued (one sender, in order)
      expect(
        (
          await send(
            textMessageXml({ from: "qn_li", content: "帮助", msgId: String(msgId++), createTime: ts() }),
          )
        ).status,
      ).toBe(200);
      const help = await waitFor("the help reply", () => fake.deliveredTo("qn_li")[before + 1]);
      expect(help.content).not.toContain("无法识别");
      await settled();
      expect(fake.deliveredTo("qn_li")).toHaveLength(before + 2);
      expect(await bot.app.store.db.inboundMessage.count({ where: { text: "[位置]" } })).toBe(2);
    });

    it("the example the replies give is a valid report: sent as text, it is read and put up for confirmation", async () => {
      const before = fake.deliveredTo("qn_li").length;
      const xml = textMessageXml({
        from: "qn_li",
        content: EXAMPLE,
        msgId: String(msgId++),
        createTime: ts(),
      });
      expect((await send(xml)).status).toBe(200);
      const summary = await waitFor("the summary", () => fake.deliveredTo("qn_li")[before]);
      expect(summary.content).toContain("请核对2023年一季度报送内容");
      expect(summary.content).toContain("惠水");
    });
  },
);
