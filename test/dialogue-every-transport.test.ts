import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../bot/compose.js";
import { createInboundHandler } from "../bot/inbound/handle.js";
import { startWechatyTransport } from "../bot/transports/wechaty/start-wechaty-transport.js";
import { startWecomBot } from "../bot/transports/wecom-bot/start-wecom-bot-transport.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { fixedClock } from "../src/time/clock.js";
import { consoleChat } from "./support/console-chat.js";
import { FakeAibotServer, type Frame } from "./support/fake-aibot-server.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { clearDialogueState, testApp } from "./support/report-app.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { waitFor } from "./support/wait-for.js";
import {
  createMockWechat,
  drainWechat,
  textSink,
  wechatDispatcher,
  wechatTestApp,
} from "./support/wechat-fixture.js";
import { encryptedPost, post, textMessageXml, wecomEnv } from "./support/wecom-callbacks.js";

/**
 * One scripted report dialogue — report → echo → 确认 → receipt; a correction → echo → 确认 → receipt;
 * 进度 — through each transport's real inbound path: the console session, an encrypted callback to
 * the self-built app's route (fake WeCom API), the 智能机器人's long connection 1:1 and in a group with
 * the mention (fake server), and Wechaty (wechaty-puppet-mock). The replies must be the same text
 * (modulo each platform's formatting: the group mention) and the stored revisions the same.
 */
const T0 = "2023-04-10T02:00:00Z"; // 一季度报送期内, 10:00 in Guizhou
const USER = ROSTER.contacts.qiannanWecom;
const WXID = "wxid_qnli"; // 李黔南's WeChat id in the roster fixture
const SCRIPT = [
  "惠水经开区 一季度 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场",
  "确认",
  "更正 惠水 进出口3.5亿元",
  "确认",
  "进度",
];
const BOT = { botId: "aib_every_bot", secret: "s3cret-every" };

/** A transport under test: sends one message as 李黔南 and returns the text replies to it, in order. */
interface Driver {
  say(text: string): Promise<string[]>;
  stop(): Promise<void>;
}

type Transcript = string[][];

async function runScript(d: Driver): Promise<Transcript> {
  const out: Transcript = [];
  try {
    for (const text of SCRIPT) out.push(await d.say(text));
  } finally {
    await d.stop();
  }
  return out;
}

