import { normaliseText } from "../../src/parsing/normalise-text.js";
import type { DialogueDeps, DialogueResult } from "../../src/reports/dialogue-types.js";
import type { HandlerContext, HandlerResult } from "./handler.js";

/** The dialogue's dependencies for one inbound message. */
export function dialogueDeps(ctx: HandlerContext): DialogueDeps {
  return {
    db: ctx.app.store.db,
    clock: ctx.app.clock,
    autoConfirm: ctx.app.config.AUTO_CONFIRM,
    draftTtlMin: ctx.app.config.DRAFT_TTL_MIN,
    contact: ctx.contact,
    channel: ctx.event.channel,
    inboundId: ctx.inboundId,
    ...(ctx.rosterVersion !== undefined ? { rosterVersion: ctx.rosterVersion } : {}),
    // the receipt is the storing transaction's last write: the message is finished in it too
    queueReceipt: async (text, tx) => {
      await ctx.queueWith(tx, text);
      await ctx.finishIn(tx);
    },
  };
}

/**
 * A dialogue step as a handler result: its outcome and message (none when the message was already
 * queued with the revisions). A confirmation also carries a template card with 确认/取消 buttons;
 * the replier keeps the card only where the channel has cards (the text goes everywhere).
 */
export function dialogueAnswer(ctx: HandlerContext, r: DialogueResult): HandlerResult {
  if (r.queued) return { outcome: r.outcome, replies: [] };
  if (r.outcome === "awaiting_confirmation" && r.token) {
    return {
      outcome: r.outcome,
      replies: [{ text: r.message, card: confirmationCard(ctx.inboundId, r.token) }],
    };
  }
  return { outcome: r.outcome, replies: [r.message] };
}

/** Button keys of the confirmation card; clicks come back as `kind: "action"` events with the key. */
export const CONFIRM_KEY = "confirm";
export const CANCEL_KEY = "cancel";

/**
 * WeCom template_card (button_interaction). task_id is unique per app (inbound id + draft token,
 * characters [0-9A-Za-z_-@]); the keys carry the draft token so a card left over from an earlier
 * version of the draft cannot confirm the current one.
 */
export function confirmationCard(inboundId: number, token: string): Record<string, unknown> {
  return {
    card_type: "button_interaction",
    source: { desc: "经开区培育调度" },
    main_title: { title: "请确认报送内容", desc: "核对内容见上一条消息" },
    sub_title_text: "确认后保存为正式报送；如需修改，请直接回复“修改 …”。",
    task_id: `rpt_${inboundId}_${token}`,
    button_list: [
      { text: "确认", style: 1, key: `${CONFIRM_KEY}:${token}` },
      { text: "取消", style: 2, key: `${CANCEL_KEY}:${token}` },
    ],
  };
}

/**
 * Message text as a command word: Simplified, half-width, without trailing punctuation. Every
 * handler's `matches` asks for it, so it is computed once per message text (normalisation is the
 * costly part of routing).
 */
export function commandText(ctx: HandlerContext): string {
  const hit = commandTexts.get(ctx);
  if (hit && hit.text === ctx.text) return hit.command;
  const command = normaliseText(ctx.text)
    .replace(/[。.!！~～]+$/u, "")
    .trim();
  commandTexts.set(ctx, { text: ctx.text, command });
  return command;
}

const commandTexts = new WeakMap<HandlerContext, { text: string; command: string }>();
