import { afterEach, describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "../bot/transports/wecom-app/rate-limiter.js";
import { WecomClient } from "../bot/transports/wecom-app/wecom-client.js";
import { classifyErrcode, outcomeOf, WecomApiError } from "../bot/transports/wecom-app/wecom-errors.js";
import { fixedClock } from "../src/time/clock.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";

const APP = { corpId: "wwcorp0001", agentId: 1000002, secret: "app-secret" };
const ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

const servers: FakeWecomServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function setup(opts: { secret?: string; timeoutMs?: number } = {}) {
  const clock = fixedClock("2024-04-20T01:00:00Z");
  const fake = await new FakeWecomServer({
    robotKeys: [ROBOT_KEY],
    now: () => clock.now().getTime(),
  }).start();
  servers.push(fake);
  const client = new WecomClient({
    baseUrl: fake.url,
    app: { ...APP, secret: opts.secret ?? APP.secret },
    clock,
    timeoutMs: opts.timeoutMs ?? 5_000,
    duplicateCheckIntervalS: 240,
  });
  return { clock, fake, client };
}

const text = (content: string) => ({ msgtype: "text" as const, text: { content } });

async function caught(p: Promise<unknown>): Promise<WecomApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WecomApiError) return e;
    throw e;
  }
  throw new Error("expected a WecomApiError");
}

describe("WeCom API client: access token", () => {
  it("fetches one token for concurrent calls, caches it, and refreshes 5 minutes before expiry", async () => {
    const { clock, fake, client } = await setup();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.sendMessage({ touser: ["u1"] }, text(`m${i}`))),
    );
    expect(fake.tokenCalls).toBe(1);
    clock.advance(7200_000 - 6 * 60_000);
    await client.sendMessage({ touser: ["u1"] }, text("still cached"));
    expect(fake.tokenCalls).toBe(1);
    clock.advance(2 * 60_000); // 4 min before expiry: inside the early-refresh margin
    await Promise.all([
      client.sendMessage({ touser: ["u1"] }, text("a")),
      client.sendMessage({ touser: ["u1"] }, text("b")),
    ]);
    expect(fake.tokenCalls).toBe(2);
    expect(fake.delivered).toHaveLength(11);
  });

  it("keeps a still-valid token when the early refresh fails, and tries again on the next call", async () => {
    const { clock, fake, client } = await setup();
    await client.sendMessage({ touser: ["u1"] }, text("first"));
    clock.advance(7200_000 - 4 * 60_000); // inside the early-refresh margin, token still valid
    fake.inject("gettoken", -1);
    await client.sendMessage({ touser: ["u1"] }, text("refresh failed, old token used"));
    fake.inject("gettoken", { http: 502 });
    await client.sendMessage({ touser: ["u1"] }, text("again"));
    await client.sendMessage({ touser: ["u1"] }, text("refreshed now"));
    expect(fake.calls.filter((c) => c.endpoint === "gettoken").map((c) => c.errcode)).toEqual([0, -1, 0]);
    expect(fake.delivered).toHaveLength(4);
    clock.advance(4 * 60_000); // the first token has expired; a failing refresh now fails the call
    fake.expireTokens();
    fake.inject("gettoken", -1);
    expect(await caught(client.sendMessage({ touser: ["u1"] }, text("x")))).toMatchObject({
      endpoint: "gettoken",
      errcode: -1,
      action: "retry",
    });
  });

  it("refreshes a short-lived token halfway, not on every call", async () => {
    const clock = fixedClock("2024-04-20T01:00:00Z");
    const fake = await new FakeWecomServer({ now: () => clock.now().getTime(), tokenTtlS: 120 }).start();
    servers.push(fake);
    const client = new WecomClient({ baseUrl: fake.url, app: APP, clock });
    for (let i = 0; i < 3; i++) await client.sendMessage({ touser: ["u1"] }, text(`m${i}`));
    expect(fake.tokenCalls).toBe(1);
    clock.advance(61_000);
    await client.sendMessage({ touser: ["u1"] }, text("after half the lifetime"));
    expect(fake.tokenCalls).toBe(2);
  });

  it("drops a rejected token and refetches it once (42001, 40014, 41001), never looping", async () => {
    const { fake, client } = await setup();
    await client.sendMessage({ touser: ["u1"] }, text("first"));
    fake.expireTokens();
    await client.sendMessage({ touser: ["u1"] }, text("after expiry"));
    expect(fake.tokenCalls).toBe(2);
    fake.inject("message/send", 40014);
    await client.sendMessage({ touser: ["u1"] }, text("after 40014"));
    expect(fake.tokenCalls).toBe(3);
    fake.inject("message/send", 42001, 42001);
    const e = await caught(client.sendMessage({ touser: ["u1"] }, text("twice rejected")));
    expect(e.errcode).toBe(42001);
    expect(e.action).toBe("retry");
    expect(fake.tokenCalls).toBe(4);
    expect(fake.delivered.map((d) => d.content)).toEqual(["first", "after expiry", "after 40014"]);
  });

  it("reports a wrong secret as a configuration error without the secret in the message", async () => {
    const { client } = await setup({ secret: "wrong-secret-value" });
    const e = await caught(client.sendMessage({ touser: ["u1"] }, text("x")));
    expect(e).toMatchObject({ endpoint: "gettoken", errcode: 40001, action: "give_up", isConfigError: true });
    expect(e.message).toContain("WECOM_SECRET");
    expect(e.message).not.toContain("wrong-secret-value");
  });
});

