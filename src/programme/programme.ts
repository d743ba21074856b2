import { z } from "zod";
import type { Audience, GroupCode, IndicatorKind, OutboxChannel, Role } from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import type { Quarter } from "../domain/period.js";

/** A programme year as loaded from the store: everything the parser, reminders and assessment read. */
export interface Programme {
  year: number;
  title: string;
  isSample: boolean;
  quarters: ProgrammeQuarterDef[];
  indicators: IndicatorDef[];
  prefectures: PrefectureDef[];
  zones: ZoneDef[];
  targets: TargetDef[];
  settings: ProgrammeSettings;
}

export interface ProgrammeQuarterDef {
  quarter: Quarter;
  /** Local date "YYYY-MM-DD" (Asia/Shanghai). */
  deadline: string;
  expectedProgressPct: Decimal;
}

export interface IndicatorDef {
  key: string;
  label: string;
  aliases: string[];
  unit: string;
  kind: IndicatorKind;
  cumulative: boolean;
  required: boolean;
  /** Groups it applies to; empty = every group. */
  groups: GroupCode[];
  sortOrder: number;
}

export interface PrefectureDef {
  code: string;
  name: string;
  shortName: string;
  sortOrder: number;
}

export interface ZoneDef {
  id: string;
  name: string;
  shortName: string;
  aliases: string[];
  prefectureCode: string;
  /** Groups this zone belongs to in this programme year. */
  groups: GroupCode[];
}

export interface TargetDef {
  scope: "zone" | "group";
  zoneId?: string;
  groupCode?: GroupCode;
  indicatorKey: string;
  value: Decimal;
}

export interface ContactDef {
  id: string;
  name: string;
  role: Role;
  prefectureCode: string | null;
  /**
   * How the contact is known per identity channel (ContactIdentity): channel → external id. The
   * channel names belong to the transports (bot/transports/<name>/channel.ts), not to the core.
   */
  identities: Readonly<Record<string, string>>;
  active: boolean;
}

export interface ChatGroupDef {
  id: string;
  name: string;
  /** The outbox channel the group is reached on (a transport's name; the roster sheet lists the words for them). */
  channel: OutboxChannel;
  /**
   * How the group is known per identity channel (ChatGroupIdentity): channel → external id (a chat
   * id, a room id or name, the name of a variable holding a key). Named by the transports; the
   * delivery routes say which of them reaches the group on its channel.
   */
  identities: Readonly<Record<string, string>>;
  audience: Audience;
  prefectureCode: string | null;
  copyReminders: boolean;
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** A threshold as a decimal string, checked when the settings are read (not first when a circular is drafted). */
const nonNegativeDecimal = z.string().regex(/^\d+(\.\d+)?$/, '应为非负数（写成字符串），例如 "0.5"');

/** Settings stored as JSON on the programme year; every field has a default. */
export const programmeSettingsSchema = z.object({
  reminders: z
    .object({
      time: hhmm.default("09:30"),
      /** Days before the deadline (0 = the deadline day). */
      beforeDays: z.array(z.number().int().min(0).max(60)).default([7, 3, 1, 0]),
      openingNotice: z.boolean().default(true),
      overdueMax: z.number().int().min(0).max(30).default(5),
      /** From this overdue workday on, the bureau lead is told too. */
      escalateLeadFromOverdueDay: z.number().int().min(1).default(2),
      taskForceDigest: z.boolean().default(true),
      /**
       * Attach the bureau's pre-filled report workbook (src/files/bureau-form.ts) to the opening notice
       * and each reminder to a bureau contact, as a file message after the text.
       */
      attachForm: z.boolean().default(false),
    })
    .prefault({}),
  assessment: z
    .object({
      /** Below this share of expected progress a zone is 严重滞后. */
      severeShareOfExpected: nonNegativeDecimal.default("0.5"),
      /** At Q3/Q4, completion below this percentage puts a zone at risk of leaving the list. */
      atRiskBelowPct: nonNegativeDecimal.default("60"),
      /**
       * What a grade's share is measured against: "groupTarget" — the zone's value as a share of the
       * group's annual target (meaningful whoever else has reported); "reportedTotal" — a share of the
       * reported zones' total, 暂定 (provisional) until every zone of the group has reported.
       */
      gradeBasis: z.enum(["groupTarget", "reportedTotal"]).default("groupTarget"),
      /** Grade bands by share (descending cut-offs in %, one grade per band), measured per gradeBasis. */
      gradeBands: z
        .array(z.object({ grade: z.string().min(1), minSharePct: nonNegativeDecimal }))
        .min(1, "至少需要一个档次")
        .default([
          { grade: "一档", minSharePct: "8" },
          { grade: "二档", minSharePct: "4" },
          { grade: "三档", minSharePct: "1" },
          { grade: "四档", minSharePct: "0" },
        ]),
    })
    .prefault({}),
});
export type ProgrammeSettings = z.infer<typeof programmeSettingsSchema>;

export function zonesOfPrefecture(p: Programme, prefectureCode: string): ZoneDef[] {
  return p.zones.filter((z) => z.prefectureCode === prefectureCode && z.groups.length > 0);
}

/** Indicators a zone must/may report: those whose groups intersect the zone's (or apply to all). */
export function indicatorsForZone(p: Programme, zone: ZoneDef): IndicatorDef[] {
  return p.indicators.filter((i) => i.groups.length === 0 || i.groups.some((g) => zone.groups.includes(g)));
}

export function zoneTarget(p: Programme, zoneId: string, indicatorKey: string): Decimal | undefined {
  return p.targets.find((t) => t.scope === "zone" && t.zoneId === zoneId && t.indicatorKey === indicatorKey)
    ?.value;
}

export function groupTarget(p: Programme, groupCode: GroupCode, indicatorKey: string): Decimal | undefined {
  return p.targets.find(
    (t) => t.scope === "group" && t.groupCode === groupCode && t.indicatorKey === indicatorKey,
  )?.value;
}

export function quarterDef(p: Programme, quarter: Quarter): ProgrammeQuarterDef {
  const q = p.quarters.find((x) => x.quarter === quarter);
  if (!q) throw new Error(`programme ${p.year} has no Q${quarter}`);
  return q;
}

export { Decimal };
