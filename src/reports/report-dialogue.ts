import { openPeriodAt } from "../calendar/open-period.js";
import { type Period, previousQuarter } from "../domain/period.js";
import { suspectWanYuanConfusion } from "../parsing/magnitude.js";
import { parseReport } from "../parsing/parse-report.js";
import type { ParseContext, ParsedReport, ParsedSection } from "../parsing/parsed-report.js";
import type { ContactDef } from "../programme/programme.js";
import { zonesOfPrefecture } from "../programme/programme.js";
import { listLatestConfirmed } from "./confirmed-reports.js";
import { type DialogueDeps, type DialogueResult, result } from "./dialogue-types.js";
import { advance, type KnownBases, newDraftToken } from "./draft-progress.js";
import { type Draft, deleteDraft, draftPeriod, loadDraft } from "./draft-store.js";
import { DRAFT_HINT, zoneOf } from "./report-messages.js";
import { loadReportingContext, noProgrammeMessage, type ReportingContext } from "./reporting-context.js";
import { planShortAnswer, readShortAnswer } from "./short-answers.js";
import {
  authorisationProblem,
  cumulativeProblems,
  findUnitSuspects,
  periodProblem,
  type SentValue,
  valueProblems,
} from "./validate-report.js";

/** Parse issues that do not refuse a message (chatter such as "填报人：张三" is ignored). */
const IGNORED_ISSUES = new Set(["unknown_field", "no_data"]);
/** A digit, or a Chinese numeral with a unit: the read text of an unknown field holds a figure. */
const HAS_NUMBER = /[0-9０-９]|[零〇一二两三四五六七八九十百千][十百千万亿个次家场元%]/;

export const NOT_UNDERSTOOD =
  "没有从您的消息中读到报送数据。请按“经开区 + 指标 + 数值”发送，例如：惠水经开区 一季度 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场。发送“模板”获取填报模板，发送“帮助”查看全部命令。";

const sameP = (a: Period, b: Period) => a.year === b.year && a.quarter === b.quarter;

/**
 * A report message (new report, follow-up with missing values, `修改 …` or `更正 …` — then `text` is
 * what follows the command word and `opts.rawText` the whole message, kept on the revision): parse,
 * validate, merge into the contact's draft, then ask 是否应为万元, list missing fields, echo for
 * confirmation, or — with AUTO_CONFIRM — store. Refusals store nothing and keep an existing draft.
 */
