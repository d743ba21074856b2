import { submitReport } from "../../../src/reports/report-dialogue.js";
import { dialogueAnswer, dialogueDeps } from "../dialogue-reply.js";
import type { Handler } from "../handler.js";

/**
 * Any other text is read as a report (a new one, missing values for the draft, or a zone sent again,
 * which corrects its confirmed report). Runs last.
 */
export const submit: Handler = {
  name: "report-submit",
  matches: (ctx) => ctx.event.kind === "text" && ctx.text !== "",
  run: async (ctx) => dialogueAnswer(ctx, await submitReport(dialogueDeps(ctx), ctx.text)),
};
