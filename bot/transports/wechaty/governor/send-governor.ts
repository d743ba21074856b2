import { formatLocal } from "../../../../src/time/clock.js";
import { parseQuietHours, type QuietWindow, quietUntil } from "./quiet-hours.js";
import { errorText, matchRateLimit, RATE_LIMIT_PATTERNS } from "./rate-limit-patterns.js";

/** Who a message goes to: one person (`direct`) or a group chat (`group`, budgeted per group). */
export interface SendTarget {
  kind: "direct" | "group";
  /** Recipient as addressed (contact id, room id or topic). */
  id: string;
  /** Outbox purpose; purposes in `quietExemptPurposes` go out during quiet hours. */
  purpose?: string;
}

export interface GovernorLimits {
  minDelayMs: number;
  maxDelayMs: number;
  accountPerMin: number;
  accountPerDay: number;
  groupPerMin: number;
  groupPerDay: number;
  /** "HH:MM-HH:MM" in Asia/Shanghai (may cross midnight); "" = none. */
  quietHours: string;
  breakerPauseMs: number;
}

/** Every deferral reason starts with a rule tag; `[breaker]` rows restore an open breaker after a restart. */
export type GovernorRule =
  | "breaker"
  | "quiet"
  | "account_day"
  | "group_day"
  | "account_min"
  | "group_min"
  | "delay";
export const REASON_TAG = (rule: GovernorRule): string => `[wechat:${rule}]`;

export type GovernorVerdict = { ok: true } | { ok: false; until: Date; reason: string; rule: GovernorRule };

export interface BreakerTrip {
  at: Date;
  until: Date;
  error: string;
  pattern: string;
}

export interface FailureVerdict {
  rateLimited: boolean;
  /** True when this failure opened the breaker (the alert goes out once per opening). */
  tripped: boolean;
  /** End of the pause when the breaker is open. */
  until?: Date;
  /** Settles when the onTrip callback has finished (never rejects). */
  alerted?: Promise<void>;
}

/** Sends already made (e.g. rebuilt from the outbox after a restart). */
export interface GovernorHistory {
  sent: { target: Pick<SendTarget, "kind" | "id">; at: Date }[];
  breakerUntil?: Date;
}

export interface GovernorOptions {
  limits: GovernorLimits;
  /** [0, 1) source for the jittered delay; injected by tests. */
  random?: () => number;
  patterns?: readonly (string | RegExp)[];
  quietExemptPurposes?: readonly string[];
  /** Called when the breaker opens (alert the task force over another channel). */
  onTrip?: (trip: BreakerTrip) => void | Promise<void>;
}

export interface GovernorStatus {
  breaker: { open: boolean; until?: string; lastError?: string; trips: number };
  quiet: { window?: string; until?: string };
  account: { lastMinute: number; lastDay: number; perMin: number; perDay: number };
  busiestGroups: { id: string; lastMinute: number; lastDay: number }[];
  nextSendAt?: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Send-safety governor for a personal chat account: jittered delay between sends, sliding-window
 * budgets (per account and per group, per minute and per 24 hours), quiet hours, and a circuit
 * breaker on rate-limit failures. Pure and clock-free: every call takes `now`. One instance per
 * account; the caller serialises check → send → recordSent.
 */
export class SendGovernor {
  private readonly quiet: QuietWindow | undefined;
  private readonly random: () => number;
  private readonly patterns: readonly (string | RegExp)[];
  private readonly exempt: ReadonlySet<string>;
  private account: number[] = [];
  private readonly groups = new Map<string, number[]>();
  private nextSendAt = 0;
  private breakerUntil = 0;
  private lastError: string | undefined;
  private trips = 0;

  constructor(private readonly o: GovernorOptions) {
    const l = o.limits;
    if (l.minDelayMs < 0 || l.maxDelayMs < l.minDelayMs) {
      throw new Error(
        `发送间隔设置不对：最小 ${l.minDelayMs} 毫秒，最大 ${l.maxDelayMs} 毫秒（需 0 ≤ 最小 ≤ 最大）`,
      );
    }
    this.quiet = parseQuietHours(l.quietHours);
    this.random = o.random ?? Math.random;
    this.patterns = o.patterns ?? RATE_LIMIT_PATTERNS;
    this.exempt = new Set(o.quietExemptPurposes ?? ["reply"]);
  }

