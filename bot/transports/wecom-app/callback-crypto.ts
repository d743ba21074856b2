import { createDecipheriv, timingSafeEqual } from "node:crypto";
import { getSignature, encrypt as wecomEncrypt } from "@wecom/crypto";

/** Why a callback was refused; each maps to one 4xx status (see `httpStatus`). */
export type CallbackRejection =
  | "bad_request"
  | "too_large"
  | "bad_signature"
  | "bad_base64"
  | "decrypt_failed"
  | "bad_padding"
  | "bad_length"
  | "wrong_receiver"
  | "bad_xml"
  | "forbidden_xml"
  | "replayed";

const STATUS: Record<CallbackRejection, number> = {
  bad_request: 400,
  too_large: 413,
  bad_signature: 401,
  bad_base64: 400,
  decrypt_failed: 400,
  bad_padding: 400,
  bad_length: 400,
  wrong_receiver: 403,
  bad_xml: 400,
  forbidden_xml: 400,
  replayed: 403,
};

/** A refused callback. The message never contains key material or plaintext. */
export class CallbackError extends Error {
  constructor(
    readonly reason: CallbackRejection,
    message: string,
  ) {
    super(message);
    this.name = "CallbackError";
  }

  get httpStatus(): number {
    return STATUS[this.reason];
  }
}

export interface CallbackCipherOptions {
  token: string;
  /** The 43-character EncodingAESKey. */
  encodingAESKey: string;
  /** Expected receive id: the CorpID for self-built-app callbacks. */
  receiveId: string;
}

export interface SignedParams {
  signature: string;
  timestamp: string;
  nonce: string;
  /** The base64 ciphertext (`Encrypt` element or `echostr`). */
  encrypt: string;
}

export interface Opened {
  message: string;
  receiveId: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * WeCom callback cipher (DOC/90968). @wecom/crypto supplies the signature and the sealing side;
 * opening is done here with node:crypto because @wecom/crypto's decrypt silently accepts bad
 * PKCS#7 padding, lenient base64, out-of-range lengths and any receive id.
 * `open` checks, in order: signature (constant time) → strict base64 → AES-256-CBC →
 * strict PKCS#7 (1..32) → length bounds → receive id.
 */
export class CallbackCipher {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(private readonly o: CallbackCipherOptions) {
    if (!/^[A-Za-z0-9]{43}$/.test(o.encodingAESKey))
      throw new Error("WECOM_ENCODING_AES_KEY: expected 43 characters [A-Za-z0-9]");
    this.key = Buffer.from(`${o.encodingAESKey}=`, "base64");
    if (this.key.length !== 32) throw new Error("WECOM_ENCODING_AES_KEY: does not decode to 32 bytes");
    this.iv = this.key.subarray(0, 16);
  }

  signature(timestamp: string, nonce: string, encrypt: string): string {
    return getSignature(this.o.token, timestamp, nonce, encrypt);
  }

  verifySignature(p: SignedParams): boolean {
    const expected = Buffer.from(this.signature(p.timestamp, p.nonce, p.encrypt), "utf8");
    const given = Buffer.from(p.signature, "utf8");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Verifies and decrypts; throws CallbackError naming the first failed check. */
  open(p: SignedParams): Opened {
    if (!this.verifySignature(p)) throw new CallbackError("bad_signature", "signature mismatch");
    const cipherText = strictBase64(p.encrypt);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv("aes-256-cbc", this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
    } catch {
      throw new CallbackError("decrypt_failed", "AES decryption failed");
    }
    const content = stripPkcs7(plain);
    if (content.length < 20) throw new CallbackError("bad_length", "plaintext shorter than its header");
    const msgLength = content.readUInt32BE(16);
    if (msgLength > content.length - 20)
      throw new CallbackError("bad_length", "message length exceeds the decrypted bytes");
    let message: string;
    let receiveId: string;
    try {
      message = UTF8.decode(content.subarray(20, 20 + msgLength));
      receiveId = UTF8.decode(content.subarray(20 + msgLength));
    } catch {
      throw new CallbackError("bad_length", "message is not valid UTF-8");
    }
    if (receiveId !== this.o.receiveId)
      throw new CallbackError("wrong_receiver", "receive id does not match the corp id");
    return { message, receiveId };
  }

  /** Encrypts and signs a message (passive replies; tests and benches build callbacks with it). */
  seal(message: string, timestamp: string, nonce: string, receiveId = this.o.receiveId): SignedParams {
    const encrypt = wecomEncrypt(this.o.encodingAESKey, message, receiveId);
    return { encrypt, timestamp, nonce, signature: this.signature(timestamp, nonce, encrypt) };
  }
}

/** Canonical base64 only (no whitespace, no junk, no stray bits); ciphertext of whole 32-byte blocks. */
function strictBase64(text: string): Buffer {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text))
    throw new CallbackError("bad_base64", "ciphertext is not valid base64");
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text)
    throw new CallbackError("bad_base64", "ciphertext is not canonical base64");
  if (bytes.length === 0 || bytes.length % 32 !== 0)
    throw new CallbackError("bad_base64", "ciphertext is not a whole number of 32-byte blocks");
  return bytes;
}

/** Strict PKCS#7 for WeCom's 32-byte blocks: pad value 1..32 and every pad byte equal to it. */
function stripPkcs7(plain: Buffer): Buffer {
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || pad > plain.length)
    throw new CallbackError("bad_padding", "invalid PKCS#7 padding");
  let diff = 0;
  for (let i = plain.length - pad; i < plain.length; i++) diff |= plain[i]! ^ pad;
  if (diff !== 0) throw new CallbackError("bad_padding", "invalid PKCS#7 padding");
  return plain.subarray(0, plain.length - pad);
}
