import { createRequire } from "node:module";
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

/**
 * A logger writing to `destination` (default stdout). On a terminal (the destination is a TTY) the
 * lines are human-readable through pino-pretty; otherwise one JSON object per line, for collectors.
 * Redaction applies before either.
 */
export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: "***" },
    base: { app: "kaiqu-bot" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const target = destination ?? process.stdout;
  if (level !== "silent" && (target as { isTTY?: boolean }).isTTY === true)
    return pino(options, prettyStream(target));
  return pino(options, destination);
}

/** pino-pretty is loaded only for a terminal: services and the CLI under pipes never pay for it. */
function prettyStream(target: pino.DestinationStream): pino.DestinationStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as (o: object) => pino.DestinationStream;
  return pretty({
    destination: target,
    sync: true,
    colorize: true,
    translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
    ignore: "pid,hostname,app",
    singleLine: true,
  });
}

/** Removes secrets that can appear inside URLs (access_token=…, key=…) from a string before logging. */
export function scrubUrl(text: string): string {
  return text.replace(/([?&](?:access_token|key|corpsecret|secret)=)[^&\s"]+/gi, "$1***");
}
