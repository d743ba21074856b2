import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { CHAT_PERIOD_PATTERN, parseChatPeriod } from "../../../src/circulars/chat-period.js";
import { CircularError } from "../../../src/circulars/circular-error.js";
import { assessNow } from "../../../src/circulars/circular-service.js";
import { progressSummary } from "../../../src/circulars/progress-summary.js";
import { setOutcome } from "../../inbound/outcome.js";
import { commandText } from "../dialogue-reply.js";
import type { Handler, HandlerContext } from "../handler.js";
import { ensureTaskForce } from "./taskforce-circular.js";

/**
 * 进度 with a period (进度 2023Q2, 进度 2023年二季度, 进度 Q2) from anyone — a bureau contact is
 * refused and pointed to the plain 进度 — and the plain 进度 from a task-force member (the open
 * quarter). The plain 进度 from a bureau contact is not matched: it belongs to the report dialogue
 * (bot/handlers/commands/progress.ts, priority 130), which this handler precedes (priority 14).
 */
const WITH_PERIOD = new RegExp(`^(?:报送)?进度\\s*(${CHAT_PERIOD_PATTERN})$`);
const PLAIN = /^(?:进度|报送进度)$/;

function matchPeriod(ctx: HandlerContext): { written?: string } | undefined {
  const t = commandText(ctx);
  const m = WITH_PERIOD.exec(t);
  if (m) return { written: m[1]! };
  if (PLAIN.test(t) && ctx.contact.role === "task_force") return {};
  return undefined;
}

const progressForTaskForce: Handler = {
  name: "taskforce-progress",
  priority: 14,
  matches: (ctx) => ctx.event.kind === "text" && matchPeriod(ctx) !== undefined,
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    const now = ctx.app.clock.now();
    const written = matchPeriod(ctx)?.written;
    const period = written ? parseChatPeriod(written, now) : openPeriodAt(now);
    if (!period) {
      setOutcome(ctx, "refused");
      await ctx.reply(`季度“${written}”无法识别。示例：进度 2023Q2，或 进度 2023年二季度`);
      return;
    }
    try {
      const model = await assessNow(ctx.app, period, now);
      setOutcome(ctx, "info");
      await ctx.reply(progressSummary(model));
    } catch (e) {
      if (!(e instanceof CircularError)) throw e;
      setOutcome(ctx, "refused");
      await ctx.reply(e.message);
    }
  },
};

export const handlers: Handler[] = [progressForTaskForce];
