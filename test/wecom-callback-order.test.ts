import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../bot/server/create-server.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { createLogger } from "../src/log/logger.js";
import { Outbox } from "../src/outbox/outbox.js";
import { systemClock } from "../src/time/clock.js";
import { createTestStore, type TestStore } from "./support/stores.js";
import { CALLBACK, callbackCipher, encryptedPost, post, textMessageXml } from "./support/wecom-callbacks.js";

// #18: verify before any work; GET verification is not a decryption oracle.
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

async function start(): Promise<{ url: string; events: InboundEvent[] }> {
  const events: InboundEvent[] = [];
  const server = createHttpServer({
    logger: createLogger("silent"),
    clock: systemClock,
    bodyLimitBytes: 65_536,
    health: { store, outbox: new Outbox(store, systemClock) },
    wecom: {
      token: CALLBACK.token,
      encodingAESKey: CALLBACK.encodingAESKey,
      corpId: CALLBACK.corpId,
      replayWindowS: 300,
      onEvent: async (e) => {
        events.push(e);
      },
    },
  });
  open.push(server);
  return { url: await server.listen("127.0.0.1", 0), events };
}

const now = () => Math.floor(Date.now() / 1000);

async function getEcho(
  url: string,
  p: { timestamp: string; nonce: string; encrypt: string; signature: string },
) {
  const q = new URLSearchParams({
    msg_signature: p.signature,
    timestamp: p.timestamp,
    nonce: p.nonce,
    echostr: p.encrypt,
  });
  const res = await fetch(`${url}/wecom/callback?${q}`);
  return { status: res.status, body: await res.text() };
}

describe("GET URL verification", () => {
  it("answers a fresh echostr of WeCom's shape with its plaintext", async () => {
    const { url } = await start();
    const sealed = callbackCipher.seal("5927782489442352469", String(now()), "n1");
    expect(await getEcho(url, sealed)).toEqual({ status: 200, body: "5927782489442352469" });
  });

  it("refuses a captured POST Encrypt replayed as echostr and never returns the message", async () => {
    const { url } = await start();
    const xml = textMessageXml({ from: "qn_contact", content: "惠水 进出口3.2亿元", msgId: "77" });
    const sealed = callbackCipher.seal(xml, String(now()), "n2");
    const r = await getEcho(url, sealed);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.body).not.toContain("惠水");
    expect(r.body).not.toContain("<xml>");
  });

  it("refuses an echostr signed with an old timestamp (same window as POST)", async () => {
    const { url } = await start();
    const sealed = callbackCipher.seal("5927782489442352469", String(now() - 30 * 86_400), "n3");
    const r = await getEcho(url, sealed);
    expect(r.status).toBe(403);
    expect(r.body).toBe("replayed");
  });
});

describe("POST: signature before any XML parse", () => {
  it("an unsigned 47 KB body the XML parser would reject is refused with the signature error", async () => {
    const { url, events } = await start();
    // Deeply nested unclosed elements (costly for a validator, malformed) plus a DOCTYPE: an XML parse
    // would answer bad_xml / forbidden_xml; only a check that never parses answers bad_signature.
    const junk = "<a>".repeat(16_000);
    const body = `<!DOCTYPE x [<!ENTITY e "e">]><xml><Encrypt><![CDATA[QUJD]]></Encrypt>${junk}`;
    expect(body.length).toBeGreaterThan(47_000);
    const q = new URLSearchParams({ msg_signature: "0".repeat(40), timestamp: String(now()), nonce: "x" });
    const r = await post(url, { path: `/wecom/callback?${q}`, body });
    expect(r).toEqual({ status: 401, body: "bad_signature" });
    expect(events).toHaveLength(0);
  });

  it("a correctly signed envelope with a malformed remainder still works (only Encrypt is read)", async () => {
    const { url, events } = await start();
    const req = encryptedPost(textMessageXml({ from: "u1", content: "进度", msgId: "901" }));
    const r = await post(url, { ...req, body: `${req.body}<<not xml` });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 50));
    expect(events.map((e) => e.text)).toEqual(["进度"]);
  });

  it("two Encrypt elements are refused", async () => {
    const { url } = await start();
    const req = encryptedPost(textMessageXml({ from: "u1", content: "进度", msgId: "902" }));
    const r = await post(url, { ...req, body: req.body.replace("</xml>", "<Encrypt>QUJD</Encrypt></xml>") });
    expect(r.status).toBe(400);
  });
});
