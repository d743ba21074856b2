import type { GroupCode } from "../domain/codes.js";
import type { ChatGroupDef, ContactDef, IndicatorDef, PrefectureDef } from "./programme.js";

/**
 * A programme as plain rows, in the shape the store holds it (JSON columns as arrays, decimals as
 * canonical strings). The sample seed and the roster import write it with applyProgrammeData();
 * the roster export reads it with readProgrammeData().
 */
export interface ProgrammeData {
  /** Set up / replace the programme year itself (title, deadlines, settings); absent = keep as is. */
  programme?: ProgrammeYearRow;
  /** The year the year-scoped rows (indicators, memberships, targets) belong to. */
  year: number;
  prefectures?: PrefectureRow[];
  indicators?: IndicatorRow[];
  zones?: ZoneRow[];
  memberships?: MembershipRow[];
  targets?: TargetRow[];
  contacts?: ContactRow[];
  chatGroups?: ChatGroupRow[];
}

export interface ProgrammeYearRow {
  year: number;
  title: string;
  isSample: boolean;
  /** JSON text of ProgrammeSettings ("{}" = all defaults). */
  settings: string;
  quarters: QuarterRow[];
}

export interface QuarterRow {
  quarter: 1 | 2 | 3 | 4;
  /** "YYYY-MM-DD", local date. */
  deadline: string;
  /** Canonical decimal string, e.g. "25". */
  expectedProgressPct: string;
}

export type PrefectureRow = PrefectureDef;

export type IndicatorRow = IndicatorDef;

export interface ZoneRow {
  id: string;
  name: string;
  shortName: string;
  aliases: string[];
  prefectureCode: string;
  active: boolean;
}

export interface MembershipRow {
  zoneId: string;
  groupCode: GroupCode;
}

export interface TargetRow {
  scope: "zone" | "group";
  /** "" for a group aggregate. */
  zoneId: string;
  /** "" for a zone target. */
  groupCode: GroupCode | "";
  indicatorKey: string;
  /** Canonical decimal string in the indicator's unit (万元 for money). */
  value: string;
}

/** A contact as stored (the programme's ContactDef plus the phone, which only the roster carries). */
export interface ContactRow extends ContactDef {
  phone: string | null;
}

/** A chat group as stored, active or not. */
export interface ChatGroupRow extends ChatGroupDef {
  active: boolean;
}

/** Per table: rows created, updated (changed), deleted (year rows absent from the data) or deactivated. */
export interface ChangeCount {
  created: number;
  updated: number;
  deleted: number;
  deactivated: number;
  unchanged: number;
  /** Row by row, when asked for (ApplyOptions.rows): what each changed row was and becomes. */
  rows?: RowChange[];
}

/** One changed row: its key (and name), and for an update each column before → after. */
export interface RowChange {
  kind: "created" | "updated" | "deleted" | "deactivated";
  /** The row's key columns joined by " · ", with its name in front when it has one. */
  row: string;
  fields: { column: string; before: string; after: string }[];
}

export type ProgrammeChanges = Record<
  | "programmeYears"
  | "quarters"
  | "prefectures"
  | "indicators"
  | "zones"
  | "memberships"
  | "targets"
  | "contacts"
  | "chatGroups",
  ChangeCount
>;

export function totalChanged(changes: ProgrammeChanges): number {
  return Object.values(changes).reduce((n, c) => n + c.created + c.updated + c.deleted + c.deactivated, 0);
}
