import { z } from "zod";
import type { Db, Tx } from "../db/database.js";
import {
  type Audience,
  type GroupCode,
  groupCodeSchema,
  type IndicatorKind,
  type Role,
} from "../domain/codes.js";
import { identityMap } from "./identity-map.js";
import type {
  ChatGroupRow,
  ContactRow,
  IndicatorRow,
  PrefectureRow,
  ProgrammeData,
  ProgrammeYearRow,
  ZoneRow,
} from "./programme-data.js";
import { parseStoredJson } from "./stored-json.js";

const strings = z.array(z.string());
const groups = z.array(groupCodeSchema);

const GROUP_ORDER: Record<string, number> = { national: 0, foreign_trade: 1, provincial: 2 };

/**
 * Code-point order, the same on every store (PostgreSQL's ORDER BY follows the database collation,
 * which may ignore "-"), so that exports are identical whichever store they come from.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function readPrefectures(db: Db | Tx): Promise<PrefectureRow[]> {
  const rows = await db.prefecture.findMany();
  return rows.sort((a, b) => a.sortOrder - b.sortOrder || byCodePoint(a.code, b.code));
}

/** Every zone, active or not, by id. */
export async function readZones(db: Db | Tx): Promise<ZoneRow[]> {
  const rows = await db.zone.findMany();
  return rows
    .sort((a, b) => byCodePoint(a.id, b.id))
    .map((z) => ({
      id: z.id,
      name: z.name,
      shortName: z.shortName,
      aliases: parseStoredJson(strings, z.aliases, `aliases of zone ${z.id}`),
      prefectureCode: z.prefectureCode,
      active: z.active,
    }));
}

export async function readIndicators(db: Db | Tx, year: number): Promise<IndicatorRow[]> {
  const rows = await db.indicator.findMany({ where: { year } });
  return rows
    .sort((a, b) => a.sortOrder - b.sortOrder || byCodePoint(a.key, b.key))
    .map((i) => ({
      key: i.key,
      label: i.label,
      aliases: parseStoredJson(strings, i.aliases, `aliases of indicator ${i.key}`),
      unit: i.unit,
      kind: i.kind as IndicatorKind,
      cumulative: i.cumulative,
      required: i.required,
      groups: parseStoredJson(groups, i.groups, `groups of indicator ${i.key}`) as GroupCode[],
      sortOrder: i.sortOrder,
    }));
}

/** Every contact, active or not, by id. */
export async function readContacts(db: Db | Tx): Promise<ContactRow[]> {
  const rows = await db.contact.findMany({
    include: { identities: { select: { channel: true, externalId: true } } },
  });
  return rows
    .sort((a, b) => byCodePoint(a.id, b.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      role: c.role as Role,
      prefectureCode: c.prefectureCode,
      identities: identityMap(c.identities),
      phone: c.phone,
      active: c.active,
    }));
}

/** Every chat group, active or not, by id. */
export async function readChatGroups(db: Db | Tx): Promise<ChatGroupRow[]> {
  const rows = await db.chatGroup.findMany({
    include: { identities: { select: { channel: true, externalId: true } } },
  });
  return rows
    .sort((a, b) => byCodePoint(a.id, b.id))
    .map((g) => ({
      id: g.id,
      name: g.name,
      channel: g.channel,
      identities: identityMap(g.identities),
      audience: g.audience as Audience,
      prefectureCode: g.prefectureCode,
      copyReminders: g.copyReminders,
      active: g.active,
    }));
}

export async function readProgrammeYear(db: Db | Tx, year: number): Promise<ProgrammeYearRow | undefined> {
  const py = await db.programmeYear.findUnique({ where: { year } });
  if (!py) return undefined;
  const quarters = await db.programmeQuarter.findMany({ where: { year }, orderBy: { quarter: "asc" } });
  return {
    year,
    title: py.title,
    isSample: py.isSample,
    settings: py.settings,
    quarters: quarters.map((q) => ({
      quarter: q.quarter as 1 | 2 | 3 | 4,
      deadline: q.deadline,
      expectedProgressPct: q.expectedProgressPct,
    })),
  };
}

/**
 * The whole programme of a year in a stable order (the roster export): year, prefectures,
 * indicators, all zones/contacts/groups (active or not), the year's memberships and targets.
 */
export async function readProgrammeData(db: Db | Tx, year: number): Promise<ProgrammeData | undefined> {
  const programme = await readProgrammeYear(db, year);
  if (!programme) return undefined;
  const indicators = await readIndicators(db, year);
  const indicatorRank = new Map(indicators.map((i, n) => [i.key, n]));
  const memberships = (await db.zoneMembership.findMany({ where: { year } }))
    .map((m) => ({ zoneId: m.zoneId, groupCode: m.groupCode as GroupCode }))
    .sort(
      (a, b) =>
        byCodePoint(a.zoneId, b.zoneId) || (GROUP_ORDER[a.groupCode] ?? 9) - (GROUP_ORDER[b.groupCode] ?? 9),
    );
  const targets = (await db.target.findMany({ where: { year } }))
    .map((t) => ({
      scope: t.scope as "zone" | "group",
      zoneId: t.zoneId,
      groupCode: t.groupCode as GroupCode | "",
      indicatorKey: t.indicatorKey,
      value: t.value,
    }))
    .sort(
      (a, b) =>
        (a.scope === b.scope ? 0 : a.scope === "zone" ? -1 : 1) ||
        byCodePoint(a.zoneId, b.zoneId) ||
        (GROUP_ORDER[a.groupCode] ?? 9) - (GROUP_ORDER[b.groupCode] ?? 9) ||
        (indicatorRank.get(a.indicatorKey) ?? 999) - (indicatorRank.get(b.indicatorKey) ?? 999) ||
        byCodePoint(a.indicatorKey, b.indicatorKey),
    );
  return {
    year,
    programme,
    prefectures: await readPrefectures(db),
    indicators,
    zones: await readZones(db),
    memberships,
    targets,
    contacts: await readContacts(db),
    chatGroups: await readChatGroups(db),
  };
}
