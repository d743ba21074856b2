import { CallbackError } from "./callback-crypto.js";

const OPEN = "<Encrypt>";
const CLOSE = "</Encrypt>";
const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";

/**
 * The `Encrypt` field of an (unauthenticated) POST envelope, found without parsing XML: two
 * indexOf scans over a body already bounded by the size limit, no recursion, no entities. The rest
 * of the envelope (ToUserName, AgentID) is never read — only the signed ciphertext matters, and the
 * decrypted message is parsed after the signature and the decryption succeeded.
 * Exactly one `<Encrypt>` element is accepted; its text may be wrapped in one CDATA section.
 */
export function envelopeEncrypt(body: unknown): string {
  if (typeof body === "string") {
    const start = body.indexOf(OPEN);
    if (start < 0 || body.indexOf(OPEN, start + OPEN.length) >= 0)
      throw new CallbackError("bad_request", "body needs exactly one Encrypt element");
    const end = body.indexOf(CLOSE, start + OPEN.length);
    if (end < 0) throw new CallbackError("bad_request", "Encrypt element is not closed");
    let text = body.slice(start + OPEN.length, end).trim();
    if (text.startsWith(CDATA_OPEN) && text.endsWith(CDATA_CLOSE))
      text = text.slice(CDATA_OPEN.length, -CDATA_CLOSE.length);
    if (text) return text;
  } else if (typeof body === "object" && body !== null) {
    const v = (body as Record<string, unknown>).encrypt ?? (body as Record<string, unknown>).Encrypt;
    if (typeof v === "string" && v) return v;
  }
  throw new CallbackError("bad_request", "body has no Encrypt element");
}

/**
 * URL verification (GET): WeCom's echostr is a short random token (in practice a decimal number of
 * ~19 digits) sealed like a message. Anything longer, or with other characters (an XML message, a
 * JSON body), is not an echostr: answering it would turn the GET into a decryption oracle for
 * captured POST bodies.
 */
export const ECHOSTR_MAX_CIPHERTEXT = 256;
const ECHOSTR_PLAIN = /^[0-9A-Za-z_-]{1,64}$/;

export function isEchostrPlaintext(text: string): boolean {
  return ECHOSTR_PLAIN.test(text);
}
