import { z } from "zod";
import type { Db, Tx } from "../db/database.js";
import {
  type Audience,
  type GroupChannel,
  type GroupCode,
  groupCodeSchema,
  type IndicatorKind,
  type Role,
} from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import type { Quarter } from "../domain/period.js";
import { type ChatGroupDef, type ContactDef, type Programme, programmeSettingsSchema } from "./programme.js";
import { parseStoredJson } from "./stored-json.js";

const stringList = z.array(z.string());
const groupList = z.array(groupCodeSchema);

export async function listProgrammeYears(db: Db | Tx): Promise<number[]> {
  const rows = await db.programmeYear.findMany({ select: { year: true }, orderBy: { year: "asc" } });
  return rows.map((r) => r.year);
}

/** Loads a programme year with everything hanging off it; undefined when the year is not set up. */
export async function loadProgramme(db: Db | Tx, year: number): Promise<Programme | undefined> {
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

function toContact(c: {
  id: string;
  name: string;
  role: string;
  prefectureCode: string | null;
  wecomUserId: string | null;
  wechatId: string | null;
  wechatAlias: string | null;
  active: boolean;
}): ContactDef {
  return { ...c, role: c.role as Role };
}

/** Finds a contact by id, WeCom userid or WeChat id (the CLI's --as and the transports' sender ids). */
export async function findContact(db: Db | Tx, ref: string): Promise<ContactDef | undefined> {
  const c = await db.contact.findFirst({
    where: { OR: [{ id: ref }, { wecomUserId: ref }, { wechatId: ref }] },
  });
  return c ? toContact(c) : undefined;
}

export async function listContacts(
  db: Db | Tx,
  where: { prefectureCode?: string; role?: Role } = {},
): Promise<ContactDef[]> {
  const rows = await db.contact.findMany({ where: { active: true, ...where }, orderBy: { id: "asc" } });
  return rows.map(toContact);
}

export async function listChatGroups(db: Db | Tx): Promise<ChatGroupDef[]> {
  const rows = await db.chatGroup.findMany({ where: { active: true }, orderBy: { id: "asc" } });
  return rows.map((g) => ({ ...g, channel: g.channel as GroupChannel, audience: g.audience as Audience }));
}
