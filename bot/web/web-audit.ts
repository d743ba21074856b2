import type { Db } from "../../src/db/database.js";

/** What the audit trail records (every state change made through the console, and every log-in). */
export type AuditAction =
  | "login"
  | "login_failed"
  | "logout"
  | "login_link_created"
  | "circular.draft"
  | "circular.approve"
  | "circular.send"
  | "roster.import"
  | "outbox.retry";

export interface AuditInput {
  contactId: string;
  action: AuditAction;
  target?: string;
  detail?: Record<string, unknown>;
  ip?: string;
  at: Date;
}

export async function recordAudit(db: Db, e: AuditInput): Promise<void> {
  await db.auditEntry.create({
    data: {
      at: e.at,
      contactId: e.contactId,
      action: e.action,
      target: e.target ?? "",
      detail: JSON.stringify(e.detail ?? {}),
      ip: e.ip ?? null,
    },
  });
}

export async function listAudit(db: Db, limit = 200) {
  const rows = await db.auditEntry.findMany({ orderBy: { id: "desc" }, take: limit });
  return rows.map((r) => ({ ...r, detail: safeJson(r.detail) }));
}

function safeJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