describe("WeCom API client: errors", () => {
  it("classifies errcodes and transport failures", async () => {
    const { fake, client } = await setup({ timeoutMs: 300 });
    const send = () => client.sendMessage({ touser: ["u1"] }, text("x"));
    await send(); // token in place
    const expectations: [Parameters<FakeWecomServer["inject"]>[1], Partial<WecomApiError>][] = [
      [-1, { errcode: -1, action: "retry" }],
      [45009, { errcode: 45009, action: "retry", retryAfterMs: 60_000 }],
      [45033, { errcode: 45033, action: "retry" }],
      [{ http: 502 }, { errcode: undefined, httpStatus: 502, action: "retry" }],
      [{ reset: true }, { errcode: undefined, action: "retry" }],
      [{ delayMs: 1_000 }, { errcode: undefined, action: "retry" }],
      [60020, { errcode: 60020, action: "give_up", isConfigError: true }],
      [48002, { errcode: 48002, action: "give_up", isConfigError: true }],
      [44004, { errcode: 44004, action: "give_up", isConfigError: false }],
    ];
    for (const [inj, want] of expectations) {
      fake.inject("message/send", inj);
      expect(await caught(send())).toMatchObject(want);
    }
    fake.inject("message/send", { delayMs: 1_000 });
    expect((await caught(send())).message).toMatch(/timeout/);
    fake.inject("message/send", { reset: true });
    expect((await caught(send())).message).toMatch(/network error/);
    // like WeCom, the fake still handles a request whose client timed out: the two delayed sends
    // arrive after all (why message/send runs with the duplicate check); nothing else got through
    await fake.idle();
    expect(fake.delivered).toHaveLength(1);
    expect(fake.suppressed).toHaveLength(2);
  });

  it("refuses text over 2048 bytes and markdown over its limit locally (WeCom would truncate silently)", async () => {
    const { fake, client } = await setup();
    await client.sendMessage({ touser: ["u1"] }, text("x"));
    const calls = fake.calls.length;
    for (const p of [
      client.sendMessage({ touser: ["u1"] }, text("长".repeat(683))),
      client.sendMessage(
        { touser: ["u1"] },
        { msgtype: "markdown", markdown: { content: "x".repeat(2049) } },
      ),
      client.appchatSend("c1", text("长".repeat(683))),
      client.webhookSend(ROBOT_KEY, text("x".repeat(2049))),
    ])
      expect(await caught(p)).toMatchObject({
        action: "give_up",
        message: expect.stringMatching(/limit is/),
      });
    expect(fake.calls.length).toBe(calls);
    await client.sendMessage({ touser: ["u1"] }, text("长".repeat(682)));
    expect(fake.delivered.at(-1)!.content).toBe("长".repeat(682));
    expect(fake.truncated).toHaveLength(0);
  });

  it("maps classes to outbox outcomes", () => {
    expect(classifyErrcode(-1)).toBe("retry");
    expect(classifyErrcode(42001)).toBe("refresh_token");
    expect(classifyErrcode(93000)).toBe("give_up");
    expect(outcomeOf(new WecomApiError("message/send", 45009, "freq"))).toMatchObject({
      kind: "retry",
      errcode: 45009,
      retryAfterMs: 60_000,
    });
    expect(outcomeOf(new WecomApiError("appchat/send", 86008, "not yours"))).toMatchObject({
      kind: "fatal",
      errcode: 86008,
    });
    expect(outcomeOf(new Error("socket hang up"))).toMatchObject({ kind: "retry", error: "socket hang up" });
    const scrubbed = outcomeOf(new Error("GET https://x/cgi-bin/webhook/send?key=SECRETKEY failed"));
    expect(JSON.stringify(scrubbed)).not.toContain("SECRETKEY");
  });

  it("never puts the robot key into an error", async () => {
    const { client } = await setup();
    const e = await caught(client.webhookSend("not-a-valid-key-123", text("x")));
    expect(e).toMatchObject({ errcode: 93000, action: "give_up", isConfigError: true });
    expect(e.message).not.toContain("not-a-valid-key-123");
  });
});

