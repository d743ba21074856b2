import { submitReport } from "../../../src/reports/report-dialogue.js";
import { dialogueDeps, sendDialogueResult } from "../dialogue-reply.js";
import type { Handler } from "../handler.js";

/**
 * Any other text is read as a report (a new one, missing values for the draft, or a zone sent again,
 * which corrects its confirmed report). Runs last.
 */
const submit: Handler = {
  name: "report-submit",
  priority: 10_000,
  matches: (ctx) => ctx.event.kind === "text" && ctx.text !== "",
  run: async (ctx) => sendDialogueResult(ctx, await submitReport(dialogueDeps(ctx), ctx.text)),
};

export const handlers: Handler[] = [submit];
