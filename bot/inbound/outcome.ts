import type { DialogueOutcome } from "../../src/reports/dialogue-types.js";
import type { HandlerContext } from "../handlers/handler.js";

/**
 * What a handler made of a message, for callers of `handle` (the CLI's exit code, tests, logs).
 * Recorded beside the handler contract so that the contract stays as the lead wrote it.
 */
export type HandleOutcome = DialogueOutcome;

const outcomes = new WeakMap<HandlerContext, HandleOutcome>();

export function setOutcome(ctx: HandlerContext, outcome: HandleOutcome): void {
  outcomes.set(ctx, outcome);
}

export function getOutcome(ctx: HandlerContext): HandleOutcome | undefined {
  return outcomes.get(ctx);
}