  /** Replays earlier sends (oldest first or not) and an open breaker. */
  seed(history: GovernorHistory): void {
    const sorted = [...history.sent].sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const s of sorted) this.remember(s.target, s.at.getTime());
    const last = sorted.at(-1);
    if (last) this.nextSendAt = Math.max(this.nextSendAt, last.at.getTime() + this.drawDelay());
    if (history.breakerUntil) this.breakerUntil = Math.max(this.breakerUntil, history.breakerUntil.getTime());
  }

  /** Whether a message to `target` may go now; if not, the earliest time worth trying again. */
  check(target: SendTarget, now: Date): GovernorVerdict {
    const t = now.getTime();
    this.prune(t);
    const l = this.o.limits;
    const blocks: { until: number; rule: GovernorRule; why: string }[] = [];
    if (this.breakerUntil > t) {
      blocks.push({
        until: this.breakerUntil,
        rule: "breaker",
        why: `平台提示发送过于频繁（${this.lastError ?? "限流"}），已暂停发送`,
      });
    }
    const quietEnd =
      target.purpose && this.exempt.has(target.purpose) ? undefined : quietUntil(this.quiet, now);
    if (quietEnd)
      blocks.push({ until: quietEnd.getTime(), rule: "quiet", why: `免打扰时段 ${this.quiet?.text}` });
    const windowBlock = (stamps: number[], limit: number, span: number, rule: GovernorRule, why: string) => {
      const inWindow = stamps.filter((s) => s > t - span);
      if (inWindow.length >= limit) {
        blocks.push({ until: inWindow[inWindow.length - limit]! + span, rule, why });
      }
    };
    windowBlock(
      this.account,
      l.accountPerDay,
      DAY,
      "account_day",
      `账号 24 小时内已发 ${l.accountPerDay} 条（上限）`,
    );
    windowBlock(
      this.account,
      l.accountPerMin,
      MINUTE,
      "account_min",
      `账号 1 分钟内已发 ${l.accountPerMin} 条（上限）`,
    );
    if (target.kind === "group") {
      const g = this.groups.get(target.id) ?? [];
      windowBlock(g, l.groupPerDay, DAY, "group_day", `该群 24 小时内已发 ${l.groupPerDay} 条（上限）`);
      windowBlock(g, l.groupPerMin, MINUTE, "group_min", `该群 1 分钟内已发 ${l.groupPerMin} 条（上限）`);
    }
    if (this.nextSendAt > t)
      blocks.push({ until: this.nextSendAt, rule: "delay", why: "两次发送之间的随机间隔" });
    if (blocks.length === 0) return { ok: true };
    const worst = blocks.reduce((a, b) => (b.until > a.until ? b : a));
    const until = new Date(worst.until);
    return {
      ok: false,
      until,
      rule: worst.rule,
      reason: `${REASON_TAG(worst.rule)} ${worst.why}，${formatLocal(until, "MM-DD HH:mm:ss")} 后再发`,
    };
  }

  /** A message went out: counts against the budgets and starts the next jittered delay. */
  recordSent(target: Pick<SendTarget, "kind" | "id">, now: Date): void {
    const t = now.getTime();
    this.remember(target, t);
    this.nextSendAt = t + this.drawDelay();
    this.prune(t);
  }

