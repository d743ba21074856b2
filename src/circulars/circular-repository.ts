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
  sent: "已发布",
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

/** Stores a draft with the next number of its year; concurrent drafts retry on the unique key. */
export async function createCircular(db: Db, c: NewCircular): Promise<CircularRecord> {
  for (let attempt = 0; ; attempt++) {
    const last = await db.circular.findFirst({
      where: { year: c.year },
      orderBy: { number: "desc" },
      select: { number: true },
    });
    const number = (last?.number ?? 0) + 1;
    try {
      const row = await db.circular.create({
        data: {
          year: c.year,
          quarter: c.quarter,
          number,
          docNumber: formatDocNumber(c.docPrefix, c.year, number),
          status: "draft",
          model: JSON.stringify(c.model),
          figuresHash: c.figuresHash,
          builtAt: c.builtAt,
          createdBy: c.createdBy,
        },
      });
      return toCircularRecord(row);
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
    data: { ...rest, ...(model ? { model: JSON.stringify(model) } : {}) },
  });
  return count === 1;
}
