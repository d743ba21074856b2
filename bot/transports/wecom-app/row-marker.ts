import type { OutboxRow } from "../../../src/outbox/outbox.js";

/**
 * Per-row marks that keep WeCom's duplicate check honest (decision, see README "Nothing lost,
 * nothing twice"):
 *
 * - WeCom's `enable_duplicate_check` delivers identical content to the same user once within the
 *   interval. Two outbox rows with the same text (a user asking 帮助 twice) are different messages,
 *   so every app text/markdown part ends with an invisible mark that encodes the row id (zero-width
 *   characters, base 4). Distinct rows differ; a resend of the *same* row is byte-identical, and
 *   WeCom suppresses it within the interval.
 * - A row taken over from an instance that died mid-send carries `uncertainSince` (when that attempt
 *   began). If that is longer ago than the duplicate-check window (or the channel has none: app
 *   chats, robots, WeChat), a resend could reach the user twice, so it goes out with a visible
 *   resend notice instead of silently.
 */
const DIGITS = ["\u200b", "\u200c", "\u200d", "\u2060"] as const;

/** Upper bound of the mark in UTF-8 bytes (ids below 4^16; each character is 3 bytes). */
export const ROW_MARK_MAX_BYTES = 48;

export function rowMark(id: number): string {
  let n = Math.max(0, Math.floor(id));
  let out = "";
  do {
    out = DIGITS[n % 4] + out;
    n = Math.floor(n / 4);
  } while (n > 0);
  return out;
}

/** The row id a marked text carries (for tests and the fake server), or undefined. */
export function readRowMark(text: string): number | undefined {
  const m = /(?:\u200b|\u200c|\u200d|\u2060)+$/u.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[0]) n = n * 4 + DIGITS.indexOf(ch as (typeof DIGITS)[number]);
  return n;
}

export const RESEND_NOTICE = "【补发】此消息此前可能已送达，如已收到请忽略。\n";

/**
 * True when this attempt may repeat a delivery nobody can rule out: the row was taken over from
 * a dead claimant and WeCom's duplicate check (windowMs; 0 = none on this channel) no longer covers
 * the first attempt.
 */
export function needsResendNotice(row: OutboxRow, nowMs: number, windowMs: number): boolean {
  if (!row.uncertainSince) return false;
  // a margin for clock skew between instances and WeCom
  return windowMs <= 0 || nowMs - row.uncertainSince.getTime() >= windowMs - 60_000;
}
