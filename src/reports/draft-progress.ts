import { randomUUID } from "node:crypto";
import { revisionValuesOf } from "./confirmed-reports.js";
import { type DialogueDeps, type DialogueResult, result } from "./dialogue-types.js";
import { type Draft, deleteDraft, draftPeriod, type StoredDraft, saveDraft } from "./draft-store.js";
import { confirmationMessage, missingMessage, missingRequired, zoneOf } from "./report-messages.js";
import type { ReportingContext } from "./reporting-context.js";
import { DraftGoneError, storeRevisions } from "./store-revisions.js";
import { unitQuestion } from "./validate-report.js";

/**
 * A fresh token for every saved version of a draft (confirmation cards carry it): 8 random hex
 * digits, the first group of a v4 UUID (randomUUID draws from a buffered pool; randomBytes(4) made
 * a native call per message).
 */
export const newDraftToken = () => randomUUID().slice(0, 8);

/**
 * Moves a draft on to its next state: the 是否应为万元 question while a value is doubtful; the list
 * of missing required fields; otherwise the echo for confirmation — or, with AUTO_CONFIRM, storing.
 * A zone whose figures equal its latest confirmed revision is not stored again. `known`: base
 * revisions the caller has just read (zone → revision number and values), not read again.
 * `read`: the draft row as this message read it (undefined: there was none) — what storing removes.
 */
export async function advance(
  deps: DialogueDeps,
  rc: ReportingContext,
  draft: Draft,
  known: KnownBases,
  read: StoredDraft | undefined,
): Promise<DialogueResult> {
  const p = rc.programme;
  const expires = new Date(deps.clock.now().getTime() + deps.draftTtlMin * 60_000);
  draft.token = newDraftToken();
  if (draft.suspects.length > 0) {
    await saveDraft(deps.db, deps.contact.id, "awaiting_unit", draft, expires);
    const qs = draft.suspects.map((s) => unitQuestion(s, p));
    return result(
      "awaiting_unit",
      `${qs.join("\n")}\n回复“是”按括号中建议的数值记录，回复“否”保留读取的数值，或直接重新发送正确数据。（尚未保存）`,
    );
  }
  if (draft.sections.some((s) => missingRequired(p, s).length > 0)) {
    await saveDraft(deps.db, deps.contact.id, "awaiting_missing", draft, expires);
    return result("awaiting_missing", missingMessage(p, draft, deps.draftTtlMin));
  }
  const bases = await basesOf(deps, draft, known);
  // a zone sent again with exactly its confirmed figures gets no new revision
  const same = draft.sections.filter(
    (s) => s.baseRevisionNo !== undefined && sameValues(s.values, bases[s.zoneId]),
  );
  const sameList = same.map((s) => `${zoneOf(p, s.zoneId).name}（第${s.baseRevisionNo}版）`).join("、");
  if (same.length === draft.sections.length) {
    await deleteDraft(deps.db, deps.contact.id);
    return result("info", `您发送的数据与已确认的报送相同：${sameList}，无需重复报送，未新建版本。`);
  }
  draft.sections = draft.sections.filter((s) => !same.includes(s));
  const sameNote = same.length > 0 ? `\n（${sameList}与已确认的数据相同，不再重复保存。）` : "";
  if (deps.autoConfirm) return store(deps, rc, draft, undefined, read?.updatedAt ?? null);
  await saveDraft(deps.db, deps.contact.id, "awaiting_confirmation", draft, expires);
  return result("awaiting_confirmation", confirmationMessage(p, draft, bases) + sameNote, {
    token: draft.token,
  });
}

export async function store(
  deps: DialogueDeps,
  rc: ReportingContext,
  draft: Draft,
  stored: StoredDraft | undefined,
  /** With AUTO_CONFIRM (no stored draft confirmed): the draft row read, see StoreRevisionsInput.draftRead. */
  draftRead?: Date | null,
): Promise<DialogueResult> {
  let receipt = "";
  try {
    await storeRevisions(deps.db, {
      programme: rc.programme,
      period: draftPeriod(draft),
      draft,
      contactId: deps.contact.id,
      channel: deps.channel,
      now: deps.clock.now(),
      ...(stored ? { draftUpdatedAt: stored.updatedAt } : { draftRead }),
      queueReceipt: async (text, tx) => {
        receipt = text;
        await deps.queueReceipt(text, tx);
      },
    });
  } catch (e) {
    if (e instanceof DraftGoneError)
      return result("info", "这份报送已经处理过（已确认或已撤销），无需重复确认。");
    throw e;
  }
  return result("stored", receipt, { queued: true });
}

export type KnownBases = Record<string, { revisionNo: number; values: Record<string, string> }>;

async function basesOf(
  deps: DialogueDeps,
  draft: Draft,
  known: KnownBases,
): Promise<Record<string, Record<string, string> | undefined>> {
  const bases: Record<string, Record<string, string> | undefined> = {};
  const unknown: { zoneId: string; revisionNo: number }[] = [];
  for (const s of draft.sections) {
    if (s.baseRevisionNo === undefined) continue;
    const k = known[s.zoneId];
    if (k && k.revisionNo === s.baseRevisionNo) bases[s.zoneId] = k.values;
    else unknown.push({ zoneId: s.zoneId, revisionNo: s.baseRevisionNo });
  }
  if (unknown.length === 0) return bases;
  return { ...bases, ...(await revisionValuesOf(deps.db, draftPeriod(draft), unknown)) };
}

function sameValues(a: Record<string, string>, b: Record<string, string> | undefined): boolean {
  if (!b) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
