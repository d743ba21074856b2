import { periodShortLabel, previousQuarter } from "../domain/period.js";
import { listLatestConfirmed } from "./confirmed-reports.js";
import { type DialogueDeps, type DialogueResult, result } from "./dialogue-types.js";
import { advance, store } from "./draft-progress.js";
import { type DraftState, deleteDraft, draftPeriod, loadDraft } from "./draft-store.js";
import { DRAFT_HINT, missingMessage, zoneOf } from "./report-messages.js";
import { loadReportingContext, noProgrammeMessage } from "./reporting-context.js";
import { cumulativeProblems, periodProblem, unitQuestion } from "./validate-report.js";

/** Answer to 是否应为万元: 是 applies the suggested values, 否 keeps what was read. */
export async function answerUnitQuestion(deps: DialogueDeps, yes: boolean): Promise<DialogueResult> {
  const now = deps.clock.now();
  const rc = await loadReportingContext(deps.db, now, deps.rosterVersion);
  const stored = await loadDraft(deps.db, deps.contact.id, now);
  if (!rc || stored?.state !== "awaiting_unit") {
    return result("refused", "当前没有需要您回答“是/否”的问题。发送“帮助”查看可用命令。");
  }
  const draft = structuredClone(stored.draft);
  if (yes) {
    const period = draftPeriod(draft);
    const prevP = previousQuarter(period);
    const prevs = prevP
      ? await listLatestConfirmed(
          deps.db,
          prevP,
          draft.sections.map((s) => s.zoneId),
        )
      : [];
    const problems: string[] = [];
    for (const s of draft.suspects) {
      const section = draft.sections.find((x) => x.zoneId === s.zoneId)!;
      section.values[s.indicatorKey] = s.suggested;
      const sent = { [s.indicatorKey]: { value: s.suggested, raw: s.raw } };
      const prev = prevs.find((r) => r.zoneId === s.zoneId)?.values;
      problems.push(...cumulativeProblems(zoneOf(rc.programme, s.zoneId), period, sent, prev, rc.programme));
    }
    if (problems.length > 0)
      return result("refused", `${problems.join("\n")}\n（草稿仍保留。${DRAFT_HINT}）`);
  }
  draft.suspects = [];
  return advance(deps, rc, draft, {}, stored);
}

/** 确认 (or the card's confirm button): stores the awaiting draft. */
export async function confirmDraft(deps: DialogueDeps, cardToken?: string): Promise<DialogueResult> {
  const now = deps.clock.now();
  const stored = await loadDraft(deps.db, deps.contact.id, now);
  if (!stored) {
    return result(
      "refused",
      "您当前没有待确认的报送（草稿可能已确认、已撤销或已过期）。发送“进度”查看本季度报送情况。",
    );
  }
  const rc = await loadReportingContext(deps.db, now, deps.rosterVersion);
  if (!rc) return result("refused", noProgrammeMessage(draftPeriod(stored.draft)));
  if (cardToken && cardToken !== stored.draft.token) {
    return result(
      "refused",
      "该确认按钮已过期：草稿在按钮发出后有过修改。请以最新的核对消息为准，回复“确认”保存。",
    );
  }
  if (stored.state === "awaiting_missing") {
    return result("refused", `还不能保存：${missingMessage(rc.programme, stored.draft, deps.draftTtlMin)}`);
  }
  if (stored.state === "awaiting_unit") {
    return result(
      "refused",
      `请先回答：${stored.draft.suspects.map((s) => unitQuestion(s, rc.programme)).join("\n")}\n回复“是”或“否”。`,
    );
  }
  const period = draftPeriod(stored.draft);
  const pp = periodProblem(period, undefined, rc.open, rc.programme);
  if (pp) {
    await deleteDraft(deps.db, deps.contact.id);
    return result("refused", pp);
  }
  return store(deps, rc, stored.draft, stored);
}

/**
 * 不是 / 不对 at the echo of a draft holding values read from a short answer (`都是0` → 是否以下各项均为0？):
 * those values are taken back out, so the fields are missing again and the rest of the draft is kept.
 * Undefined when the draft holds none (the caller then drops the draft, as for any 不对).
 */
export async function takeBackShortAnswers(deps: DialogueDeps): Promise<DialogueResult | undefined> {
  const now = deps.clock.now();
  const stored = await loadDraft(deps.db, deps.contact.id, now);
  if (stored?.state !== "awaiting_confirmation" || stored.draft.shortAnswers.length === 0) return undefined;
  const rc = await loadReportingContext(deps.db, now, deps.rosterVersion);
  if (!rc) return undefined;
  const draft = structuredClone(stored.draft);
  const labels: string[] = [];
  for (const a of draft.shortAnswers) {
    const section = draft.sections.find((s) => s.zoneId === a.zoneId);
    if (!section) continue;
    for (const key of a.keys) {
      delete section.values[key];
      delete section.raws[key];
      section.changed = section.changed.filter((k) => k !== key);
      labels.push(rc.programme.indicators.find((i) => i.key === key)?.label ?? key);
    }
  }
  const replies = [...new Set(draft.shortAnswers.map((a) => `“${a.reply}”`))].join("、");
  draft.shortAnswers = [];
  draft.suspects = [];
  const r = await advance(deps, rc, draft, {}, stored);
  return { ...r, message: `好的，未按您回复的${replies}记录${labels.join("、")}。\n${r.message}` };
}

/** 撤销 / 取消 (or the card's cancel button): drops the unconfirmed draft. */
export async function cancelDraft(deps: DialogueDeps, cardToken?: string): Promise<DialogueResult> {
  const stored = await loadDraft(deps.db, deps.contact.id, deps.clock.now());
  if (stored && cardToken && cardToken !== stored.draft.token) {
    return result("refused", "该取消按钮已过期：草稿在按钮发出后有过修改。如要放弃，请回复“撤销”。");
  }
  if (!stored || !(await deleteDraft(deps.db, deps.contact.id))) {
    return result(
      "info",
      "您当前没有未确认的草稿。已确认的报送不能撤销；如需更改，请发送“更正 惠水 进出口3.5亿元”这样的内容，将保存为新的版本。",
    );
  }
  return result(
    "cancelled",
    `已撤销未确认的${periodShortLabel(draftPeriod(stored.draft))}报送草稿，本次没有保存任何数据。`,
  );
}

export async function currentDraftState(
  deps: Pick<DialogueDeps, "db" | "clock" | "contact">,
): Promise<DraftState | undefined> {
  return (await loadDraft(deps.db, deps.contact.id, deps.clock.now()))?.state;
}
