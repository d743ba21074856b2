import pino, { type Logger } from "pino";

export type { Logger };

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  "secret",
  "*.secret",
  "token",
  "*.token",
  "access_token",
  "*.access_token",
  "corpsecret",
  "*.corpsecret",
  // Not "key": outbox idempotency keys are logged (operators need them). Robot webhook keys travel
  // as robotKey/webhookKey fields or inside URLs (scrubUrl).
  "robotKey",
  "*.robotKey",
  "webhookKey",
  "*.webhookKey",
  "encodingAESKey",
  "*.encodingAESKey",
  "WECOM_SECRET",
  "WECOM_TOKEN",
  "WECOM_ENCODING_AES_KEY",
  "WECHATY_PUPPET_SERVICE_TOKEN",
  "robotKeys",
  "*.robotKeys",
];

export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: "***" },
      base: { app: "kaiqu-bot" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Removes secrets that can appear inside URLs (access_token=…, key=…) from a string before logging. */
export function scrubUrl(text: string): string {
  return text.replace(/([?&](?:access_token|key|corpsecret|secret)=)[^&\s"]+/gi, "$1***");
}
