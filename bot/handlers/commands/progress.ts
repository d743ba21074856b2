import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { bureauProgressMessage, overallProgressMessage } from "../../../src/reports/bureau-progress.js";
import { loadDraft } from "../../../src/reports/draft-store.js";
import { loadReportingContext, noProgrammeMessage } from "../../../src/reports/reporting-context.js";
import { commandText } from "../dialogue-reply.js";
import { answer, type Handler } from "../handler.js";

const PROGRESS = /^(进度|报送进度|填报进度|查询进度|查进度)$/;

const DRAFT_STATE_LABEL = {
  awaiting_missing: "待补充必填项",
  awaiting_unit: "待回答单位问题",
  awaiting_confirmation: "待确认",
} as const;

/** 进度: what my bureau has and has not submitted for the open quarter (task force: every prefecture). */
export const progress: Handler = {
  name: "progress",
  matches: (ctx) => ctx.event.kind === "text" && PROGRESS.test(commandText(ctx)),
  run: async (ctx) => {
    const db = ctx.app.store.db;
    const now = ctx.app.clock.now();
    const rc = await loadReportingContext(db, now);
    if (!rc) return answer("info", noProgrammeMessage(openPeriodAt(now)));
    const text =
      ctx.contact.role === "task_force" || !ctx.contact.prefectureCode
        ? await overallProgressMessage(db, rc.programme, rc.open, now)
        : await bureauProgressMessage(db, rc.programme, rc.open, ctx.contact.prefectureCode, now);
    const draft = await loadDraft(db, ctx.contact.id, now);
    const note = draft
      ? `\n您还有一份未确认的草稿（${DRAFT_STATE_LABEL[draft.state]}，涉及${draft.draft.sections.length}个经开区），确认前不计入报送。`
      : "";
    return answer("info", text + note);
  },
};
