import { timingSafeEqual } from "node:crypto";

/** Constant-time comparison of the session's CSRF token with what the request sent. */
export function csrfMatches(expected: string, sent: unknown): boolean {
  if (typeof sent !== "string" || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}
