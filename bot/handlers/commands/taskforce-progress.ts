import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { CHAT_PERIOD_PATTERN, parseChatPeriod } from "../../../src/circulars/chat-period.js";
import { CircularError } from "../../../src/circulars/circular-error.js";
import { assessNow } from "../../../src/circulars/circular-service.js";
import { progressSummary } from "../../../src/circulars/progress-summary.js";
import { commandText } from "../dialogue-reply.js";
import { answer, type Handler, type HandlerContext, type HandlerResult } from "../handler.js";

/**
 * 进度 with a period (进度 2023Q2, 进度 2023年二季度, 进度 Q2) for the task force — behind the router's
 * task-force filter, so a bureau contact is refused — and the plain 进度 of a task-force member (the
 * open quarter) behind a filter without refusal: a bureau contact's plain 进度 goes on to the report
 * dialogue's own (bot/handlers/commands/progress.ts), which both precede.
 */
const WITH_PERIOD = new RegExp(`^(?:报送)?进度\\s*(${CHAT_PERIOD_PATTERN})$`);
const PLAIN = /^(?:进度|报送进度)$/;

async function progressOf(ctx: HandlerContext, written: string | undefined): Promise<HandlerResult> {
  const now = ctx.app.clock.now();
  const period = written ? parseChatPeriod(written, now) : openPeriodAt(now);
  if (!period) return answer("refused", `季度“${written}”无法识别。示例：进度 2023Q2，或 进度 2023年二季度`);
  try {
    return answer("info", progressSummary(await assessNow(ctx.app, period, now)));
  } catch (e) {
    if (!(e instanceof CircularError)) throw e;
    return answer("refused", e.message);
  }
}

const isText = (ctx: HandlerContext) => ctx.event.kind === "text";

export const taskForceProgress: Handler = {
  name: "taskforce-progress",
  matches: (ctx) => isText(ctx) && WITH_PERIOD.test(commandText(ctx)),
  run: (ctx) => progressOf(ctx, WITH_PERIOD.exec(commandText(ctx))![1]),
};

export const taskForceOpenProgress: Handler = {
  name: "taskforce-progress",
  matches: (ctx) => isText(ctx) && PLAIN.test(commandText(ctx)),
  run: (ctx) => progressOf(ctx, undefined),
};
