import { z } from "zod";
import { type AssessmentModel, parseAssessmentModel } from "../assessment/assessment-model.js";
import type { Circular, Db, Tx } from "../db/database.js";
import { isUniqueViolation } from "../db/database.js";

export const CIRCULAR_STATUSES = ["draft", "approved", "sent"] as const;
export type CircularStatus = (typeof CIRCULAR_STATUSES)[number];
export const circularStatusSchema = z.enum(CIRCULAR_STATUSES);
export const CIRCULAR_STATUS_LABELS: Record<CircularStatus, string> = {
  draft: "草稿",
  approved: "已批准",
  /** queued for delivery; shown by its delivery state once read (circular-delivery.ts): 已发布 only when every group got it */
  sent: "已提交发布",
};

export interface CircularRecord extends Omit<Circular, "model" | "status"> {
  status: CircularStatus;
  model: AssessmentModel;
}

export function toCircularRecord(row: Circular): CircularRecord {
  return { ...row, status: circularStatusSchema.parse(row.status), model: parseAssessmentModel(row.model) };
}

/** "黔商函〔2023〕3号" */
export function formatDocNumber(prefix: string, year: number, number: number): string {
  return `${prefix}〔${year}〕${number}号`;
}

export interface NewCircular {
  year: number;
  quarter: number;
  model: AssessmentModel;
  figuresHash: string;
  builtAt: Date;
  createdBy: string;
  docPrefix: string;
}

/** The period's open slot ("<year>Q<quarter>"): held by its one draft or approved, unsent circular. */
export function openSlotOf(c: { year: number; quarter: number }): string {
  return `${c.year}Q${c.quarter}`;
}

/**
 * Stores the period's one open draft, without a number (assigned at approval, see numberAtApproval):
 * a first draft creates it; a new draft — or the same command redelivered — replaces the open draft
 * in place (same id, new model), so there is never a second one. Returns undefined when the period's
 * open circular is already approved (the caller says so; it is sent, or its approval lapses first).
 */
export async function saveOpenDraft(
  db: Db,
  c: NewCircular,
): Promise<{ circular: CircularRecord; replaced: boolean } | undefined> {
  const openSlot = openSlotOf(c);
  const data = {
    model: JSON.stringify(c.model),
    figuresHash: c.figuresHash,
    builtAt: c.builtAt,
    createdBy: c.createdBy,
  };
  for (let attempt = 0; ; attempt++) {
    const { count } = await db.circular.updateMany({ where: { openSlot, status: "draft" }, data });
    if (count === 1) {
      const row = await db.circular.findUniqueOrThrow({ where: { openSlot } });
      return { circular: toCircularRecord(row), replaced: true };
    }
    if (await db.circular.findUnique({ where: { openSlot }, select: { id: true } })) return undefined;
    try {
      const row = await db.circular.create({
        data: { year: c.year, quarter: c.quarter, openSlot, status: "draft", ...data },
      });
      return { circular: toCircularRecord(row), replaced: false };
    } catch (e) {
      // another instance created the slot's draft meanwhile: replace that one
      if (!isUniqueViolation(e) || attempt >= 4) throw e;
    }
  }
}

/**
 * Approves a draft and, if it has none yet, gives it the next number of its year (max + 1, in one
 * transaction; the unique (year, number) key makes a concurrent approval retry with the following
 * number). Numbers are only ever taken by approved circulars and never given back — a lapsed
 * approval keeps its number — so the year's numbers have no gaps. False when it was no longer a draft.
 */
export async function approveWithNumber(
  db: Db,
  id: number,
  approval: { approvedBy: string; approvedAt: Date; approvedHash: string; docPrefix: string },
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const c = await tx.circular.findUnique({ where: { id } });
        if (c?.status !== "draft") return false;
        let number = c.number;
        if (number === null) {
          const last = await tx.circular.findFirst({
            where: { year: c.year, number: { not: null } },
            orderBy: { number: "desc" },
            select: { number: true },
          });
          number = (last?.number ?? 0) + 1;
        }
        const { count } = await tx.circular.updateMany({
          where: { id, status: "draft" },
          data: {
            status: "approved",
            number,
            docNumber: formatDocNumber(approval.docPrefix, c.year, number),
            approvedBy: approval.approvedBy,
            approvedAt: approval.approvedAt,
            approvedHash: approval.approvedHash,
          },
        });
        return count === 1;
      });
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 9) throw e;
    }
  }
}

export async function findCircular(db: Db | Tx, id: number): Promise<CircularRecord | undefined> {
  const row = await db.circular.findUnique({ where: { id } });
  return row ? toCircularRecord(row) : undefined;
}

export async function listCirculars(
  db: Db | Tx,
  where: { year?: number; status?: CircularStatus } = {},
): Promise<CircularRecord[]> {
  const rows = await db.circular.findMany({ where, orderBy: [{ year: "desc" }, { number: "desc" }] });
  return rows.map(toCircularRecord);
}

/**
 * Updates a circular only while it is still in `expected` status (so two approvers or a send racing an
 * approval cannot both win). Returns false when the status had changed.
 */
export async function updateCircularIf(
  db: Db | Tx,
  id: number,
  expected: CircularStatus,
  data: Partial<{
    status: CircularStatus;
    model: AssessmentModel;
    figuresHash: string;
    builtAt: Date;
    approvedBy: string | null;
    approvedAt: Date | null;
    approvedHash: string | null;
    sentAt: Date | null;
  }>,
): Promise<boolean> {
  const { model, ...rest } = data;
  const { count } = await db.circular.updateMany({
    where: { id, status: expected },
    data: {
      ...rest,
      ...(model ? { model: JSON.stringify(model) } : {}),
      // a sent circular frees its period's slot for the next draft
      ...(data.status === "sent" ? { openSlot: null } : {}),
    },
  });
  return count === 1;
}
