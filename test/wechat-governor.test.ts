import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseQuietHours, quietUntil } from "../bot/transports/wechaty/governor/quiet-hours.js";
import {
  matchRateLimit,
  RATE_LIMIT_PATTERNS,
} from "../bot/transports/wechaty/governor/rate-limit-patterns.js";
import {
  type BreakerTrip,
  type GovernorLimits,
  SendGovernor,
  type SendTarget,
} from "../bot/transports/wechaty/governor/send-governor.js";
import { localInstant } from "../src/time/clock.js";

const LIMITS: GovernorLimits = {
  minDelayMs: 0,
  maxDelayMs: 0,
  accountPerMin: 100,
  accountPerDay: 10_000,
  groupPerMin: 100,
  groupPerDay: 10_000,
  quietHours: "",
  breakerPauseMs: 60 * 60_000,
};
const gov = (
  limits: Partial<GovernorLimits> = {},
  extra: Partial<ConstructorParameters<typeof SendGovernor>[0]> = {},
) => new SendGovernor({ limits: { ...LIMITS, ...limits }, random: () => 0.5, ...extra });
const zhang: SendTarget = { kind: "direct", id: "wxid_zhang", purpose: "reminder" };
const room: SendTarget = { kind: "group", id: "r1@chatroom", purpose: "circular" };
const room2: SendTarget = { kind: "group", id: "r2@chatroom", purpose: "circular" };
const at = (iso: string) => new Date(iso);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const T0 = localInstant("2024-04-15", "10:00");

