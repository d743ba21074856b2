import type { Db, Tx } from "../db/database.js";
import { GROUP_CODES, type GroupCode } from "../domain/codes.js";
import type { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, Programme, ZoneDef } from "./programme.js";
import { loadProgramme } from "./programme-repository.js";

/** What `kaiqu programme show --json` prints: one programme year as plain JSON. */
export interface ProgrammeView {
  year: number;
  title: string;
  isSample: boolean;
  quarters: { quarter: number; deadline: string; expectedProgressPct: string }[];
  prefectures: { code: string; name: string; shortName: string; zoneCount: number }[];
  groups: Record<GroupCode, ZoneView[]>;
  /** Active zones in no group this year (e.g. the two national-level zones). */
  ungrouped: ZoneView[];
  indicators: IndicatorView[];
  targets: TargetView[];
  aggregates: TargetView[];
}

export interface ZoneView {
  id: string;
  name: string;
  shortName: string;
  /** Short name of the prefecture. */
  prefecture: string;
  prefectureCode: string;
  /** indicatorKey → annual target in the indicator's unit (万元 for money). */
  targets: Record<string, string>;
}

export interface IndicatorView {
  key: string;
  label: string;
  aliases: string[];
  unit: string;
  kind: string;
  cumulative: boolean;
  required: boolean;
  groups: GroupCode[];
}

export interface TargetView {
  scope: "zone" | "group";
  zoneId?: string;
  groupCode?: GroupCode;
  indicatorKey: string;
  /** In the indicator's unit (万元 for money). */
  value: string;
  unit: string;
  /** Money only: the value in 亿元. */
  valueYi?: string;
}

export const YI_IN_WAN = 10_000;

/** 万元 → 亿元, exact. */
export function wanToYi(value: Decimal): Decimal {
  return value.div(YI_IN_WAN);
}

/** 亿元 → 万元, exact. */
export function yiToWan(value: Decimal): Decimal {
  return value.times(YI_IN_WAN);
}

function targetView(t: Programme["targets"][number], indicator: IndicatorDef | undefined): TargetView {
  const money = indicator?.kind === "money";
  return {
    scope: t.scope,
    ...(t.zoneId ? { zoneId: t.zoneId } : {}),
    ...(t.groupCode ? { groupCode: t.groupCode } : {}),
    indicatorKey: t.indicatorKey,
    value: t.value.toString(),
    unit: indicator?.unit ?? "",
    ...(money ? { valueYi: wanToYi(t.value).toString() } : {}),
  };
}

export function programmeView(p: Programme): ProgrammeView {
  const prefectureOf = new Map(p.prefectures.map((x) => [x.code, x]));
  const indicatorOf = new Map(p.indicators.map((i) => [i.key, i]));
  const zoneTargets = new Map<string, Record<string, string>>();
  for (const t of p.targets) {
    if (t.scope !== "zone" || !t.zoneId) continue;
    zoneTargets.set(t.zoneId, { ...zoneTargets.get(t.zoneId), [t.indicatorKey]: t.value.toString() });
  }
  const zoneView = (z: ZoneDef): ZoneView => ({
    id: z.id,
    name: z.name,
    shortName: z.shortName,
    prefecture: prefectureOf.get(z.prefectureCode)?.shortName ?? z.prefectureCode,
    prefectureCode: z.prefectureCode,
    targets: zoneTargets.get(z.id) ?? {},
  });
  const prefectureRank = (code: string) => prefectureOf.get(code)?.sortOrder ?? Number.MAX_SAFE_INTEGER;
  const zones = [...p.zones].sort(
    (a, b) =>
      prefectureRank(a.prefectureCode) - prefectureRank(b.prefectureCode) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const groups = Object.fromEntries(
    GROUP_CODES.map((g) => [g, zones.filter((z) => z.groups.includes(g)).map(zoneView)]),
  ) as Record<GroupCode, ZoneView[]>;
  const targets = p.targets.map((t) => targetView(t, indicatorOf.get(t.indicatorKey)));
  return {
    year: p.year,
    title: p.title,
    isSample: p.isSample,
    quarters: p.quarters.map((q) => ({
      quarter: q.quarter,
      deadline: q.deadline,
      expectedProgressPct: q.expectedProgressPct.toString(),
    })),
    prefectures: p.prefectures.map((x) => ({
      code: x.code,
      name: x.name,
      shortName: x.shortName,
      zoneCount: zones.filter((z) => z.prefectureCode === x.code).length,
    })),
    groups,
    ungrouped: zones.filter((z) => z.groups.length === 0).map(zoneView),
    indicators: p.indicators.map((i) => ({
      key: i.key,
      label: i.label,
      aliases: i.aliases,
      unit: i.unit,
      kind: i.kind,
      cumulative: i.cumulative,
      required: i.required,
      groups: i.groups,
    })),
    targets: targets.filter((t) => t.scope === "zone"),
    aggregates: targets.filter((t) => t.scope === "group"),
  };
}

export async function loadProgrammeView(db: Db | Tx, year: number): Promise<ProgrammeView | undefined> {
  const p = await loadProgramme(db, year);
  return p ? programmeView(p) : undefined;
}
