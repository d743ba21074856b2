import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpText } from "../bot/transports/wecom-app/http-text.js";

/**
 * The WeCom client's JSON and GET calls go over node:https in production (qyapi.weixin.qq.com); the
 * fake WeCom server of the other tests speaks plain HTTP. Here the same function talks to a local TLS
 * server with a certificate made for the test (openssl): the body arrives whole as UTF-8, the
 * certificate is verified (an untrusted one is refused, as fetch refuses it), and the deadline holds.
 */
describe("httpText over HTTPS", () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  const servers: https.Server[] = [];
  const savedCa = https.globalAgent.options.ca;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-tls-"));
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"],
        ...["-addext", "subjectAltName=IP:127.0.0.1"],
        ...["-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")],
      ],
      { stdio: "ignore" },
    );
    key = readFileSync(path.join(dir, "key.pem"));
    cert = readFileSync(path.join(dir, "cert.pem"));
  });
  afterEach(() => {
    https.globalAgent.options.ca = savedCa;
  });
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** A TLS server on 127.0.0.1 echoing method, declared length and body; /slow never answers. */
  async function server(): Promise<string> {
    const s = https.createServer({ key, cert }, (req, res) => {
      if (req.url === "/slow") return;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify({ method: req.method, length: req.headers["content-length"] ?? null, body }));
      });
    });
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    return `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  it("posts a UTF-8 body and reads the whole answer from a server whose certificate it trusts", async () => {
    const base = await server();
    https.globalAgent.options.ca = cert;
    const body = JSON.stringify({ touser: "u1", text: { content: "惠水经开区 一季度 进出口累计3.2亿元" } });
    const r = await httpText(`${base}/cgi-bin/message/send?access_token=t`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      timeoutMs: 5_000,
    });
    expect(r.status).toBe(200);
    expect(r.ok).toBe(true);
    const echo = JSON.parse(r.text) as { method: string; length: string; body: string };
    expect(echo).toEqual({ method: "POST", length: String(Buffer.byteLength(body)), body });
    const missing = await httpText(`${base}/missing`, { method: "GET", timeoutMs: 5_000 });
    expect(missing).toMatchObject({ status: 404, ok: false });
  });

  it("refuses a certificate it does not trust, as a network failure with the TLS code", async () => {
    const base = await server();
    const e = (await httpText(`${base}/cgi-bin/gettoken`, { method: "GET", timeoutMs: 5_000 }).catch(
      (x: unknown) => x,
    )) as Error & { cause?: { code?: string } };
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe("fetch failed");
    expect(e.cause?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it("gives up at the deadline with a TimeoutError when the TLS server never answers", async () => {
    const base = await server();
    https.globalAgent.options.ca = cert;
    const t0 = Date.now();
    const e = (await httpText(`${base}/slow`, { method: "GET", timeoutMs: 300 }).catch(
      (x: unknown) => x,
    )) as Error;
    expect(e.name).toBe("TimeoutError");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
