import path from "node:path";
import type { AppContext } from "../app-context.js";
import { assessPeriod } from "../assessment/assess-period.js";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { describeDiff, diffFigures, type FiguresDiff, figuresHash } from "../assessment/figures-hash.js";
import { ROLE_LABELS } from "../domain/codes.js";
import { type Period, periodLabel, type Quarter } from "../domain/period.js";
import type { ContactDef } from "../programme/programme.js";
import { findContactByRef, loadProgramme } from "../programme/programme-repository.js";
import { loadAssessmentReports } from "./assessment-reports.js";
import { CircularError } from "./circular-error.js";
import {
  approveWithNumber,
  type CircularRecord,
  findCircular,
  saveOpenDraft,
  updateCircularIf,
} from "./circular-repository.js";
import type { CircularMeta } from "./circular-view.js";
import {
  type CircularFiles,
  type RenderedCircular,
  renderCircular,
  writeCircularFiles,
} from "./render-circular.js";

export interface CircularPaths {
  /** Base folder for rendered circulars (default ./out/circulars). */
  baseDir?: string;
}

/**
 * The base folder: the caller's, else CIRCULAR_OUT_DIR (default ./out/circulars); each circular gets
 * <period>-<n>/ below it. Files queued for sending are read from here when the dispatcher uploads them.
 */
export function circularBaseDir(app: AppContext, paths: CircularPaths = {}): string {
  return path.resolve(paths.baseDir ?? app.config.CIRCULAR_OUT_DIR);
}

/** <period>-<n> once numbered; a draft (no number yet) writes to <period>-draft-<id>. */
export function circularDir(
  c: Pick<CircularRecord, "id" | "year" | "quarter" | "number">,
  baseDir: string,
): string {
  return path.join(baseDir, `${c.year}Q${c.quarter}-${c.number ?? `draft-${c.id}`}`);
}

/** What a draft shows where the document number will be (it is assigned at approval). */
export const UNNUMBERED_DOC = "（草稿，批准后编号）";

/** The document number, or for a draft what stands in its place. */
export function docLabel(c: Pick<CircularRecord, "docNumber">): string {
  return c.docNumber ?? "未编号";
}

export function periodOf(c: Pick<CircularRecord, "year" | "quarter">): Period {
  return { year: c.year, quarter: c.quarter as Quarter };
}

export function circularMeta(app: AppContext, c: Pick<CircularRecord, "number" | "docNumber">): CircularMeta {
  return {
    number: c.number ?? 0,
    docNumber: c.docNumber ?? UNNUMBERED_DOC,
    numbered: c.docNumber !== null,
    issuer: app.config.CIRCULAR_ISSUER,
  };
}

/** Assesses a period from the confirmed revisions as they stand at `at` (default now). */
export async function assessNow(
  app: AppContext,
  period: Period,
  at = app.clock.now(),
): Promise<AssessmentModel> {
  const programme = await loadProgramme(app.store.db, period.year);
  if (!programme) {
    throw new CircularError(
      "no_programme",
      `${period.year}年度尚未设置培育计划（名单、目标），无法生成${periodLabel(period)}通报。请先导入名单，或运行 kaiqu seed --sample 载入样例。`,
    );
  }
  const reports = await loadAssessmentReports(app.store.db, period);
  return assessPeriod({ programme, period, reports, builtAt: at });
}

/** The contact behind `ref` (contact id or any identity's external id), who must be an active task-force member. */
export async function requireTaskForce(app: AppContext, ref: string, action: string): Promise<ContactDef> {
  const contact = await findContactByRef(app.store.db, ref);
  if (!contact?.active) {
    throw new CircularError(
      "unknown_contact",
      `找不到联系人「${ref}」：请使用名册中的联系人编号或其渠道账号，例如 --as TF-01`,
    );
  }
  if (contact.role !== "task_force") {
    throw new CircularError(
      "not_task_force",
      `只有省专班成员可以${action}。${contact.name}的角色是“${ROLE_LABELS[contact.role]}”。`,
    );
  }
  return contact;
}

export async function getCircular(app: AppContext, id: number): Promise<CircularRecord> {
  const c = await findCircular(app.store.db, id);
  if (!c)
    throw new CircularError(
      "not_found",
      `找不到编号为 ${id} 的通报。发送“通报 列表”或运行 kaiqu circular list 查看。`,
    );
  return c;
}

export interface DraftResult {
  circular: CircularRecord;
  rendered: RenderedCircular;
  files: CircularFiles;
}

export async function renderAndWrite(
  app: AppContext,
  c: CircularRecord,
  dir: string,
): Promise<{ rendered: RenderedCircular; files: CircularFiles }> {
  const meta = circularMeta(app, c);
  const rendered = await renderCircular(c.model, meta);
  const files = await writeCircularFiles(dir, rendered, c.model, meta);
  return { rendered, files };
}

