import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../src/db/database.js";

/**
 * Database side of the console's log-in: one-time links and sessions. Tokens are 256 random bits
 * sent to the browser; the store keeps only their SHA-256, so a copy of the database opens nothing.
 */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Only tokens of our own shape are looked up (bounded, no odd characters reach the store). */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}

export const MAX_LINK_TTL_MS = 24 * 3600_000;

export async function createLoginLink(
  db: Db,
  o: { contactId: string; ttlMs: number; createdBy: string; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  if (!(o.ttlMs > 0 && o.ttlMs <= MAX_LINK_TTL_MS))
    throw new Error(`login link ttl out of range: ${o.ttlMs}`);
  const token = newToken();
  const expiresAt = new Date(o.now.getTime() + o.ttlMs);
  await db.webLoginLink.create({
    data: {
      id: tokenHash(token),
      contactId: o.contactId,
      createdBy: o.createdBy,
      createdAt: o.now,
      expiresAt,
    },
  });
  return { token, expiresAt };
}

export type LinkFailure = "unknown" | "used" | "expired";

/**
 * Uses a link once: a conditional update (unused and unexpired) decides, so two tabs or two instances
 * racing on one link cannot both log in.
 */
export async function consumeLoginLink(
  db: Db,
  token: string,
  now: Date,
  ip: string | undefined,
): Promise<{ ok: true; contactId: string } | { ok: false; reason: LinkFailure; contactId?: string }> {
  const id = tokenHash(token);
  const { count } = await db.webLoginLink.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedIp: ip ?? null },
  });
  const row = await db.webLoginLink.findUnique({ where: { id }, select: { contactId: true, usedAt: true } });
  if (count === 1 && row) return { ok: true, contactId: row.contactId };
  if (!row) return { ok: false, reason: "unknown" };
  return { ok: false, reason: row.usedAt ? "used" : "expired", contactId: row.contactId };
}

export interface WebSessionRow {
  id: string;
  contactId: string;
  csrfToken: string;
  via: string;
  lastSeenAt: Date;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  o: { contactId: string; via: string; ttlMs: number; now: Date; ip: string | undefined },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(o.now.getTime() + o.ttlMs);
  await db.webSession.create({
    data: {
      id: tokenHash(token),
      contactId: o.contactId,
      csrfToken,
      via: o.via,
      ip: o.ip ?? null,
      createdAt: o.now,
      lastSeenAt: o.now,
      expiresAt,
    },
  });
  return { token, csrfToken, expiresAt };
}

/** A live session (not revoked, not expired) for a cookie token; touches lastSeenAt at most once a minute. */
export async function findSession(db: Db, token: string, now: Date): Promise<WebSessionRow | undefined> {
  const row = await db.webSession.findUnique({ where: { id: tokenHash(token) } });
  if (!row || row.revokedAt || row.expiresAt <= now) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000)
    await db.webSession.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  return row;
}

export async function revokeSession(db: Db, token: string, now: Date): Promise<void> {
  await db.webSession.updateMany({
    where: { id: tokenHash(token), revokedAt: null },
    data: { revokedAt: now },
  });
}
