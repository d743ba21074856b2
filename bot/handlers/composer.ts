import type { Handler, HandlerContext, HandlerResult } from "./handler.js";

/** The handler chosen for one message: its name (for logs and HandleResult) and what to run. */
export interface Route {
  name: string;
  run(ctx: HandlerContext): Promise<HandlerResult>;
}

type Step =
  | { kind: "handler"; handler: Handler }
  | {
      kind: "filter";
      pred: (ctx: HandlerContext) => boolean;
      otherwise?: (ctx: HandlerContext) => HandlerResult;
      group: Composer;
    };

/**
 * The router, in grammY's composer shape: handlers are asked in registration order and the first
 * whose `matches` is true runs. `filter(pred, otherwise)` scopes a group declared once (e.g. "task
 * force only"): a message one of the group's handlers matches runs it when `pred` holds; otherwise
 * the group answers `otherwise(ctx)` under that handler's name (a refusal), or, without `otherwise`,
 * routing goes on past the group as if it had not matched.
 */
export class Composer {
  private readonly steps: Step[] = [];

  use(...handlers: Handler[]): this {
    for (const handler of handlers) this.steps.push({ kind: "handler", handler });
    return this;
  }

  /** A group at this position, run only for senders `pred` admits (see the class comment). */
  filter(
    pred: (ctx: HandlerContext) => boolean,
    otherwise?: (ctx: HandlerContext) => HandlerResult,
  ): Composer {
    const group = new Composer();
    this.steps.push({ kind: "filter", pred, group, ...(otherwise ? { otherwise } : {}) });
    return group;
  }

  /** The first handler, in registration order, that takes this message; undefined when none does. */
  async route(ctx: HandlerContext): Promise<Route | undefined> {
    for (const s of this.steps) {
      if (s.kind === "handler") {
        if (await s.handler.matches(ctx)) return s.handler;
        continue;
      }
      const inner = await s.group.route(ctx);
      if (!inner) continue;
      if (s.pred(ctx)) return inner;
      const otherwise = s.otherwise;
      if (otherwise) return { name: inner.name, run: async (c) => otherwise(c) };
    }
    return undefined;
  }

  /** Every handler's name in registration order (groups flattened), for tests and docs. */
  names(): string[] {
    return this.steps.flatMap((s) => (s.kind === "handler" ? [s.handler.name] : s.group.names()));
  }
}

/** A router of these handlers in this order (tests, or a bot with a reduced command set). */
export function composerOf(handlers: Handler[]): Composer {
  return new Composer().use(...handlers);
}
