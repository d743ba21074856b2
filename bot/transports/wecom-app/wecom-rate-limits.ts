import type { RateRule } from "./rate-limiter.js";

/** WeCom's own limits (DOC/90236, 90248, 91770); the excess is dropped silently by WeCom. */
export interface WecomRateLimits {
  /** Per member, app messages. */
  app: RateRule[];
  /** Per member, across the app's group chats. */
  appchat: RateRule[];
  /** Per group robot. */
  robot: RateRule[];
}

/**
 * Sliding windows are at least as strict as WeCom's (calendar or sliding) minute and hour
 * windows. In-process: with several bot instances each has the full budget.
 */
export const WECOM_RATE_LIMITS: WecomRateLimits = {
  app: [
    { limit: 30, windowMs: 60_000 },
    { limit: 1000, windowMs: 3_600_000 },
  ],
  appchat: [
    { limit: 200, windowMs: 60_000 },
    { limit: 10_000, windowMs: 86_400_000 },
  ],
  robot: [{ limit: 20, windowMs: 60_000 }],
};
