import { cancelDraft, confirmDraft } from "../../../src/reports/draft-commands.js";
import { CONFIRM_KEY, dialogueAnswer, dialogueDeps } from "../dialogue-reply.js";
import type { Handler } from "../handler.js";

/** `confirm`, `confirm:<token>`, `cancel`, `cancel:<token>` (also 确认/取消) — the card's button keys. */
const KEY = /^(confirm|cancel|确认|取消)(?::([0-9a-f]+))?$/;

/** Clicks on the confirmation card (WeCom template_card buttons arrive as `kind: "action"`). */
export const cardAction: Handler = {
  name: "report-card-action",
  matches: (ctx) => ctx.event.kind === "action" && KEY.test(ctx.text),
  run: async (ctx) => {
    const [, what, token] = KEY.exec(ctx.text)!;
    const deps = dialogueDeps(ctx);
    // KEY admits only confirm/确认 and cancel/取消
    const isConfirm = what === CONFIRM_KEY || what === "确认";
    return dialogueAnswer(ctx, isConfirm ? await confirmDraft(deps, token) : await cancelDraft(deps, token));
  },
};
