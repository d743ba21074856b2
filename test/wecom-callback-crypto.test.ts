import { createCipheriv, randomBytes } from "node:crypto";
import { decrypt as wecomDecrypt, encrypt as wecomEncrypt } from "@wecom/crypto";
import { describe, expect, it } from "vitest";
import {
  CallbackCipher,
  CallbackError,
  type SignedParams,
} from "../bot/transports/wecom-app/callback-crypto.js";
import { CALLBACK, callbackCipher } from "./support/wecom-callbacks.js";

// Public vector from the WeCom docs (DOC/90968) and the official sample libraries.
const OFFICIAL = new CallbackCipher({
  token: "QDG6eK",
  encodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  receiveId: "wx5823bf96d3bd56c7",
});
const OFFICIAL_ENCRYPT =
  "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

const key = Buffer.from(`${CALLBACK.encodingAESKey}=`, "base64");

/** AES-256-CBC over exactly these bytes (no padding added), as a forger with the key would. */
function rawEncrypt(plain: Buffer): string {
  const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]).toString("base64");
}

function body(msg: string, receiveId: string = CALLBACK.corpId, msgLength?: number): Buffer {
  const m = Buffer.from(msg);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msgLength ?? m.length);
  return Buffer.concat([randomBytes(16), len, m, Buffer.from(receiveId)]);
}

function pad(b: Buffer, value: number, fill = value): Buffer {
  const n = 32 - (b.length % 32);
  const p = Buffer.alloc(n, fill);
  p[n - 1] = value;
  return Buffer.concat([b, p]);
}

function signed(encrypt: string, cipher = callbackCipher): SignedParams {
  const timestamp = "1700000000";
  const nonce = "n0nce";
  return { encrypt, timestamp, nonce, signature: cipher.signature(timestamp, nonce, encrypt) };
}

function rejection(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CallbackError) return e.reason;
    throw e;
  }
  return "accepted";
}

