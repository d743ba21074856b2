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
 * Every WeCom window is counted this much longer than WeCom's (`guardMs`), because WeCom counts a
 * send when it arrives and we count it from its stamp. A live sender re-stamps its sends when
 * WeCom has answered (settle), and each request ends within the client's timeout (WecomClient
 * `timeoutMs`, 10 s), well inside every window (60 s): for a live sender the stamp is moved past
 * the arrival before it could leave the window. The guard covers what the re-stamp cannot:
 * - a send never re-stamped — its instance was killed, or lost the database, after the request
 *   left: it arrived after its stamp by the take's commit plus connecting and uploading the
 *   request, tens to a few hundred ms on a working link (the fanout bench has WeCom answer the
 *   whole request in 50–300 ms);
 * - the clocks of several instances' hosts differing (NTP keeps them within tens of ms).
 * 500 ms covers both with room. It does not cover a request of a killed instance stalled for up
 * to the 10 s timeout: that guard would cost a busy member a seventh of its budget (30 per 70 s).
 */
export const WECOM_ARRIVAL_GUARD_MS = 500;

const guarded = (limit: number, windowMs: number): RateRule => ({
  limit,
  windowMs,
  guardMs: WECOM_ARRIVAL_GUARD_MS,
});

/**
 * Sliding windows are at least as strict as WeCom's (calendar or sliding) minute and hour
 * windows, each counted `WECOM_ARRIVAL_GUARD_MS` longer. In-process: with several bot instances
 * each has the full budget (production shares them on the database, see bot/compose.ts).
 */
export const WECOM_RATE_LIMITS: WecomRateLimits = {
  app: [guarded(30, 60_000), guarded(1000, 3_600_000)],
  appchat: [guarded(200, 60_000), guarded(10_000, 86_400_000)],
  robot: [guarded(20, 60_000)],
};
