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
import { commandText } from "../dialogue-reply.js";
import { answer, type Handler, type HandlerContext, type HandlerResult } from "../handler.js";

/**
 * Task-force chat commands for circulars (behind the router's task-force filter, before the report
 * dialogue, which would otherwise read "通报 草稿 2023Q2" as a report). Each pattern is anchored to the whole message, so
 * a report that merely mentions 通报 or 进度 is not taken.
 *   通报 草稿 [2023Q2]   draft now and preview (text + Word + Excel)
 *   批准 通报 3          approve (figures re-checked first)
 *   发布 通报 3          send to every group chat
 *   通报 列表            the latest circulars (a sent one by its delivery: 发布中/已发布/部分发布/发布失败)
 *   通报 查看 3          one circular with each group's delivery state
 * Sending a sent circular again re-sends what had failed.
 * Only contacts with role task_force reach them; the router refuses anyone else (TASK_FORCE_ONLY).
 */
const DRAFT = new RegExp(`^(?:通报\\s*草稿|起草\\s*通报)\\s*(${CHAT_PERIOD_PATTERN})?$`);
const APPROVE = /^(?:批准\s*通报|通报\s*批准)\s*#?\s*(\d{1,9})$/;
const SEND = /^(?:发布\s*通报|通报\s*发布)\s*#?\s*(\d{1,9})$/;
const LIST = /^通报\s*列表$/;
const SHOW = /^(?:通报\s*查看|查看\s*通报)\s*#?\s*(\d{1,9})$/;

/** Runs a circular operation; a CircularError becomes a refusal naming the problem. */
async function guarded(f: () => Promise<HandlerResult>): Promise<HandlerResult> {
  try {
    return await f();
  } catch (e) {
    if (!(e instanceof CircularError)) throw e;
    return answer("refused", e.message);
  }
}

const isText = (ctx: HandlerContext) => ctx.event.kind === "text";

export const circularDraft: Handler = {
  name: "taskforce-circular-draft",
  matches: (ctx) => isText(ctx) && DRAFT.test(commandText(ctx)),
  run: async (ctx) => {
    const now = ctx.app.clock.now();
    const written = DRAFT.exec(commandText(ctx))?.[1];
    const period = written ? parseChatPeriod(written, now) : openPeriodAt(now);
    if (!period) {
      return answer("refused", `季度“${written}”无法识别。示例：通报 草稿 2023Q2，或 通报 草稿 2023年二季度`);
    }
    return guarded(async () => {
      const r = await draftCircular(ctx.app, period, { createdBy: ctx.contact.id });
      const c = r.circular;
      return answer(
        "info",
        [
          `已起草${circularHeadline(c)}，状态：草稿。群发时为企业微信 markdown 格式（${r.rendered.text.robotParts.length} 条），预览如下：`,
          "",
          r.rendered.text.plain.trimEnd(),
          "",
          `核对无误后发送“批准 通报 ${c.id}”，再发送“发布 通报 ${c.id}”推送到各群。Word 和 Excel 版随后发送。`,
        ].join("\n"),
        { text: "", file: { path: r.files.docx, filename: r.files.docxName } },
        { text: "", file: { path: r.files.xlsx, filename: r.files.xlsxName } },
      );
    });
  },
};

export const circularApprove: Handler = {
  name: "taskforce-circular-approve",
  matches: (ctx) => isText(ctx) && APPROVE.test(commandText(ctx)),
  run: async (ctx) => {
    const id = Number(APPROVE.exec(commandText(ctx))![1]);
    return guarded(async () => {
      const r = await approveCircular(ctx.app, id, ctx.contact.id);
      if (r.kind === "changed") return answer("refused", describeChanged(r, "批准"));
      if (r.kind === "already") {
        return answer(
          "info",
          `${circularHeadline(r.circular)}已批准，无需重复批准。发布请发送“发布 通报 ${id}”。`,
        );
      }
      return answer("info", `${circularHeadline(r.circular)}已批准。发布请发送“发布 通报 ${id}”。`);
    });
  },
};

export const circularSend: Handler = {
  name: "taskforce-circular-send",
  matches: (ctx) => isText(ctx) && SEND.test(commandText(ctx)),
  run: async (ctx) => {
    const id = Number(SEND.exec(commandText(ctx))![1]);
    return guarded(async () => {
      const r = await sendCircular(ctx.app, id);
      if (r.kind === "changed") return answer("refused", describeChanged(r, "发布"));
      return answer("info", describeSend(r));
    });
  },
};

export const circularList: Handler = {
  name: "taskforce-circular-list",
  matches: (ctx) => isText(ctx) && LIST.test(commandText(ctx)),
  run: async (ctx) => {
    const db = ctx.app.store.db;
    const rows = (await listCirculars(db)).slice(0, 10);
    const lines: string[] = [];
    for (const c of rows)
      lines.push(describeCircular(c, await circularDeliveryStatus(db, c.id)).split("\n")[0]!);
    return answer(
      "info",
      rows.length === 0
        ? "还没有通报。起草请发送“通报 草稿 2023Q2”。"
        : ["最近的通报：", ...lines].join("\n"),
    );
  },
};

export const circularShow: Handler = {
  name: "taskforce-circular-show",
  matches: (ctx) => isText(ctx) && SHOW.test(commandText(ctx)),
  run: async (ctx) => {
    const id = Number(SHOW.exec(commandText(ctx))![1]);
    return guarded(async () => {
      const c = await getCircular(ctx.app, id);
      return answer("info", describeCircular(c, await circularDeliveryStatus(ctx.app.store.db, c.id)));
    });
  },
};
