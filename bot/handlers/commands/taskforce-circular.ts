import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { CHAT_PERIOD_PATTERN, parseChatPeriod } from "../../../src/circulars/chat-period.js";
import { circularDeliveryStatus } from "../../../src/circulars/circular-delivery.js";
import { CircularError } from "../../../src/circulars/circular-error.js";
import {
  circularHeadline,
  describeChanged,
  describeCircular,
  describeSend,
} from "../../../src/circulars/circular-messages.js";
import { listCirculars } from "../../../src/circulars/circular-repository.js";
import { approveCircular, draftCircular, getCircular } from "../../../src/circulars/circular-service.js";
import { sendCircular } from "../../../src/circulars/send-circular.js";
import { setOutcome } from "../../inbound/outcome.js";
import { commandText } from "../dialogue-reply.js";
import type { Handler, HandlerContext } from "../handler.js";

/**
 * Task-force chat commands for circulars (priority 10–19: before the report dialogue, which would
 * otherwise read "通报 草稿 2023Q2" as a report). Each pattern is anchored to the whole message, so
 * a report that merely mentions 通报 or 进度 is not taken.
 *   通报 草稿 [2023Q2]   draft now and preview (text + Word + Excel)
 *   批准 通报 3          approve (figures re-checked first)
 *   发布 通报 3          send to every group chat
 *   通报 列表            the latest circulars (a sent one by its delivery: 发布中/已发布/部分发布/发布失败)
 *   通报 查看 3          one circular with each group's delivery state
 * Sending a sent circular again re-sends what had failed.
 * Only contacts with role task_force may use them; others get a refusal in Chinese.
 */
const DRAFT = new RegExp(`^(?:通报\\s*草稿|起草\\s*通报)\\s*(${CHAT_PERIOD_PATTERN})?$`);
const APPROVE = /^(?:批准\s*通报|通报\s*批准)\s*#?\s*(\d{1,9})$/;
const SEND = /^(?:发布\s*通报|通报\s*发布)\s*#?\s*(\d{1,9})$/;
const LIST = /^通报\s*列表$/;
const SHOW = /^(?:通报\s*查看|查看\s*通报)\s*#?\s*(\d{1,9})$/;

export const TASK_FORCE_ONLY =
  "这是省专班的命令，仅省专班成员可以使用。如需查询本局本季度的报送情况，请发送“进度”；其他操作请发送“帮助”。";

/** Replies with the refusal and returns false when the sender is not on the task force. */
export async function ensureTaskForce(ctx: HandlerContext): Promise<boolean> {
  if (ctx.contact.role === "task_force") return true;
  setOutcome(ctx, "refused");
  await ctx.reply(TASK_FORCE_ONLY);
  return false;
}

/** Runs a circular operation; a CircularError becomes a refusal reply. */
async function guarded(ctx: HandlerContext, f: () => Promise<void>): Promise<void> {
  try {
    setOutcome(ctx, "info");
    await f();
  } catch (e) {
    if (!(e instanceof CircularError)) throw e;
    setOutcome(ctx, "refused");
    await ctx.reply(e.message);
  }
}

const isText = (ctx: HandlerContext) => ctx.event.kind === "text";

const draft: Handler = {
  name: "taskforce-circular-draft",
  priority: 10,
  matches: (ctx) => isText(ctx) && DRAFT.test(commandText(ctx)),
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    const now = ctx.app.clock.now();
    const written = DRAFT.exec(commandText(ctx))?.[1];
    const period = written ? parseChatPeriod(written, now) : openPeriodAt(now);
    if (!period) {
      setOutcome(ctx, "refused");
      await ctx.reply(`季度“${written}”无法识别。示例：通报 草稿 2023Q2，或 通报 草稿 2023年二季度`);
      return;
    }
    await guarded(ctx, async () => {
      const r = await draftCircular(ctx.app, period, { createdBy: ctx.contact.id });
      const c = r.circular;
      await ctx.reply(
        [
          `已起草${circularHeadline(c)}，状态：草稿。群发时为企业微信 markdown 格式（${r.rendered.text.robotParts.length} 条），预览如下：`,
          "",
          r.rendered.text.plain.trimEnd(),
          "",
          `核对无误后发送“批准 通报 ${c.id}”，再发送“发布 通报 ${c.id}”推送到各群。Word 和 Excel 版随后发送。`,
        ].join("\n"),
      );
      await ctx.reply({ text: "", file: { path: r.files.docx, filename: r.files.docxName } });
      await ctx.reply({ text: "", file: { path: r.files.xlsx, filename: r.files.xlsxName } });
    });
  },
};

const approve: Handler = {
  name: "taskforce-circular-approve",
  priority: 11,
  matches: (ctx) => isText(ctx) && APPROVE.test(commandText(ctx)),
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    const id = Number(APPROVE.exec(commandText(ctx))![1]);
    await guarded(ctx, async () => {
      const r = await approveCircular(ctx.app, id, ctx.contact.id);
      if (r.kind === "changed") {
        setOutcome(ctx, "refused");
        await ctx.reply(describeChanged(r, "批准"));
      } else if (r.kind === "already") {
        await ctx.reply(`${circularHeadline(r.circular)}已批准，无需重复批准。发布请发送“发布 通报 ${id}”。`);
      } else {
        await ctx.reply(`${circularHeadline(r.circular)}已批准。发布请发送“发布 通报 ${id}”。`);
      }
    });
  },
};

const send: Handler = {
  name: "taskforce-circular-send",
  priority: 12,
  matches: (ctx) => isText(ctx) && SEND.test(commandText(ctx)),
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    const id = Number(SEND.exec(commandText(ctx))![1]);
    await guarded(ctx, async () => {
      const r = await sendCircular(ctx.app, id);
      if (r.kind === "changed") {
        setOutcome(ctx, "refused");
        await ctx.reply(describeChanged(r, "发布"));
        return;
      }
      await ctx.reply(describeSend(r));
    });
  },
};

const list: Handler = {
  name: "taskforce-circular-list",
  priority: 13,
  matches: (ctx) => isText(ctx) && LIST.test(commandText(ctx)),
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    setOutcome(ctx, "info");
    const db = ctx.app.store.db;
    const rows = (await listCirculars(db)).slice(0, 10);
    const lines: string[] = [];
    for (const c of rows)
      lines.push(describeCircular(c, await circularDeliveryStatus(db, c.id)).split("\n")[0]!);
    await ctx.reply(
      rows.length === 0
        ? "还没有通报。起草请发送“通报 草稿 2023Q2”。"
        : ["最近的通报：", ...lines].join("\n"),
    );
  },
};

const show: Handler = {
  name: "taskforce-circular-show",
  priority: 14,
  matches: (ctx) => isText(ctx) && SHOW.test(commandText(ctx)),
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    const id = Number(SHOW.exec(commandText(ctx))![1]);
    await guarded(ctx, async () => {
      const c = await getCircular(ctx.app, id);
      await ctx.reply(describeCircular(c, await circularDeliveryStatus(ctx.app.store.db, c.id)));
    });
  },
};

export const handlers: Handler[] = [draft, approve, send, list, show];
