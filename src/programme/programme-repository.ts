import { z } from "zod";
import { type Db, sqlOf, type Tx } from "../db/database.js";
import {
  type Audience,
  type GroupCode,
  groupCodeSchema,
  type IndicatorKind,
  type Role,
} from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import type { Quarter } from "../domain/period.js";
import { identityMap } from "./identity-map.js";
import { type ChatGroupDef, type ContactDef, type Programme, programmeSettingsSchema } from "./programme.js";
import { createRosterCache, type RosterCache } from "./roster-cache.js";
import { parseStoredJson } from "./stored-json.js";

const caches = new WeakMap<object, RosterCache>();

/**
 * Reads through the store handle's roster cache (src/programme/roster-cache.ts) when `db` is a
 * handle opened by openStore; a transaction client (which may see its own uncommitted changes)
 * always reads the tables.
 */
function cached<T>(db: Db | Tx, key: string, load: () => Promise<T>, seen?: number): Promise<T> {
  const sql = sqlOf(db);
  if (!sql) return load();
  let cache = caches.get(db);
  if (!cache) {
    cache = createRosterCache(sql);
    caches.set(db, cache);
  }
  return cache.get(key, load, seen);
}

const stringList = z.array(z.string());
const groupList = z.array(groupCodeSchema);

export async function listProgrammeYears(db: Db | Tx): Promise<readonly number[]> {
  return cached(db, "years", async () => {
    const rows = await db.programmeYear.findMany({ select: { year: true }, orderBy: { year: "asc" } });
    return rows.map((r) => r.year);
  });
}

/**
 * Loads a programme year with everything hanging off it; undefined when the year is not set up.
 * The result is shared with later callers (cached) and frozen. `rosterVersion`: the cache counter as
 * the caller read it (RosterCache.get's `seen`).
 */
export function loadProgramme(
  db: Db | Tx,
  year: number,
  rosterVersion?: number,
): Promise<Programme | undefined> {
  return cached(db, `programme:${year}`, () => readProgramme(db, year), rosterVersion);
}

async function readProgramme(db: Db | Tx, year: number): Promise<Programme | undefined> {
  const py = await db.programmeYear.findUnique({ where: { year } });
  if (!py) return undefined;
  const [quarters, indicators, prefectures, zones, memberships, targets] = await Promise.all([
    db.programmeQuarter.findMany({ where: { year }, orderBy: { quarter: "asc" } }),
    db.indicator.findMany({ where: { year }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }] }),
    db.prefecture.findMany({ orderBy: [{ sortOrder: "asc" }, { code: "asc" }] }),
    db.zone.findMany({ where: { active: true }, orderBy: { id: "asc" } }),
    db.zoneMembership.findMany({ where: { year } }),
    db.target.findMany({ where: { year }, orderBy: { id: "asc" } }),
  ]);
  const groupsByZone = new Map<string, GroupCode[]>();
  for (const m of memberships) {
    groupsByZone.set(m.zoneId, [...(groupsByZone.get(m.zoneId) ?? []), groupCodeSchema.parse(m.groupCode)]);
  }
  return {
    year,
    title: py.title,
    isSample: py.isSample,
    settings: parseStoredJson(programmeSettingsSchema, py.settings, `settings of ${year}`),
    quarters: quarters.map((q) => ({
      quarter: q.quarter as Quarter,
      deadline: q.deadline,
      expectedProgressPct: Decimal.parse(q.expectedProgressPct),
    })),
    indicators: indicators.map((i) => ({
      key: i.key,
      label: i.label,
      aliases: parseStoredJson(stringList, i.aliases, `aliases of indicator ${i.key}`),
      unit: i.unit,
      kind: i.kind as IndicatorKind,
      cumulative: i.cumulative,
      required: i.required,
      groups: parseStoredJson(groupList, i.groups, `groups of indicator ${i.key}`),
      sortOrder: i.sortOrder,
    })),
    prefectures,
    zones: zones.map((z) => ({
      id: z.id,
      name: z.name,
      shortName: z.shortName,
      aliases: parseStoredJson(stringList, z.aliases, `aliases of zone ${z.id}`),
      prefectureCode: z.prefectureCode,
      groups: (groupsByZone.get(z.id) ?? []).sort(),
    })),
    targets: targets.map((t) => ({
      scope: t.scope as "zone" | "group",
      ...(t.zoneId ? { zoneId: t.zoneId } : {}),
      ...(t.groupCode ? { groupCode: t.groupCode as GroupCode } : {}),
      indicatorKey: t.indicatorKey,
      value: Decimal.parse(t.value),
    })),
  };
}

/** Every contact (active or not) in id order, with its identities, through the cache. */
function allContacts(db: Db | Tx, rosterVersion?: number): Promise<ContactDef[]> {
  return cached(
    db,
    "contacts",
    async () => {
      const rows = await db.contact.findMany({
        orderBy: { id: "asc" },
        select: {
          id: true,
          name: true,
          role: true,
          prefectureCode: true,
          active: true,
          identities: { select: { channel: true, externalId: true } },
        },
      });
      return rows.map(({ identities, ...c }) => ({
        ...c,
        role: c.role as Role,
        identities: identityMap(identities),
      }));
    },
    rosterVersion,
  );
}

/**
 * A contact by the id an identity channel knows them by (a transport's sender: channel "wecom" and
 * the userid), or — with one argument — by contact id.
 */
export async function findContact(
  db: Db | Tx,
  channelOrId: string,
  externalId?: string,
  rosterVersion?: number,
): Promise<ContactDef | undefined> {
  const all = await allContacts(db, rosterVersion);
  if (externalId === undefined) return all.find((c) => c.id === channelOrId);
  return all.find((c) => c.identities[channelOrId] === externalId);
}

/**
 * By contact id, or else by any identity channel's external id (the CLI's `--as`, where a person
 * types what they know): an id match wins, then the first channel in code-point order.
 */
export async function findContactByRef(db: Db | Tx, ref: string): Promise<ContactDef | undefined> {
  const all = await allContacts(db);
  const byId = all.find((c) => c.id === ref);
  if (byId) return byId;
  const channels = [...new Set(all.flatMap((c) => Object.keys(c.identities)))].sort();
  for (const ch of channels) {
    const hit = all.find((c) => c.identities[ch] === ref);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A contact by an identity compared without case (WeCom userids are case-insensitive: the web log-in
 * through WeCom looks members up by the userid its OAuth exchange returns).
 */
export async function findContactIgnoringCase(
  db: Db | Tx,
  channel: string,
  externalId: string,
): Promise<ContactDef | undefined> {
  const want = externalId.toLowerCase();
  return (await allContacts(db)).find((c) => c.identities[channel]?.toLowerCase() === want);
}

export async function listContacts(
  db: Db | Tx,
  where: { prefectureCode?: string; role?: Role } = {},
): Promise<ContactDef[]> {
  return (await allContacts(db)).filter(
    (c) =>
      c.active &&
      (where.prefectureCode === undefined || c.prefectureCode === where.prefectureCode) &&
      (where.role === undefined || c.role === where.role),
  );
}

export async function listChatGroups(db: Db | Tx): Promise<ChatGroupDef[]> {
  return cached(db, "chatGroups", async () => {
    const rows = await db.chatGroup.findMany({
      where: { active: true },
      orderBy: { id: "asc" },
      include: { identities: { select: { channel: true, externalId: true } } },
    });
    return rows.map(({ identities, ...g }) => ({
      ...g,
      audience: g.audience as Audience,
      identities: identityMap(identities),
    }));
  });
}
