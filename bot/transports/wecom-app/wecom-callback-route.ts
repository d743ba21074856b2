import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
import type { Logger } from "../../../src/log/logger.js";
import type { Clock } from "../../../src/time/clock.js";
import type { InFlight } from "../../server/in-flight.js";
import { CallbackCipher, CallbackError } from "./callback-crypto.js";
import { dedupeKey, isCardClick, toCallbackMessage, toInboundEvent } from "./callback-message.js";
import { parseCallbackXml } from "./callback-xml.js";
import type { CardResponseCodes } from "./card-response-codes.js";
import { ECHOSTR_MAX_CIPHERTEXT, envelopeEncrypt, isEchostrPlaintext } from "./envelope-encrypt.js";
import { SeenKeys } from "./seen-keys.js";

export const CALLBACK_PATH = "/wecom/callback";

export interface WecomCallbackOptions {
  token: string;
  encodingAESKey: string;
  corpId: string;
  /** Allowed distance between the signed timestamp and now, in seconds; 0 turns the guard off. */
  replayWindowS: number;
  /** The inbound entry point; runs after the 200 went out. */
  onEvent: (event: InboundEvent) => Promise<unknown>;
  /**
   * Stores the event durably before the 200 (WeCom does not redeliver after a 200); when it fails
   * the callback answers 503 so that WeCom retries.
   */
  accept?: (event: InboundEvent) => Promise<void>;
  cardCodes?: CardResponseCodes;
  /** In-process dedupe memory (default: 10 min, at least the replay window; 50 000 keys). */
  dedupeTtlMs?: number;
}

interface Query {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}

/**
 * GET = URL verification: echostr length bound → signature → replay window → decrypt → the
 * plaintext must look like an echostr (short token, no XML) → answered bare.
 * POST = encrypted message: size limit (content-type parser) → `Encrypt` found by a bounded scan
 * (no XML parse of the unauthenticated envelope) → signature → replay window → base64 → decrypt →
 * padding → length → receive id → XML of the decrypted message → dedupe → store (accept) → 200
 * with an empty body, then the handler runs in the background (tracked in `inFlight`).
 */
export function registerWecomCallback(
  app: FastifyInstance,
  o: WecomCallbackOptions & { logger: Logger; clock: Clock; inFlight: InFlight },
): void {
  const cipher = new CallbackCipher({
    token: o.token,
    encodingAESKey: o.encodingAESKey,
    receiveId: o.corpId,
  });
  const seen = new SeenKeys({
    ttlMs: o.dedupeTtlMs ?? Math.max(600_000, 2 * o.replayWindowS * 1000),
    maxEntries: 50_000,
    clock: o.clock,
  });
  const log = o.logger.child({ component: "wecom-callback" });

  const reject = (req: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (!(e instanceof CallbackError)) throw e;
    log.warn(
      { method: req.method, reason: e.reason, status: e.httpStatus, ip: req.ip },
      `wecom callback rejected: ${e.message}`,
    );
    return reply.code(e.httpStatus).type("text/plain").send(e.reason);
  };

  /** The signed timestamp must be within the replay window (both GET and POST). */
  const checkWindow = (timestamp: string) => {
    if (o.replayWindowS > 0 && Math.abs(o.clock.now().getTime() / 1000 - Number(timestamp)) > o.replayWindowS)
      throw new CallbackError("replayed", "timestamp outside the replay window");
  };

  app.get<{ Querystring: Query }>(CALLBACK_PATH, async (req, reply) => {
    try {
      const { msg_signature: signature, timestamp, nonce, echostr } = required(req.query, true);
      if (echostr.length > ECHOSTR_MAX_CIPHERTEXT)
        throw new CallbackError("bad_request", "echostr longer than a URL-verification token");
      // A literal "+" in the query decodes to a space; base64 never contains spaces.
      const signed = { signature, timestamp, nonce, encrypt: echostr.replace(/ /g, "+") };
      if (!cipher.verifySignature(signed)) throw new CallbackError("bad_signature", "signature mismatch");
      checkWindow(timestamp);
      const opened = cipher.open(signed);
      if (!isEchostrPlaintext(opened.message))
        throw new CallbackError("bad_request", "echostr plaintext is not a URL-verification token");
      log.info("wecom callback URL verified");
      return reply.code(200).type("text/plain; charset=utf-8").send(opened.message);
    } catch (e) {
      return reject(req, reply, e);
    }
  });

  app.post<{ Querystring: Query }>(CALLBACK_PATH, async (req, reply) => {
    let event: InboundEvent | undefined;
    try {
      const { msg_signature: signature, timestamp, nonce } = required(req.query, false);
      const signed = { signature, timestamp, nonce, encrypt: envelopeEncrypt(req.body) };
      if (!cipher.verifySignature(signed)) throw new CallbackError("bad_signature", "signature mismatch");
      checkWindow(timestamp);
      const opened = cipher.open(signed);
      const msg = toCallbackMessage(parseCallbackXml(opened.message));
      const now = o.clock.now();
      const key = dedupeKey(msg);
      if (!seen.firstSeen(key)) {
        log.info({ externalId: key }, "wecom callback: duplicate delivery ignored");
        return reply.code(200).send("");
      }
      if (isCardClick(msg) && msg.taskId && msg.responseCode)
        // stored before the 200, like the message: the reply may be sent by another instance
        await o.cardCodes
          ?.remember(msg.fromUserName, msg.taskId, msg.responseCode)
          .catch((e: unknown) =>
            log.warn(
              { err: e instanceof Error ? e.message : String(e) },
              "wecom callback: card code not stored",
            ),
          );
      event = toInboundEvent(msg, now);
      if (!event)
        log.debug(
          { msgType: msg.msgType, event: msg.event },
          "wecom callback: event without a handler, acknowledged",
        );
      else if (o.accept) {
        try {
          await o.accept(event);
        } catch (e) {
          seen.forget(key);
          log.error(
            { externalId: key, err: e instanceof Error ? e.message : String(e) },
            "wecom callback: could not store the message; answering 503 so that WeCom retries",
          );
          return reply.code(503).type("text/plain").send("store unavailable");
        }
      }
    } catch (e) {
      return reject(req, reply, e);
    }
    reply.code(200).send("");
    const ev = event;
    // setImmediate: even a handler that blocks before its first await cannot delay the 200.
    if (ev) o.inFlight.track(new Promise((r) => setImmediate(r)).then(() => runHandler(ev)));
    return reply;
  });

  async function runHandler(event: InboundEvent): Promise<void> {
    try {
      await o.onEvent(event);
    } catch (e) {
      log.error(
        { externalId: event.externalId, err: e instanceof Error ? e.message : String(e) },
        "inbound handler failed",
      );
    }
  }
}

function required(q: Query, withEcho: true): Required<Query>;
function required(q: Query, withEcho: false): Required<Omit<Query, "echostr">>;
function required(q: Query, withEcho: boolean): Query {
  const names = withEcho
    ? (["msg_signature", "timestamp", "nonce", "echostr"] as const)
    : (["msg_signature", "timestamp", "nonce"] as const);
  for (const n of names) {
    const v = q[n];
    if (typeof v !== "string" || v === "" || v.length > 4096)
      throw new CallbackError("bad_request", `query parameter ${n} missing or invalid`);
  }
  if (!/^\d{1,12}$/.test(q.timestamp!))
    throw new CallbackError("bad_request", "timestamp is not a unix time");
  return q;
}
