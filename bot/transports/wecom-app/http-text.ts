import http from "node:http";
import https from "node:https";

/** What a request without a file gets back: the status and the body as text. */
export interface HttpText {
  status: number;
  ok: boolean;
  text: string;
}

/**
 * One request over node:http(s) on the global keep-alive agent, the body read as UTF-8 text. The
 * WeCom client sends its JSON and GET calls this way rather than through fetch: per request fetch
 * costs several times as much CPU (web streams, abort signals, undici's request objects) — in the
 * fan-out bench the client side of fetch was about a third of the process's time.
 * Failures throw like fetch's: an Error named "TimeoutError" when `timeoutMs` passes before the
 * whole body has arrived, otherwise an Error whose `cause` has the socket error's code.
 */
export function httpText(
  url: string,
  o: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpText> {
  return new Promise((resolve, reject) => {
    const payload = o.body === undefined ? undefined : Buffer.from(o.body, "utf8");
    const headers = payload ? { ...o.headers, "content-length": String(payload.length) } : o.headers;
    const lib = url.startsWith("https:") ? https : http;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const req = lib.request(url, { method: o.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => fail(networkError(e)));
      res.on("aborted", () => fail(networkError(new Error("response aborted"))));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    // one deadline for the whole exchange (connect, send, headers and body), as AbortSignal.timeout
    const timer = setTimeout(() => {
      const e = new Error(`no complete response within ${o.timeoutMs} ms`);
      e.name = "TimeoutError";
      fail(e);
      req.destroy();
    }, o.timeoutMs);
    req.on("error", (e) => fail(networkError(e)));
    req.end(payload);
  });
}

function networkError(e: Error): Error {
  return new Error("fetch failed", { cause: e });
}