describe("send governor: jittered delay", () => {
  it("waits min + random·(max − min) after each send, drawn from the injected random", () => {
    const draws = [0, 1, 0.25];
    const g = gov({ minDelayMs: 1_000, maxDelayMs: 5_000 }, { random: () => draws.shift() ?? 0 });
    expect(g.check(zhang, T0)).toEqual({ ok: true });
    g.recordSent(zhang, T0); // draws 0 → 1 000 ms
    const v = g.check(zhang, plus(T0, 999));
    expect(v).toMatchObject({ ok: false, rule: "delay", until: plus(T0, 1_000) });
    expect(g.check(room, plus(T0, 1_000)).ok).toBe(true);
    g.recordSent(room, plus(T0, 1_000)); // draws 1 → 5 000 ms
    expect(g.check(zhang, plus(T0, 5_999))).toMatchObject({ ok: false, until: plus(T0, 6_000) });
    g.recordSent(zhang, plus(T0, 6_000)); // draws 0.25 → 2 000 ms
    expect(g.check(zhang, plus(T0, 7_999)).ok).toBe(false);
    expect(g.check(zhang, plus(T0, 8_000)).ok).toBe(true);
  });

  it("never lets two sends closer than the minimum delay (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 30 }),
        (a, b, steps) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const g = gov({ minDelayMs: min, maxDelayMs: max }, { random: Math.random });
          let t = T0.getTime();
          let last: number | undefined;
          for (const s of steps) {
            t += s;
            const v = g.check(zhang, new Date(t));
            if (v.ok) {
              if (last !== undefined) expect(t - last).toBeGreaterThanOrEqual(min);
              g.recordSent(zhang, new Date(t));
              last = t;
            } else {
              expect(v.until.getTime()).toBeGreaterThan(t);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("send governor: budgets", () => {
  it("holds the account at its per-minute budget until the oldest send leaves the window", () => {
    const g = gov({ accountPerMin: 3 });
    for (const s of [0, 10_000, 20_000]) g.recordSent(zhang, plus(T0, s));
    const v = g.check({ kind: "direct", id: "someone-else" }, plus(T0, 30_000));
    expect(v).toMatchObject({ ok: false, rule: "account_min", until: plus(T0, 60_000) });
    if (!v.ok) expect(v.reason).toMatch(/^\[wechat:account_min\] 账号 1 分钟内已发 3 条/);
    expect(g.check(zhang, plus(T0, 60_000)).ok).toBe(true);
  });

  it("holds the account at its per-day budget for a sliding 24 hours", () => {
    const g = gov({ accountPerDay: 2 });
    g.recordSent(zhang, T0);
    g.recordSent(room, plus(T0, 3_600_000));
    const v = g.check(room2, plus(T0, 7_200_000));
    expect(v).toMatchObject({ ok: false, rule: "account_day", until: plus(T0, 24 * 3_600_000) });
    expect(g.check(room2, plus(T0, 24 * 3_600_000)).ok).toBe(true);
  });

  it("budgets each group separately; direct messages do not use a group's budget", () => {
    const g = gov({ groupPerMin: 2, groupPerDay: 3 });
    g.recordSent(room, T0);
    g.recordSent(room, plus(T0, 1_000));
    expect(g.check(room, plus(T0, 2_000))).toMatchObject({
      ok: false,
      rule: "group_min",
      until: plus(T0, 60_000),
    });
    expect(g.check(room2, plus(T0, 2_000)).ok).toBe(true);
    expect(g.check(zhang, plus(T0, 2_000)).ok).toBe(true);
    g.recordSent(room, plus(T0, 120_000));
    const day = g.check(room, plus(T0, 300_000));
    expect(day).toMatchObject({ ok: false, rule: "group_day", until: plus(T0, 24 * 3_600_000) });
    for (let i = 0; i < 5; i++) g.recordSent(zhang, plus(T0, 400_000 + i));
    expect(g.check(room2, plus(T0, 500_000)).ok).toBe(true);
  });

  it("reports the latest of several blocks, so one deferral is enough", () => {
    const g = gov({ groupPerMin: 1, minDelayMs: 5_000, maxDelayMs: 5_000, quietHours: "22:00-07:00" });
    const late = plus(localInstant("2024-04-15", "22:00"), -1_000);
    g.recordSent(room, late);
    expect(g.check(room, plus(late, 500))).toMatchObject({
      ok: false,
      rule: "group_min",
      until: plus(late, 60_000),
    });
    const v = g.check(room, plus(late, 1_000)); // delay, group budget and quiet hours all hold: the latest wins
    expect(v).toMatchObject({ ok: false, rule: "quiet", until: localInstant("2024-04-16", "07:00") });
  });

  it("seeded history counts like sends made by this instance (restart)", () => {
    const g = gov({ accountPerMin: 2, groupPerDay: 1, minDelayMs: 2_000, maxDelayMs: 2_000 });
    g.seed({
      sent: [
        { target: { kind: "group", id: room.id }, at: plus(T0, -30_000) },
        { target: { kind: "direct", id: zhang.id }, at: plus(T0, -1_000) },
      ],
    });
    expect(g.check(zhang, T0)).toMatchObject({ ok: false, rule: "account_min", until: plus(T0, 30_000) });
    expect(g.check(zhang, plus(T0, 30_000)).ok).toBe(true);
    expect(g.check(room, plus(T0, 30_000))).toMatchObject({ ok: false, rule: "group_day" });
    expect(g.status(plus(T0, 30_000)).account).toMatchObject({ lastMinute: 1, lastDay: 2 });
  });
});

describe("send governor: quiet hours (Asia/Shanghai)", () => {
  it("parses windows and rejects bad text with a Chinese message quoting the value", () => {
    expect(parseQuietHours("")).toBeUndefined();
    expect(parseQuietHours("08:00-08:00")).toBeUndefined();
    expect(parseQuietHours("22:30-07:30")).toEqual({ startMin: 1350, endMin: 450, text: "22:30-07:30" });
    expect(() => parseQuietHours("22-7")).toThrow(/免打扰时段格式不对：读到 "22-7".*22:30-07:30/);
  });

  it("a window crossing midnight holds until the next morning, before midnight and after", () => {
    const w = parseQuietHours("22:30-07:30");
    expect(quietUntil(w, localInstant("2024-04-15", "22:29"))).toBeUndefined();
    expect(quietUntil(w, localInstant("2024-04-15", "22:30"))).toEqual(localInstant("2024-04-16", "07:30"));
    expect(quietUntil(w, localInstant("2024-04-15", "23:59"))).toEqual(localInstant("2024-04-16", "07:30"));
    expect(quietUntil(w, localInstant("2024-04-16", "00:00"))).toEqual(localInstant("2024-04-16", "07:30"));
    expect(quietUntil(w, localInstant("2024-04-16", "07:29"))).toEqual(localInstant("2024-04-16", "07:30"));
    expect(quietUntil(w, localInstant("2024-04-16", "07:30"))).toBeUndefined();
    // 2024-04-15 14:30Z is 22:30 in Shanghai: the zone, not the host's, decides
    expect(quietUntil(w, at("2024-04-15T14:30:00Z"))).toEqual(at("2024-04-15T23:30:00Z"));
  });

  it("a window within one day holds until its end the same day", () => {
    const w = parseQuietHours("12:00-14:00");
    expect(quietUntil(w, localInstant("2024-04-15", "11:59"))).toBeUndefined();
    expect(quietUntil(w, localInstant("2024-04-15", "13:00"))).toEqual(localInstant("2024-04-15", "14:00"));
    expect(quietUntil(w, localInstant("2024-04-15", "14:00"))).toBeUndefined();
  });

  it("reminders and circulars wait; replies to someone who just wrote go out", () => {
    const g = gov({ quietHours: "22:30-07:30" });
    const night = localInstant("2024-04-15", "23:10");
    const v = g.check(zhang, night);
    expect(v).toMatchObject({ ok: false, rule: "quiet", until: localInstant("2024-04-16", "07:30") });
    if (!v.ok) expect(v.reason).toContain("免打扰时段 22:30-07:30");
    expect(g.check({ ...zhang, purpose: "reply" }, night).ok).toBe(true);
    expect(g.check(room, night).ok).toBe(false);
  });
});

describe("send governor: circuit breaker", () => {
  it("recognises rate-limit failures from the pattern list (data), not other failures", () => {
    expect(matchRateLimit(new Error("操作过于频繁，请稍后再试"))).toBe("操作过于频繁");
    expect(matchRateLimit(new Error("send failed: Too Many Requests"))).toBe("too many");
    expect(matchRateLimit(Object.assign(new Error("grpc"), { details: "rate limit exceeded" }))).toBe(
      "rate limit",
    );
    expect(matchRateLimit("HTTP 429")).toBe(String(/\b429\b/));
    expect(matchRateLimit(new Error("ECONNRESET"))).toBeUndefined();
    expect(matchRateLimit(new Error("contact not found"))).toBeUndefined();
    expect(matchRateLimit(new Error("custom throttle phrase"), ["custom throttle"])).toBe("custom throttle");
    expect(RATE_LIMIT_PATTERNS).toContain("操作过于频繁");
  });

  it("opens on a rate-limit failure, pauses everything for the configured time, alerts once", async () => {
    const trips: BreakerTrip[] = [];
    const g = gov({ breakerPauseMs: 60 * 60_000 }, { onTrip: (t) => void trips.push(t) });
    expect(g.recordFailure(new Error("ETIMEDOUT"), T0)).toEqual({ rateLimited: false, tripped: false });
    expect(g.check(zhang, T0).ok).toBe(true);

    const v = g.recordFailure(new Error("操作过于频繁"), T0);
    expect(v).toMatchObject({ rateLimited: true, tripped: true, until: plus(T0, 3_600_000) });
    await v.alerted;
    expect(trips).toEqual([
      { at: T0, until: plus(T0, 3_600_000), error: "操作过于频繁", pattern: "操作过于频繁" },
    ]);
    for (const target of [zhang, room, { ...zhang, purpose: "reply" }]) {
      const c = g.check(target, plus(T0, 59 * 60_000));
      expect(c).toMatchObject({ ok: false, rule: "breaker", until: plus(T0, 3_600_000) });
      if (!c.ok) expect(c.reason.startsWith("[wechat:breaker]")).toBe(true);
    }
    // a second failure while open extends the pause but does not alert again
    const again = g.recordFailure(new Error("frequent"), plus(T0, 60_000));
    expect(again).toMatchObject({ rateLimited: true, tripped: false, until: plus(T0, 61 * 60_000) });
    expect(trips).toHaveLength(1);
    expect(g.check(zhang, plus(T0, 61 * 60_000)).ok).toBe(true);
    expect(g.status(plus(T0, 61 * 60_000)).breaker).toMatchObject({ open: false, trips: 1 });
    // after the pause another rate-limit failure opens it again, with a new alert
    const third = g.recordFailure(new Error("too many"), plus(T0, 62 * 60_000));
    await third.alerted;
    expect(third.tripped).toBe(true);
    expect(trips).toHaveLength(2);
  });

  it("a failing alert callback does not break the governor", async () => {
    const g = gov({}, { onTrip: () => Promise.reject(new Error("alert channel down")) });
    const v = g.recordFailure(new Error("操作过于频繁"), T0);
    await expect(v.alerted).resolves.toBeUndefined();
    expect(g.breakerOpenUntil(T0)).toEqual(plus(T0, LIMITS.breakerPauseMs));
  });

  it("an open breaker seeded after a restart keeps holding", () => {
    const g = gov();
    g.seed({ sent: [], breakerUntil: plus(T0, 600_000) });
    expect(g.check(zhang, T0)).toMatchObject({ ok: false, rule: "breaker", until: plus(T0, 600_000) });
  });

  it("rejects min delay above max delay with a clear message", () => {
    expect(() => gov({ minDelayMs: 5, maxDelayMs: 1 })).toThrow(/发送间隔设置不对：最小 5 毫秒，最大 1 毫秒/);
  });
});
