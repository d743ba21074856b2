import { createCipheriv, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../bot/server/create-server.js";
import { CardResponseCodes } from "../bot/transports/wecom-app/card-response-codes.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { createLogger } from "../src/log/logger.js";
import { Outbox } from "../src/outbox/outbox.js";
import { systemClock } from "../src/time/clock.js";
import { createTestStore, type TestStore } from "./support/stores.js";
import {
  CALLBACK,
  type CallbackRequest,
  callbackCipher,
  cardClickXml,
  encryptedPost,
  post,
  textMessageXml,
} from "./support/wecom-callbacks.js";

const LIMIT = 4096;

interface Harness {
  server: HttpServer;
  url: string;
  events: InboundEvent[];
  logs: Record<string, unknown>[];
  cardCodes: CardResponseCodes;
}

let store: TestStore;
const open: HttpServer[] = [];

beforeAll(async () => {
  store = await createTestStore("sqlite");
});
afterAll(async () => {
  await store.dispose();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close(1_000)));
});

async function start(
  o: {
    replayWindowS?: number;
    onEvent?: (e: InboundEvent) => Promise<unknown>;
    accept?: (e: InboundEvent) => Promise<void>;
    schedulerStatus?: () => unknown;
  } = {},
): Promise<Harness> {
  const events: InboundEvent[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("info", { write: (s: string) => logs.push(JSON.parse(s)) } as never);
  const cardCodes = new CardResponseCodes(systemClock);
  const server = createHttpServer({
    logger,
    clock: systemClock,
    bodyLimitBytes: LIMIT,
    health: { store, outbox: new Outbox(store, systemClock), schedulerStatus: o.schedulerStatus },
    wecom: {
      token: CALLBACK.token,
      encodingAESKey: CALLBACK.encodingAESKey,
      corpId: CALLBACK.corpId,
      replayWindowS: o.replayWindowS ?? 300,
      cardCodes,
      ...(o.accept ? { accept: o.accept } : {}),
      onEvent:
        o.onEvent ??
        (async (e) => {
          events.push(e);
        }),
    },
  });
  open.push(server);
  const url = await server.listen("127.0.0.1", 0);
  return { server, url, events, logs, cardCodes };
}

let msgSeq = 1_000_000_000_000_000_000n;
const nextMsgId = () => String(msgSeq++);
/** Waits for every handler started so far (deterministic, unlike a sleep). */
const settle = async (h: Harness) => expect(await h.server.inFlight.drain(10_000)).toBe(true);

function rejectionLines(h: Harness) {
  return h.logs.filter(
    (l) => String(l.msg).startsWith("wecom callback rejected") || l.msg === "http request rejected",
  );
}

function expectOneCleanLine(h: Harness, reason?: string) {
  const lines = rejectionLines(h);
  expect(lines).toHaveLength(1);
  if (reason) expect(lines[0]!.reason).toBe(reason);
  const text = JSON.stringify(lines[0]);
  expect(text).not.toContain(CALLBACK.token);
  expect(text).not.toContain(CALLBACK.encodingAESKey);
  expect(text).not.toContain("msg_signature");
}

describe("WeCom callback server", () => {
  it("answers URL verification with the bare decrypted echostr, also when '+' arrives unencoded", async () => {
    const h = await start();
    const ts = String(Math.floor(Date.now() / 1000));
    let sealed = callbackCipher.seal("1616140317555161061", ts, "263014780");
    for (let i = 0; !sealed.encrypt.includes("+") && i < 200; i++)
      sealed = callbackCipher.seal("1616140317555161061", ts, `n${i}`);
    expect(sealed.encrypt).toContain("+");
    const base = `${h.url}/wecom/callback?msg_signature=${sealed.signature}&timestamp=${sealed.timestamp}&nonce=${sealed.nonce}`;
    for (const echostr of [encodeURIComponent(sealed.encrypt), sealed.encrypt.replace(/=/g, "%3D")]) {
      const res = await fetch(`${base}&echostr=${echostr}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("1616140317555161061");
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    }
    const bad = await fetch(
      `${base.replace(sealed.signature, "f".repeat(40))}&echostr=${encodeURIComponent(sealed.encrypt)}`,
    );
    expect(bad.status).toBe(401);
    expect(h.events).toHaveLength(0);
  });

  it("accepts an encrypted text message: 200 with an empty body, then the handler gets the event", async () => {
    const h = await start();
    const msgId = nextMsgId();
    const r = await post(
      h.url,
      encryptedPost(textMessageXml({ from: "qn_li", content: "惠水 进出口 1.2亿元", msgId })),
    );
    expect(r).toMatchObject({ status: 200, body: "" });
    await settle(h);
    expect(h.events).toEqual([
      expect.objectContaining({
        channel: "wecom",
        externalId: `msg:${msgId}`,
        senderRef: "qn_li",
        kind: "text",
        text: "惠水 进出口 1.2亿元",
      }),
    ]);
  });

  it("turns a template-card click into an action and keeps the response code for the reply", async () => {
    const h = await start();
    const xml = cardClickXml({ from: "qn_li", key: "confirm", taskId: "rev-42", responseCode: "RC-abc" });
    expect((await post(h.url, encryptedPost(xml))).status).toBe(200);
    await settle(h);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({ kind: "action", text: "confirm", senderRef: "qn_li" });
    expect(h.events[0]!.externalId).toMatch(/^evt:qn_li:\d+:template_card_event:rev-42:confirm$/);
    expect(h.cardCodes.take("QN_LI", "rev-42")).toBe("RC-abc");
    expect(h.cardCodes.take("qn_li", "rev-42")).toBeUndefined();
  });

  const xml = () => textMessageXml({ from: "qn_li", content: "hi", msgId: nextMsgId() });
  const key = Buffer.from(`${CALLBACK.encodingAESKey}=`, "base64");
  const badPadding = (): string => {
    const m = Buffer.from(xml());
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    const plain = Buffer.concat([randomBytes(16), len, m, Buffer.from(CALLBACK.corpId)]);
    const n = 32 - (plain.length % 32);
    const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
    c.setAutoPadding(false);
    return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(n, 0)])), c.final()]).toString(
      "base64",
    );
  };
  const cases: [string, () => CallbackRequest, number, string][] = [
    [
      "a forged signature",
      () => {
        const r = encryptedPost(xml());
        return { ...r, path: r.path.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${"a".repeat(40)}`) };
      },
      401,
      "bad_signature",
    ],
    ["a wrong corp id", () => encryptedPost(xml(), { receiveId: "wwSOMEONEELSE" }), 403, "wrong_receiver"],
    [
      "garbled base64",
      () => encryptedPost(xml(), { tamper: (e) => `${e.slice(0, 20)}!#${e.slice(22)}` }),
      400,
      "bad_base64",
    ],
    ["truncated base64", () => encryptedPost(xml(), { tamper: (e) => e.slice(0, -6) }), 400, "bad_base64"],
    ["bad padding", () => encryptedPost("", { encrypt: badPadding() }), 400, "bad_padding"],
    [
      "an unsigned envelope with a DOCTYPE (never parsed: the signature fails first)",
      () => {
        const r = encryptedPost(xml());
        return {
          path: r.path.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${"e".repeat(40)}`),
          body: `<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>${r.body}`,
        };
      },
      401,
      "bad_signature",
    ],
    [
      "entities in the decrypted message",
      () =>
        encryptedPost(
          `<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${xml().replace("hi", "&b;")}`,
        ),
      400,
      "forbidden_xml",
    ],
    [
      "a replayed old timestamp",
      () => encryptedPost(xml(), { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
      403,
      "replayed",
    ],
    ["malformed inner XML", () => encryptedPost("<xml><Content>unclosed</xml>"), 400, "bad_xml"],
  ];

  it.each(cases)(
    "rejects %s with a 4xx, no processing and one log line without secrets",
    async (_name, build, status, reason) => {
      const h = await start();
      const r = await post(h.url, build());
      expect(r.status).toBe(status);
      expect(r.body).toBe(reason);
      await settle(h);
      expect(h.events).toHaveLength(0);
      expectOneCleanLine(h, reason);
    },
  );

  it("rejects an oversized body with 413 before any decryption", async () => {
    const h = await start();
    const big = encryptedPost(
      textMessageXml({ from: "qn_li", content: "长".repeat(LIMIT), msgId: nextMsgId() }),
    );
    const r = await post(h.url, big);
    expect(r.status).toBe(413);
    await settle(h);
    expect(h.events).toHaveLength(0);
    expectOneCleanLine(h);
    // refused by the body parser, before the route (signature, decryption) ever ran
    expect(rejectionLines(h)[0]).toMatchObject({ status: 413, code: "FST_ERR_CTP_BODY_TOO_LARGE" });
    // a body without a length header is cut off while streaming
    const res = await fetch(h.url + big.path, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big.body));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("rejects a content type it has no parser for", async () => {
    const h = await start();
    const r = await post(h.url, encryptedPost(xml()), "application/octet-stream");
    expect(r.status).toBe(415);
    expectOneCleanLine(h);
  });

  it("accepts an old timestamp when the replay guard is off (window 0)", async () => {
    const h = await start({ replayWindowS: 0 });
    const r = await post(h.url, encryptedPost(xml(), { timestamp: 1_000_000_000 }));
    expect(r.status).toBe(200);
    await settle(h);
    expect(h.events).toHaveLength(1);
  });

  it("stores the message before the 200; when the store fails it answers 503 and WeCom's retry is taken", async () => {
    const stored: string[] = [];
    let storeDown = true;
    const h = await start({
      accept: async (e) => {
        if (storeDown) throw new Error("connection refused");
        stored.push(e.externalId);
      },
    });
    const msgId = nextMsgId();
    const delivery = () =>
      encryptedPost(textMessageXml({ from: "qn_li", content: "惠水 进出口 1亿元", msgId }));
    expect((await post(h.url, delivery())).status).toBe(503);
    await settle(h);
    expect(h.events).toEqual([]); // nothing handled that was not stored
    storeDown = false;
    expect(await post(h.url, delivery())).toMatchObject({ status: 200, body: "" });
    await settle(h);
    expect(stored).toEqual([`msg:${msgId}`]);
    expect(h.events.map((e) => e.externalId)).toEqual([`msg:${msgId}`]);
    expect(h.logs.some((l) => String(l.msg).includes("could not store"))).toBe(true);
  });

  it("processes WeCom's redeliveries once (messages by MsgId, events by sender+time+key)", async () => {
    const h = await start();
    const msgId = nextMsgId();
    for (let i = 0; i < 4; i++) {
      // each retry is freshly encrypted (new random, nonce) but carries the same MsgId
      const r = await post(h.url, encryptedPost(textMessageXml({ from: "qn_li", content: "hi", msgId })));
      expect(r.status).toBe(200);
    }
    const t = Math.floor(Date.now() / 1000);
    const click = (key: string, createTime = t) =>
      encryptedPost(cardClickXml({ from: "qn_li", key, taskId: "rev-7", responseCode: "RC1", createTime }));
    for (const r of [click("confirm"), click("confirm"), click("cancel"), click("confirm", t - 1)])
      expect((await post(h.url, r)).status).toBe(200);
    await settle(h);
    expect(h.events.map((e) => e.text)).toEqual(["hi", "confirm", "cancel", "confirm"]);
    expect(new Set(h.events.map((e) => e.externalId)).size).toBe(4);
  });

  it("answers 200 at once while a 10-second handler runs, and shutdown waits for it", async () => {
    let finish: () => void = () => {};
    let finished = false;
    const h = await start({
      onEvent: () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          finish = () => {
            clearTimeout(timer);
            resolve();
          };
        }).then(() => {
          finished = true;
        }),
    });
    const r = await post(h.url, encryptedPost(xml()));
    // the 200 is here while the handler has not finished (a server awaiting it would answer after 10 s)
    expect(r.status).toBe(200);
    expect(finished).toBe(false);
    expect(h.server.inFlight.size).toBe(1);
    const closing = h.server.close(20_000).then(() => finished);
    await new Promise((r) => setTimeout(r, 30)); // give a broken close() the chance to return early
    expect(finished).toBe(false);
    finish();
    expect(await closing).toBe(true);
    expect(h.server.inFlight.size).toBe(0);
  });

  it("reports health: store, scheduler and outbox backlog; 503 when something is down", async () => {
    const up = await start({
      schedulerStatus: () => ({ ok: true, running: true, lastTickAt: "2024-01-01T00:00:00Z" }),
    });
    const res = await fetch(`${up.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, { ok?: boolean; pending?: number; running?: boolean }>;
    expect(body.store).toMatchObject({ ok: true, provider: "sqlite" });
    expect(body.outbox).toMatchObject({ ok: true, pending: expect.any(Number), failed: expect.any(Number) });
    expect(body.scheduler).toMatchObject({ running: true });
    const schedDown = await start({ schedulerStatus: () => ({ ok: false, error: "tick failed" }) });
    expect((await fetch(`${schedDown.url}/healthz`)).status).toBe(503);
  });
});

describe("health with an unreachable store", () => {
  it("answers 503 naming the store", async () => {
    const dead = await createTestStore("sqlite");
    await dead.dispose();
    const server = createHttpServer({
      logger: createLogger("silent"),
      clock: systemClock,
      bodyLimitBytes: LIMIT,
      health: {
        store: {
          provider: "sqlite",
          db: { $queryRawUnsafe: () => Promise.reject(new Error("connection refused")) } as never,
        },
        outbox: new Outbox(dead, systemClock),
      },
    });
    open.push(server);
    const url = await server.listen("127.0.0.1", 0);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, store: { ok: false, error: "connection refused" } });
    expect((await fetch(`${url}/wecom/callback`)).status).toBe(404);
  });
});
