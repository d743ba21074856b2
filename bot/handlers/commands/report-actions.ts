import { cancelDraft, confirmDraft } from "../../../src/reports/draft-commands.js";
import { CONFIRM_KEY, dialogueDeps, sendDialogueResult } from "../dialogue-reply.js";
import type { Handler } from "../handler.js";

/** `confirm`, `confirm:<token>`, `cancel`, `cancel:<token>` (also 确认/取消) — the card's button keys. */
const KEY = /^(confirm|cancel|确认|取消)(?::([0-9a-f]+))?$/;

/** Clicks on the confirmation card (WeCom template_card buttons arrive as `kind: "action"`). */
const cardAction: Handler = {
  name: "report-card-action",
  priority: 100,
  matches: (ctx) => ctx.event.kind === "action" && KEY.test(ctx.text),
  run: async (ctx) => {
    const [, what, token] = KEY.exec(ctx.text)!;
    const deps = dialogueDeps(ctx);
    // KEY admits only confirm/确认 and cancel/取消
    const isConfirm = what === CONFIRM_KEY || what === "确认";
    await sendDialogueResult(
      ctx,
      isConfirm ? await confirmDraft(deps, token) : await cancelDraft(deps, token),
    );
  },
};

export const handlers: Handler[] = [cardAction];