describe.each(TEST_PROVIDERS)("the same report dialogue on every transport (%s)", (provider) => {
  let store: TestStore;
  const transcripts = new Map<string, Transcript>();
  const revisions = new Map<string, unknown[]>();

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
  });
  afterAll(() => store?.dispose());

  const storedRevisions = async () =>
    (
      await store.db.reportRevision.findMany({
        where: { zoneId: ROSTER.zones.huishui },
        orderBy: { id: "asc" },
      })
    ).map((r) => ({
      revisionNo: r.revisionNo,
      year: r.year,
      quarter: r.quarter,
      values: JSON.parse(r.values),
      channel: r.channel,
    }));

  /** Runs the script on a fresh dialogue state and keeps the transcript and the revisions. */
  const run = async (name: string, driver: () => Promise<Driver>) => {
    await clearDialogueState(store);
    await store.db.transportLease.deleteMany();
    transcripts.set(name, await runScript(await driver()));
    revisions.set(name, await storedRevisions());
  };

  it("console session", async () => {
    const clock = fixedClock(T0);
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { AUTO_CONFIRM: "false" });
    await run("console", async () => ({
      say: async (text) => {
        const turn = await chat.say(text);
        return turn.reply === "" ? [] : [turn.reply];
      },
      stop: async () => {},
    }));
    const t = transcripts.get("console")!;
    expect(t[0]!.join("\n")).toContain("请核对2023年一季度报送内容");
    expect(t[1]!.join("\n")).toContain("已保存2023年一季度报送");
    expect(t[3]!.join("\n")).toContain("已保存2023年一季度报送");
    expect(t[4]!.join("\n")).toContain("惠水");
    expect(revisions.get("console")).toMatchObject([
      { revisionNo: 1, year: 2023, quarter: 1, values: { trade_total: "32000" }, channel: "console" },
      { revisionNo: 2, year: 2023, quarter: 1, values: { trade_total: "35000" }, channel: "console" },
    ]);
  });

  it("self-built app: encrypted callbacks to the route, replies through the fake WeCom API", async () => {
    const clock = fixedClock(T0);
    const fake = await new FakeWecomServer({ now: () => clock.now().getTime() }).start();
    const bot = await startBot(
      loadConfig({
        DATABASE_URL: store.url,
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "silent",
        AUTO_CONFIRM: "false",
        SCHEDULER_ENABLED: "false",
        ...wecomEnv(fake.url),
      }),
      {
        clock,
        logger: createLogger("silent"),
        dispatcher: { pollMs: 20, random: () => 0.5 },
        transports: [],
      },
    );
    let msgId = 8_100_000_000_000_000_000n;
    await run("wecom", async () => ({
      say: async (text) => {
        const before = fake.deliveredTo(USER).length;
        const id = String(msgId++);
        const ts = Math.floor(clock.now().getTime() / 1000);
        const res = await post(
          bot.url,
          encryptedPost(textMessageXml({ from: USER, content: text, msgId: id, createTime: ts }), {
            timestamp: ts,
          }),
        );
        expect(res.status).toBe(200);
        await waitFor("handled and every reply sent", async () => {
          const row = await store.db.inboundMessage.findFirst({
            where: { channel: "wecom" },
            orderBy: { id: "desc" },
          });
          if (row?.text !== text || row.status !== "processed") return false;
          return (
            (await store.db.outboundMessage.count({
              where: { recipient: USER, status: { not: "sent" } },
            })) === 0
          );
        });
        return fake
          .deliveredTo(USER)
          .slice(before)
          .filter((d) => d.msgtype === "text")
          .map((d) => d.content ?? "");
      },
      stop: async () => {
        await bot.stop();
        await fake.stop();
      },
    }));
  });

  const aibot = async (name: string, chatid?: string) => {
    const clock = fixedClock(T0);
    const server = await new FakeAibotServer(BOT).start();
    const app = testApp(store, clock, {
      AUTO_CONFIRM: "false",
      WECOM_BOT_ID: BOT.botId,
      WECOM_BOT_SECRET: BOT.secret,
      WECOM_BOT_WS_URL: server.url,
    });
    const t = await startWecomBot(
      { app, handle: createInboundHandler(app), alert: async () => {} },
      { heartbeatIntervalMs: 1_000, reconnectIntervalMs: 50, leaseRenewMs: 200 },
      undefined,
    );
    await waitFor("authenticated", () => server.authenticated);
    const dispatcher = new OutboxDispatcher({
      outbox: app.outbox,
      senders: t.senders,
      clock,
      logger: app.logger,
      instanceId: app.config.instanceId,
      batch: 50,
      maxAttempts: 3,
      leaseMs: 60_000,
      pollMs: 1_000,
    });
    const to = chatid ?? USER;
    const pushes = () =>
      server.sent("aibot_send_msg").filter((f) => (f.body as { chatid?: string }).chatid === to);
    const markdownOf = (f: Frame) => (f.body as { markdown?: { content: string } }).markdown?.content;
    let seq = 0;
    await run(name, async () => ({
      say: async (text) => {
        const before = pushes().length;
        const msgid = `${name}-${++seq}`;
        server.pushMessage({
          msgid,
          aibotid: BOT.botId,
          ...(chatid ? { chatid, chattype: "group" } : { chattype: "single" }),
          from: { userid: USER },
          msgtype: "text",
          // in a group only messages that @-mention the bot arrive, with the mention in the text
          text: { content: chatid ? `@经开区助手 ${text}` : text },
        });
        await waitFor("handled", async () => {
          const row = await store.db.inboundMessage.findFirst({ where: { externalId: msgid } });
          return row?.status === "processed";
        });
        await dispatcher.runOnce();
        return pushes()
          .slice(before)
          .map(markdownOf)
          .filter((m): m is string => m !== undefined);
      },
      stop: async () => {
        await t.stop();
        await server.close();
      },
    }));
  };

  it("智能机器人 1:1 over the fake long connection", () => aibot("wecom_bot"));
  it("智能机器人 in a group, @-mentioned", () => aibot("wecom_bot group", "wrEVERY1"));

  it("Wechaty (wechaty-puppet-mock)", async () => {
    const clock = fixedClock(T0);
    const app = Object.assign(
      wechatTestApp(store, clock, {
        AUTO_CONFIRM: "false",
        WECHAT_MIN_DELAY_MS: "1000",
        WECHAT_MAX_DELAY_MS: "2000",
      }),
      { clock },
    );
    const world = createMockWechat();
    const transport = await startWechatyTransport(app, createInboundHandler(app), {
      puppet: world.puppet,
      random: () => 0.5,
      qrOutput: textSink().stream,
    });
    const dispatcher = wechatDispatcher(app, transport.senders, []);
    world.mocker.scan("https://login.weixin.qq.com/l/kaiqu-every", 2);
    world.mocker.login(world.self);
    world.puppet.emit("ready", { data: "mock" });
    await waitFor("bound", () => transport.status().binding !== undefined);
    await run("wechat", async () => ({
      say: async (text) => {
        const before = world.delivered(WXID).length;
        const handled = await store.db.inboundMessage.count({ where: { status: "processed" } });
        world.qiannan.say(text).to(world.self);
        await waitFor(
          "handled",
          async () => (await store.db.inboundMessage.count({ where: { status: "processed" } })) > handled,
        );
        await drainWechat(dispatcher, app);
        return world
          .delivered(WXID)
          .slice(before)
          .map((m) => m.text ?? "");
      },
      stop: () => transport.stop(),
    }));
  });

  it("every transport gave the same replies and stored the same revisions", () => {
    expect([...transcripts.keys()]).toEqual(["console", "wecom", "wecom_bot", "wecom_bot group", "wechat"]);
    const expected = normalise(transcripts.get("console")!);
    // in the group every reply mentions the sender
    expect(
      transcripts
        .get("wecom_bot group")!
        .flat()
        .every((p) => p.startsWith(`<@${USER}> `)),
    ).toBe(true);
    for (const [name, t] of transcripts) {
      expect({ name, replies: normalise(t, name === "wecom_bot group" ? `<@${USER}> ` : undefined) }).toEqual(
        {
          name,
          replies: expected,
        },
      );
    }
    const channels: Record<string, string> = {
      console: "console",
      wecom: "wecom",
      wecom_bot: "wecom_bot",
      "wecom_bot group": "wecom_bot",
      wechat: "wechat",
    };
    const withoutChannel = (rs: unknown[]) => rs.map((r) => ({ ...(r as object), channel: undefined }));
    for (const [name, rs] of revisions) {
      expect(rs.map((r) => (r as { channel: string }).channel)).toEqual([channels[name], channels[name]]);
      expect(withoutChannel(rs)).toEqual(withoutChannel(revisions.get("console")!));
    }
  });
});

/**
 * Replies as one text per message, without each platform's formatting: the group reply's leading
 * mention, and the clock time of 进度's 报送 line (the WeChat send pacing moves the test clock).
 */
function normalise(t: Transcript, mention?: string): string[] {
  return t.map((parts) =>
    parts
      .map((p) => (mention && p.startsWith(mention) ? p.slice(mention.length) : p))
      .join("\n")
      .replace(/(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}/g, "$1 hh:mm"),
  );
}