/**
 * Builds the model as of `at` (default now), stores it as the period's one open draft — unnumbered;
 * a new draft or a redelivered command replaces it — and writes the three outputs.
 */
export async function draftCircular(
  app: AppContext,
  period: Period,
  opts: { createdBy: string; outDir?: string; at?: Date } & CircularPaths,
): Promise<DraftResult> {
  const builtAt = opts.at ?? app.clock.now();
  const model = await assessNow(app, period, builtAt);
  const saved = await saveOpenDraft(app.store.db, {
    year: period.year,
    quarter: period.quarter,
    model,
    figuresHash: figuresHash(model),
    builtAt,
    createdBy: opts.createdBy,
    docPrefix: app.config.CIRCULAR_DOC_PREFIX,
  });
  if (!saved) {
    throw new CircularError(
      "wrong_status",
      `${periodLabel(period)}的通报已批准、尚未发布，不能再起草新稿。请先发布它（发送“通报 列表”查看）；如数据有更正，发布前会自动退回草稿。`,
    );
  }
  const { circular } = saved;
  const out = await renderAndWrite(
    app,
    circular,
    opts.outDir ?? circularDir(circular, circularBaseDir(app, opts)),
  );
  app.logger.info(
    { circularId: circular.id, period: model.periodKey, dir: out.files.dir, replaced: saved.replaced },
    "circular drafted",
  );
  return { circular, ...out };
}

export interface FiguresChanged {
  kind: "changed";
  circular: CircularRecord;
  diff: FiguresDiff;
  /** Chinese lines naming each changed zone and figure. */
  reasons: string[];
}

/**
 * Re-reads the confirmed revisions; when the figures no longer hash to `boundHash`, the stored model is
 * rebuilt, the circular goes back to draft (its approval lapses) and the files are rendered again.
 */
export async function refreshIfChanged(
  app: AppContext,
  c: CircularRecord,
  boundHash: string,
  paths: CircularPaths = {},
): Promise<FiguresChanged | undefined> {
  const builtAt = app.clock.now();
  const current = await assessNow(app, periodOf(c), builtAt);
  const hash = figuresHash(current);
  if (hash === boundHash) return undefined;
  const diff = diffFigures(c.model, current);
  const ok = await updateCircularIf(app.store.db, c.id, c.status, {
    status: "draft",
    model: current,
    figuresHash: hash,
    builtAt,
    approvedBy: null,
    approvedAt: null,
    approvedHash: null,
  });
  if (!ok) throw new CircularError("wrong_status", `通报 ${c.id} 的状态刚刚被他人更改，请重试。`);
  const refreshed = (await findCircular(app.store.db, c.id))!;
  await renderAndWrite(app, refreshed, circularDir(refreshed, circularBaseDir(app, paths)));
  const reasons = describeDiff(diff);
  app.logger.warn({ circularId: c.id, reasons }, "circular figures changed; approval required again");
  return { kind: "changed", circular: refreshed, diff, reasons };
}

export type ApproveResult =
  | { kind: "approved"; circular: CircularRecord; approver: ContactDef }
  | { kind: "already"; circular: CircularRecord }
  | FiguresChanged;

/** Approves a draft as a task-force member, bound to the figures as they are now. */
export async function approveCircular(
  app: AppContext,
  id: number,
  contactRef: string,
  paths: CircularPaths = {},
): Promise<ApproveResult> {
  const approver = await requireTaskForce(app, contactRef, "批准通报");
  const c = await getCircular(app, id);
  if (c.status === "approved") return { kind: "already", circular: c };
  if (c.status === "sent") {
    throw new CircularError(
      "wrong_status",
      `通报 ${id}（${docLabel(c)}）已发布，不能再批准。如数据有更正，请重新起草。`,
    );
  }
  const changed = await refreshIfChanged(app, c, c.figuresHash, paths);
  if (changed) return changed;
  const now = app.clock.now();
  const ok = await approveWithNumber(app.store.db, id, {
    approvedBy: approver.id,
    approvedAt: now,
    approvedHash: c.figuresHash,
    docPrefix: app.config.CIRCULAR_DOC_PREFIX,
  });
  if (!ok) throw new CircularError("wrong_status", `通报 ${id} 的状态刚刚被他人更改，请重试。`);
  const approved = (await findCircular(app.store.db, id))!;
  // the documents now carry the number given at approval (in the numbered folder)
  await renderAndWrite(app, approved, circularDir(approved, circularBaseDir(app, paths)));
  app.logger.info(
    { circularId: id, approver: approver.id, docNumber: approved.docNumber },
    "circular approved",
  );
  return { kind: "approved", circular: approved, approver };
}