export async function submitReport(
  deps: DialogueDeps,
  text: string,
  opts: {
    rawText?: string;
    file?: { sha256: string; path: string; name: string };
    /**
     * Reads the input instead of parseReport(text) — a workbook's sheet goes through parseTable with the
     * same context (same grammar, claims and validation as a pasted table).
     */
    parse?: (ctx: ParseContext) => ParsedReport;
    /** `text` was written out from this short answer (short-answers.ts): its fields are remembered. */
    shortAnswer?: string;
  } = {},
): Promise<DialogueResult> {
  const now = deps.clock.now();
  const rc = await loadReportingContext(deps.db, now, deps.rosterVersion);
  if (!rc) return result("refused", noProgrammeMessage(openPeriodAt(now)));
  const p = rc.programme;
  let stored = await loadDraft(deps.db, deps.contact.id, now);
  if (stored && !sameP(draftPeriod(stored.draft), rc.open)) {
    await deleteDraft(deps.db, deps.contact.id); // a draft of a period that closed can never be stored
    stored = undefined;
  }
  const keep = stored ? `\n（您之前的草稿仍保留。${DRAFT_HINT}）` : "";
  // `2`, `3次`, `都是0` answering the list of missing fields: bound to the one field that fits, or asked
  const short = stored?.state === "awaiting_missing" && !opts.parse ? readShortAnswer(text) : undefined;
  if (stored && short) {
    const plan = planShortAnswer(p, stored.draft, short);
    if (plan.kind === "ask") return result("refused", plan.message + keep);
    // the field names are written out and read by the parser like any report; the echo is always shown
    // (even with AUTO_CONFIRM): a figure read from a bare reply is stored only after 确认
    const r = await submitReport({ ...deps, autoConfirm: false }, plan.text, {
      rawText: opts.rawText ?? text,
      shortAnswer: short.text,
    });
    return r.outcome === "refused" ? r : { ...r, message: `${plan.lead}\n${r.message}` };
  }
  const parsed = parseWithDraft(text, rc, stored?.draft, deps.contact, opts.parse);
  if (parsed.unassigned && stored && stored.draft.sections.length > 1) {
    const names = stored.draft.sections.map((s) => zoneOf(p, s.zoneId).shortName);
    return result(
      "refused",
      `经开区：您的草稿包含多个经开区（${names.join("、")}），补充数据时请注明经开区，例如：${names[0]} 包装招商项目3个。${keep}`,
    );
  }
  // a near-miss field name ("进出囗" → 您是否指 进出口额？) is a question, not chatter
  const blocking = parsed.issues.filter((i) => !IGNORED_ISSUES.has(i.code) || i.suggestion);
  if (blocking.length > 0) {
    return result("refused", unique(blocking.map((i) => i.message)).join("\n") + keep);
  }
  // every number not read is named back (the parser's invariant) — also a figure under a field name the
  // programme does not have ("出口退税：300万元"): chatter without a number ("填报人：张三") stays unanswered
  const unreadFields = parsed.issues.filter(
    (i) => i.code === "unknown_field" && !i.suggestion && HAS_NUMBER.test(i.read),
  );
  const namedBack = [...parsed.notes.map((n) => n.message), ...unreadFields.map((i) => i.message)];
  const named = namedBack.length > 0 ? `\n${unique(namedBack).join("\n")}` : "";
  if (parsed.sections.length === 0) return result("refused", NOT_UNDERSTOOD + named + keep);
  const period = parsed.period ?? rc.open;
  const pp = periodProblem(period, parsed.periodText, rc.open, p);
  if (pp) return result("refused", pp + keep);

  const zoneIds = parsed.sections.map((s) => s.zoneId);
  const [confirmedNow, confirmedPrev] = await Promise.all([
    listLatestConfirmed(deps.db, period, zoneIds),
    previousQuarter(period)
      ? listLatestConfirmed(deps.db, previousQuarter(period)!, zoneIds)
      : Promise.resolve([]),
  ]);
  const problems: string[] = [];
  for (const s of parsed.sections) {
    const zone = zoneOf(p, s.zoneId);
    const auth = authorisationProblem(deps.contact, zone, s.zoneText, p);
    if (auth) {
      problems.push(auth);
      continue;
    }
    const sent = sentValues(s);
    const prev = confirmedPrev.find((r) => r.zoneId === s.zoneId)?.values;
    problems.push(...valueProblems(zone, sent, p), ...cumulativeProblems(zone, period, sent, prev, p));
  }
  if (problems.length > 0) return result("refused", unique(problems).join("\n") + keep);

  const draft: Draft = stored
    ? structuredClone(stored.draft)
    : {
        period,
        sections: [],
        rawTexts: [],
        inboundIds: [],
        token: newDraftToken(),
        suspects: [],
        files: [],
        shortAnswers: [],
      };
  const newSuspects = [];
  for (const s of parsed.sections) {
    const sent = sentValues(s);
    let section = draft.sections.find((x) => x.zoneId === s.zoneId);
    if (!section) {
      const base = confirmedNow.find((r) => r.zoneId === s.zoneId);
      section = {
        zoneId: s.zoneId,
        values: { ...(base?.values ?? {}) },
        changed: [],
        raws: {},
        ...(base ? { baseRevisionNo: base.revisionNo } : {}),
      };
      draft.sections.push(section);
    }
    for (const [key, v] of Object.entries(sent)) {
      section.values[key] = v.value;
      section.raws[key] = v.raw;
      if (!section.changed.includes(key)) section.changed.push(key);
    }
    draft.suspects = draft.suspects.filter((x) => !(x.zoneId === s.zoneId && sent[x.indicatorKey]));
    // a field sent again is no longer a short answer's; a short answer's fields are remembered
    draft.shortAnswers = draft.shortAnswers
      .map((a) => (a.zoneId === s.zoneId ? { ...a, keys: a.keys.filter((k) => !sent[k]) } : a))
      .filter((a) => a.keys.length > 0);
    if (opts.shortAnswer) {
      draft.shortAnswers.push({ zoneId: s.zoneId, keys: Object.keys(sent), reply: opts.shortAnswer });
    }
    const prev = confirmedPrev.find((r) => r.zoneId === s.zoneId)?.values;
    newSuspects.push(
      ...findUnitSuspects(zoneOf(p, s.zoneId), period, sent, prev, p, suspectWanYuanConfusion),
    );
  }
  draft.suspects.push(...newSuspects);
  draft.rawTexts.push(opts.rawText ?? text);
  if (opts.file && !draft.files.some((f) => f.sha256 === opts.file!.sha256)) draft.files.push(opts.file);
  if (!draft.inboundIds.includes(deps.inboundId)) draft.inboundIds.push(deps.inboundId);
  // the confirmed revisions just read are the bases of sections started from them
  const known: KnownBases = {};
  for (const c of confirmedNow) known[c.zoneId] = { revisionNo: c.revisionNo, values: c.values };
  const r = await advance(deps, rc, draft, known, stored);
  return named && !r.queued ? { ...r, message: `${r.message}${named}` } : r;
}

/**
 * Parses the message. Values that name no zone belong to the draft's zone when the draft has exactly
 * one (the contact answers "包装招商项目3个，赴外招商4次" to the list of missing fields), or else to the
 * sender's only zone when their prefecture has exactly one.
 */
function parseWithDraft(
  text: string,
  rc: ReportingContext,
  draft: Draft | undefined,
  contact: ContactDef,
  parse: (ctx: ParseContext) => ParsedReport = (ctx) => parseReport(text, ctx),
): ParsedReport {
  const own = contact.prefectureCode ? zonesOfPrefecture(rc.programme, contact.prefectureCode) : [];
  const defaultZoneId =
    draft && draft.sections.length > 0
      ? draft.sections.length === 1
        ? draft.sections[0]!.zoneId
        : undefined
      : own.length === 1
        ? own[0]!.id
        : undefined;
  return parse({
    ...rc.parseContext,
    ...(defaultZoneId ? { defaultZoneId } : {}),
    ...(contact.prefectureCode ? { prefectureCode: contact.prefectureCode } : {}),
  });
}

function sentValues(s: ParsedSection): Record<string, SentValue> {
  return Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, { value: v.value, raw: v.raw }]));
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