describe("WeCom API client: endpoints", () => {
  it("sends with the duplicate check so a resend within the interval is delivered once", async () => {
    const { clock, fake, client } = await setup();
    const r = await client.sendMessage({ touser: ["u1"] }, text("提醒：4月22日前报送"));
    expect(r.msgid).toBeTruthy();
    expect(fake.delivered[0]!.body).toMatchObject({
      enable_duplicate_check: 1,
      duplicate_check_interval: 240,
      agentid: 1000002,
    });
    await client.sendMessage({ touser: ["u1"] }, text("提醒：4月22日前报送")); // e.g. after a crash before markSent
    expect(fake.delivered).toHaveLength(1);
    expect(fake.suppressed).toHaveLength(1);
    clock.advance(241_000);
    await client.sendMessage({ touser: ["u1"] }, text("提醒：4月22日前报送"));
    expect(fake.delivered).toHaveLength(2);
  });

  it("uploads media as multipart field `media` and sends files, cards, markdown", async () => {
    const { fake, client } = await setup();
    const data = Buffer.from("PK\u0003\u0004 docx bytes");
    const media = await client.uploadMedia("file", { filename: "通报.docx", data });
    expect(fake.uploads.get(media.media_id)).toMatchObject({ filename: "通报.docx", bytes: data.length });
    await client.sendMessage({ touser: ["u1"] }, { msgtype: "file", file: { media_id: media.media_id } });
    const card = {
      card_type: "button_interaction",
      main_title: { title: "请确认报送数据" },
      task_id: "rev-1",
      button_list: [
        { text: "确认", key: "confirm", style: 1 },
        { text: "取消", key: "cancel", style: 2 },
      ],
    };
    const sent = await client.sendMessage(
      { touser: ["u1"] },
      { msgtype: "template_card", template_card: card },
    );
    expect(sent.response_code).toBeTruthy();
    await client.updateTemplateCard({
      userids: ["u1"],
      response_code: sent.response_code!,
      button: { replace_name: "已确认" },
    });
    expect(fake.cardUpdates[0]).toMatchObject({ agentid: 1000002, button: { replace_name: "已确认" } });
    const reused = await caught(
      client.updateTemplateCard({
        userids: ["u1"],
        response_code: sent.response_code!,
        button: { replace_name: "x" },
      }),
    );
    expect(reused.action).toBe("give_up");
    await client.sendMessage(
      { touser: ["u1"] },
      { msgtype: "markdown", markdown: { content: "**已收到**" } },
    );
    expect(fake.delivered.map((d) => d.msgtype)).toEqual(["file", "template_card", "markdown"]);
  });

  it("creates, reads and sends to app group chats", async () => {
    const { fake, client } = await setup();
    const chatid = await client.appchatCreate({
      name: "经开区培育专班群",
      owner: "tf_wang",
      userlist: ["tf_wang", "qn_li"],
      chatid: "kaiqu01",
    });
    expect(chatid).toBe("kaiqu01");
    expect((await client.appchatGet("kaiqu01")).userlist).toEqual(["tf_wang", "qn_li"]);
    await client.appchatSend("kaiqu01", text("通报已印发"));
    expect(fake.deliveredTo("kaiqu01")).toHaveLength(1);
    expect(await caught(client.appchatGet("nope"))).toMatchObject({ errcode: 86003, action: "give_up" });
  });

  it("sends robot text with mentions, files via upload_media, and refuses markdown over 4096 bytes locally", async () => {
    const { fake, client } = await setup();
    await client.webhookSend(ROBOT_KEY, {
      msgtype: "text",
      text: { content: "请各市州报送", mentioned_list: ["qn_li", "@all"] },
    });
    const m = await client.webhookUploadMedia(ROBOT_KEY, "file", {
      filename: "a.xlsx",
      data: Buffer.from("0123456789"),
    });
    await client.webhookSend(ROBOT_KEY, { msgtype: "file", file: { media_id: m.media_id } });
    const calls = fake.calls.length;
    const e = await caught(
      client.webhookSend(ROBOT_KEY, { msgtype: "markdown", markdown: { content: "长".repeat(1366) } }),
    );
    expect(e.action).toBe("give_up");
    expect(fake.calls.length).toBe(calls);
    await client.webhookSend(ROBOT_KEY, { msgtype: "markdown", markdown: { content: "长".repeat(1365) } });
    expect(fake.deliveredTo(ROBOT_KEY).map((d) => d.msgtype)).toEqual(["text", "file", "markdown"]);
    expect(fake.deliveredTo(ROBOT_KEY)[0]!.body).toMatchObject({
      text: { mentioned_list: ["qn_li", "@all"] },
    });
  });
});