describe("WeCom callback cipher", () => {
  it("opens the official message and echostr vectors", () => {
    const msg = OFFICIAL.open({
      signature: "477715d11cdb4164915debcba66cb864d751f3e6",
      timestamp: "1409659813",
      nonce: "1372623149",
      encrypt: OFFICIAL_ENCRYPT,
    });
    expect(msg.receiveId).toBe("wx5823bf96d3bd56c7");
    expect(msg.message).toContain("<Content><![CDATA[hello]]></Content>");
    expect(msg.message).toContain("<MsgId>4561255354251345929</MsgId>");
    const echo = OFFICIAL.open({
      signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
      timestamp: "1409659589",
      nonce: "263014780",
      encrypt: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    });
    expect(echo.message).toBe("1616140317555161061");
  });

  it("round-trips with @wecom/crypto and agrees with its decrypt on valid input", () => {
    for (const msg of [
      "",
      "a",
      "黔南州 一季度 进出口 12.3亿元",
      "x".repeat(31),
      "y".repeat(32),
      "z".repeat(5000),
    ]) {
      const p = callbackCipher.seal(msg, "1700000000", "abc");
      expect(callbackCipher.open(p).message).toBe(msg);
      expect(wecomDecrypt(CALLBACK.encodingAESKey, p.encrypt).message).toBe(msg);
      const theirs = wecomEncrypt(CALLBACK.encodingAESKey, msg, CALLBACK.corpId);
      expect(callbackCipher.open(signed(theirs)).message).toBe(msg);
    }
  });

  it("checks the signature first, in constant time", () => {
    const p = callbackCipher.seal("<xml/>", "1700000000", "abc");
    expect(rejection(() => callbackCipher.open({ ...p, signature: "0".repeat(40) }))).toBe("bad_signature");
    expect(rejection(() => callbackCipher.open({ ...p, signature: p.signature.slice(1) }))).toBe(
      "bad_signature",
    );
    expect(rejection(() => callbackCipher.open({ ...p, nonce: "other" }))).toBe("bad_signature");
    // garbage that is not even base64 still fails on the signature when it is not signed
    expect(rejection(() => callbackCipher.open({ ...p, encrypt: "%%%" }))).toBe("bad_signature");
  });

  it("rejects garbled and truncated base64 even when correctly signed", () => {
    const { encrypt } = callbackCipher.seal("<xml>hello</xml>", "1", "n");
    const garbled = [
      `${encrypt.slice(0, 10)}*${encrypt.slice(11)}`,
      ` ${encrypt}`,
      encrypt.replace(/=+$/, ""),
      `${encrypt}==`,
    ];
    for (const g of garbled) expect(rejection(() => callbackCipher.open(signed(g)))).toBe("bad_base64");
    expect(rejection(() => callbackCipher.open(signed(encrypt.slice(0, -1))))).toBe("bad_base64");
    // still valid base64 after cutting a quartet, but no longer whole AES blocks
    expect(rejection(() => callbackCipher.open(signed(encrypt.slice(0, -8))))).toBe("bad_base64");
    // non-canonical: 64 bytes end in "==" and the last sextet has 4 unused bits; setting one
    // decodes to the same bytes, which lenient decoders (Buffer.from) accept
    expect(encrypt.endsWith("==")).toBe(true);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const lastChar = encrypt.at(-3)!;
    const sibling = alphabet[alphabet.indexOf(lastChar) ^ 1]!;
    const nonCanonical = `${encrypt.slice(0, -3)}${sibling}==`;
    expect(Buffer.from(nonCanonical, "base64")).toEqual(Buffer.from(encrypt, "base64"));
    expect(rejection(() => callbackCipher.open(signed(nonCanonical)))).toBe("bad_base64");
  });

  it("rejects bad PKCS#7 padding that @wecom/crypto would let through", () => {
    const plain = body("<xml>hi</xml>");
    const cases = [
      pad(plain, 0),
      pad(plain, 33),
      pad(plain, 5, 7),
      Buffer.concat([pad(plain, 32), Buffer.alloc(31), Buffer.from([64])]),
    ];
    for (const c of cases) {
      const enc = rawEncrypt(c);
      expect(rejection(() => callbackCipher.open(signed(enc)))).toBe("bad_padding");
    }
    // the library's unpad accepts a wrong pad byte silently (why opening is done with node:crypto)
    expect(() => wecomDecrypt(CALLBACK.encodingAESKey, rawEncrypt(pad(plain, 0)))).not.toThrow();
    expect(() => wecomDecrypt(CALLBACK.encodingAESKey, rawEncrypt(pad(plain, 5, 7)))).not.toThrow();
  });

  it("rejects a message length beyond the decrypted bytes and a short plaintext", () => {
    const long = body("<xml/>", CALLBACK.corpId, 9999);
    expect(rejection(() => callbackCipher.open(signed(rawEncrypt(pad(long, 32 - (long.length % 32))))))).toBe(
      "bad_length",
    );
    expect(rejection(() => callbackCipher.open(signed(rawEncrypt(Buffer.alloc(32, 16)))))).toBe("bad_length");
  });

  it("rejects a receive id other than the corp id", () => {
    const p = callbackCipher.seal("<xml/>", "1700000000", "abc", "wwOTHERCORP");
    expect(rejection(() => callbackCipher.open(p))).toBe("wrong_receiver");
    const empty = callbackCipher.seal("<xml/>", "1700000000", "abc", "");
    expect(rejection(() => callbackCipher.open(empty))).toBe("wrong_receiver");
  });

  it("maps every rejection to a 4xx status", () => {
    expect(new CallbackError("bad_signature", "x").httpStatus).toBe(401);
    expect(new CallbackError("too_large", "x").httpStatus).toBe(413);
    expect(new CallbackError("wrong_receiver", "x").httpStatus).toBe(403);
    expect(new CallbackError("bad_padding", "x").httpStatus).toBe(400);
    expect(() => new CallbackCipher({ token: "t", encodingAESKey: "short", receiveId: "c" })).toThrow(/43/);
  });
});