  /** A send failed. Rate-limit failures open the breaker for the configured pause. */
  recordFailure(err: unknown, now: Date): FailureVerdict {
    const pattern = matchRateLimit(err, this.patterns);
    if (!pattern) return { rateLimited: false, tripped: false };
    const t = now.getTime();
    const wasOpen = this.breakerUntil > t;
    const until = t + this.o.limits.breakerPauseMs;
    this.breakerUntil = Math.max(this.breakerUntil, until);
    this.lastError = errorText(err).slice(0, 200);
    if (wasOpen) return { rateLimited: true, tripped: false, until: new Date(this.breakerUntil) };
    this.trips++;
    const trip: BreakerTrip = { at: now, until: new Date(this.breakerUntil), error: this.lastError, pattern };
    const alerted = Promise.resolve()
      .then(() => this.o.onTrip?.(trip))
      .catch(() => {});
    return { rateLimited: true, tripped: true, until: trip.until, alerted };
  }

  breakerOpenUntil(now: Date): Date | undefined {
    return this.breakerUntil > now.getTime() ? new Date(this.breakerUntil) : undefined;
  }

  status(now: Date): GovernorStatus {
    const t = now.getTime();
    this.prune(t);
    const lastMinute = (s: number[]) => s.filter((x) => x > t - MINUTE).length;
    const quietEnd = quietUntil(this.quiet, now);
    return {
      breaker: {
        open: this.breakerUntil > t,
        ...(this.breakerUntil > t ? { until: new Date(this.breakerUntil).toISOString() } : {}),
        ...(this.lastError ? { lastError: this.lastError } : {}),
        trips: this.trips,
      },
      quiet: {
        ...(this.quiet ? { window: this.quiet.text } : {}),
        ...(quietEnd ? { until: quietEnd.toISOString() } : {}),
      },
      account: {
        lastMinute: lastMinute(this.account),
        lastDay: this.account.length,
        perMin: this.o.limits.accountPerMin,
        perDay: this.o.limits.accountPerDay,
      },
      busiestGroups: [...this.groups.entries()]
        .map(([id, s]) => ({ id, lastMinute: lastMinute(s), lastDay: s.length }))
        .sort((a, b) => b.lastDay - a.lastDay)
        .slice(0, 5),
      ...(this.nextSendAt > t ? { nextSendAt: new Date(this.nextSendAt).toISOString() } : {}),
    };
  }

  private drawDelay(): number {
    const { minDelayMs, maxDelayMs } = this.o.limits;
    return Math.round(minDelayMs + this.random() * (maxDelayMs - minDelayMs));
  }

  private remember(target: Pick<SendTarget, "kind" | "id">, t: number): void {
    insertSorted(this.account, t);
    if (target.kind === "group") {
      const g = this.groups.get(target.id) ?? [];
      insertSorted(g, t);
      this.groups.set(target.id, g);
    }
  }

  private prune(t: number): void {
    const keep = (s: number[]) => s.filter((x) => x > t - DAY);
    this.account = keep(this.account);
    for (const [id, s] of this.groups) {
      const k = keep(s);
      if (k.length === 0) this.groups.delete(id);
      else this.groups.set(id, k);
    }
  }
}

function insertSorted(list: number[], t: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > t) i--;
  list.splice(i, 0, t);
}

/** Limits from the WECHAT_* settings. */
export function governorLimitsFromConfig(c: {
  WECHAT_MIN_DELAY_MS: number;
  WECHAT_MAX_DELAY_MS: number;
  WECHAT_ACCOUNT_PER_MIN: number;
  WECHAT_ACCOUNT_PER_DAY: number;
  WECHAT_ROOM_PER_MIN: number;
  WECHAT_ROOM_PER_DAY: number;
  WECHAT_QUIET_HOURS: string;
  WECHAT_BREAKER_PAUSE_MIN: number;
}): GovernorLimits {
  return {
    minDelayMs: c.WECHAT_MIN_DELAY_MS,
    maxDelayMs: c.WECHAT_MAX_DELAY_MS,
    accountPerMin: c.WECHAT_ACCOUNT_PER_MIN,
    accountPerDay: c.WECHAT_ACCOUNT_PER_DAY,
    groupPerMin: c.WECHAT_ROOM_PER_MIN,
    groupPerDay: c.WECHAT_ROOM_PER_DAY,
    quietHours: c.WECHAT_QUIET_HOURS,
    breakerPauseMs: c.WECHAT_BREAKER_PAUSE_MIN * 60_000,
  };
}
