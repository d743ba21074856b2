import { readConfirmation } from "../../../src/parsing/confirmation-words.js";
import {
  answerUnitQuestion,
  cancelDraft,
  confirmDraft,
  currentDraftState,
  takeBackShortAnswers,
} from "../../../src/reports/draft-commands.js";
import { submitReport } from "../../../src/reports/report-dialogue.js";
import { commandText, dialogueAnswer, dialogueDeps } from "../dialogue-reply.js";
import { answer, type Handler, type HandlerContext } from "../handler.js";

const CANCEL = /^(撤销|撤回|取消|取消报送|撤销草稿)$/;
const CONFIRM = /^(确认|确定|确认无误|确认报送|确认提交)$/;
const YES = /^(是|是的|对|对的|yes|y)$/i;
const NO = /^(否|不是|不对|no|n)$/i;
const MODIFY = /^(修改|更正|更改)(?:\s*[:：]\s*|\s+|(?=[^\s]))([\s\S]*)$/;

const isText = (ctx: HandlerContext) => ctx.event.kind === "text";

/** 撤销 / 取消: drop my unconfirmed draft. */
export const cancel: Handler = {
  name: "report-cancel",
  matches: (ctx) => isText(ctx) && CANCEL.test(commandText(ctx)),
  run: async (ctx) => dialogueAnswer(ctx, await cancelDraft(dialogueDeps(ctx))),
};

/** 确认: store the draft awaiting confirmation. */
export const confirm: Handler = {
  name: "report-confirm",
  matches: (ctx) => isText(ctx) && CONFIRM.test(commandText(ctx)),
  run: async (ctx) => dialogueAnswer(ctx, await confirmDraft(dialogueDeps(ctx))),
};

/** 是 / 否 to the 是否应为万元 question (only while that question is open). */
export const unitAnswer: Handler = {
  name: "report-unit-answer",
  matches: async (ctx) => {
    if (!isText(ctx)) return false;
    const t = commandText(ctx);
    if (!YES.test(t) && !NO.test(t)) return false;
    return (await currentDraftState(dialogueDeps(ctx))) === "awaiting_unit";
  },
  run: async (ctx) =>
    dialogueAnswer(ctx, await answerUnitQuestion(dialogueDeps(ctx), YES.test(commandText(ctx)))),
};

/** 修改 … / 更正 惠水 进出口 3.5亿: change the draft, or correct a confirmed report (new revision). */
export const modify: Handler = {
  name: "report-modify",
  matches: (ctx) => isText(ctx) && MODIFY.test(ctx.text.trim()),
  run: async (ctx) => {
    const rest = MODIFY.exec(ctx.text.trim())?.[2]?.trim() ?? "";
    if (rest === "") {
      return answer(
        "refused",
        "请在“修改”或“更正”后写明经开区、指标和新数值，例如：更正 惠水 进出口3.5亿元。未提及的指标保持不变。",
      );
    }
    return dialogueAnswer(ctx, await submitReport(dialogueDeps(ctx), rest, { rawText: ctx.text }));
  },
};

/**
 * 好的 / 对 / 是 / OK / 不对 … while a draft awaits 确认 (elsewhere these words are no report). 不对 takes back
 * values read from a short answer (`都是0`) if the draft holds any, and otherwise drops the draft.
 */
export const confirmWord: Handler = {
  name: "report-confirm-word",
  matches: async (ctx) => {
    if (!isText(ctx) || readConfirmation(commandText(ctx)) === undefined) return false;
    return (await currentDraftState(dialogueDeps(ctx))) === "awaiting_confirmation";
  },
  run: async (ctx) =>
    dialogueAnswer(
      ctx,
      readConfirmation(commandText(ctx)) === "yes"
        ? await confirmDraft(dialogueDeps(ctx))
        : ((await takeBackShortAnswers(dialogueDeps(ctx))) ?? (await cancelDraft(dialogueDeps(ctx)))),
    ),
};
