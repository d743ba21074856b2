import type { AppContext } from "../app-context.js";
import { listContacts } from "../programme/programme-repository.js";
import { type Address, contactAddress } from "./addresses.js";

/**
 * Alerts every task-force contact (configuration errors, send failures, a paused transport).
 * `key` makes the alert idempotent; `avoid` skips a channel that is itself failing.
 */
export async function notifyTaskForce(
  app: AppContext,
  opts: { key: string; text: string; avoid?: Address["channel"][] },
): Promise<number> {
  const members = await listContacts(app.store.db, { role: "task_force" });
  let queued = 0;
  for (const m of members) {
    const addr = contactAddress(m, app.routes, opts.avoid);
    if (addr.channel === app.routes.fallback) {
      // nobody reads the console of a running bot: say so where operators look
      app.logger.error(
        { key: opts.key, contactId: m.id },
        "省专班成员没有可用渠道接收告警 / no channel left for a task-force alert",
      );
    }
    const r = await app.outbox.enqueue({
      idempotencyKey: `alert:${opts.key}:${m.id}`,
      channel: addr.channel,
      recipient: addr.recipient,
      msgType: "text",
      payload: { content: opts.text },
      purpose: "alert",
    });
    if (r.created) queued++;
  }
  app.logger.warn({ key: opts.key, queued }, "task force alerted");
  return queued;
}