describe("sliding-window limiter", () => {
  it("returns the wait until the oldest send leaves the window, across rules and keys", () => {
    const clock = fixedClock("2024-01-01T00:00:00Z");
    const l = new SlidingWindowLimiter(
      [
        { limit: 3, windowMs: 60_000 },
        { limit: 5, windowMs: 3_600_000 },
      ],
      clock,
    );
    expect(l.tryAcquire(["a"]).waitMs).toBe(0);
    clock.advance(10_000);
    expect(l.tryAcquire(["a"], 2).waitMs).toBe(0);
    expect(l.tryAcquire(["a"]).waitMs).toBe(50_000);
    expect(l.tryAcquire(["b"]).waitMs).toBe(0);
    expect(l.tryAcquire(["a", "b"]).waitMs).toBe(50_000); // all or nothing
    expect(l.used("b")).toBe(1);
    clock.advance(50_000);
    expect(l.tryAcquire(["a"]).waitMs).toBe(0);
    clock.advance(60_000);
    expect(l.tryAcquire(["a"]).waitMs).toBe(0);
    // now 5 in the hour for "a": the hourly rule decides
    expect(l.tryAcquire(["a"]).waitMs).toBe(3_600_000 - 120_000);
    expect(l.tryAcquire(["c"], 4).waitMs).toBe(Number.POSITIVE_INFINITY);
  });

  it("counts a send from when its request was answered (WeCom counts arrival, not our decision)", () => {
    const clock = fixedClock("2024-01-01T00:00:00Z");
    const l = new SlidingWindowLimiter([{ limit: 2, windowMs: 60_000 }], clock);
    const slow = l.tryAcquire(["m"]);
    expect(slow.waitMs).toBe(0);
    clock.advance(1_000);
    const fast = l.tryAcquire(["m"]);
    fast.settle(); // answered at once
    clock.advance(8_000);
    slow.settle(); // the slow request was answered 9 s after we decided to send it
    slow.settle(); // idempotent
    expect(l.used("m")).toBe(2);
    clock.advance(52_000); // 61 s after the first decision, but only 52 s after the slow arrival
    expect(l.tryAcquire(["m"], 2).waitMs).toBe(8_000);
    clock.advance(8_000);
    expect(l.tryAcquire(["m"], 2).waitMs).toBe(0);
  });
});
