import type { Store } from "../../../../src/db/database.js";
import type { OutboxRow } from "../../../../src/outbox/outbox.js";
import { type Acquisition, type RateRule, SharedSendBudget } from "../../../../src/outbox/send-budgets.js";
import type { Clock } from "../../../../src/time/clock.js";
import { type GovernorLimits, REASON_TAG, type SendTarget } from "./send-governor.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The personal-WeChat account's budgets, counted in the database (SendStamp rows, like the WeCom
 * budgets) so that every instance — and an instance restarted or taking over — sees the same
 * count: per account a minute and a day window plus the minimum spacing between two sends (at most
 * one send per `minDelayMs`), per room a minute and a day window. The governor keeps what is not
 * a count: quiet hours, the breaker and the jitter on top of the spacing.
 */
export class SharedWechatBudgets {
  private readonly account: SharedSendBudget;
  private readonly room: SharedSendBudget;

  constructor(store: Pick<Store, "db" | "provider">, clock: Clock, limits: GovernorLimits) {
    const accountRules: RateRule[] = [
      { limit: limits.accountPerMin, windowMs: MINUTE },
      { limit: limits.accountPerDay, windowMs: DAY },
      ...(limits.minDelayMs > 0 ? [{ limit: 1, windowMs: limits.minDelayMs }] : []),
    ];
    this.account = new SharedSendBudget(store, clock, "wechat-account", accountRules);
    this.room = new SharedSendBudget(store, clock, "wechat-room", [
      { limit: limits.groupPerMin, windowMs: MINUTE },
      { limit: limits.groupPerDay, windowMs: DAY },
    ]);
  }

  /**
   * Takes one send for the account (and the room) or nothing: `ok` with the acquisitions to settle
   * once WeChat answered, or how long to wait and why. `account` names the logged-in account.
   */
  async take(
    account: string,
    target: Pick<SendTarget, "kind" | "id">,
    row: Pick<OutboxRow, "id" | "claimedBy">,
  ): Promise<
    { ok: true; settle(): Promise<void> } | { ok: false; waitMs: number; reason: string; lost?: boolean }
  > {
    const taken: Acquisition[] = [];
    const release = () => Promise.all(taken.map((t) => t.release?.()));
    if (target.kind === "group") {
      const r = await this.room.tryAcquire([target.id], 1, row);
      if (r.lost || r.waitMs > 0)
        return {
          ok: false,
          waitMs: r.waitMs,
          reason: `${REASON_TAG("group_min")} 该群发送额度已用完（各实例共享）`,
          ...(r.lost ? { lost: true } : {}),
        };
      taken.push(r);
    }
    const a = await this.account.tryAcquire([account], 1, row);
    if (a.lost || a.waitMs > 0) {
      await release();
      return {
        ok: false,
        waitMs: a.waitMs,
        reason: `${REASON_TAG("account_min")} 账号发送额度或发送间隔未到（各实例共享）`,
        ...(a.lost ? { lost: true } : {}),
      };
    }
    taken.push(a);
    return {
      ok: true,
      settle: async () => {
        for (const t of taken) await t.settle();
      },
    };
  }
}
