import type { GroupCode } from "../domain/codes.js";
import type {
  IndicatorRow,
  MembershipRow,
  PrefectureRow,
  TargetRow,
  ZoneRow,
} from "../programme/programme-data.js";
import { yiToWan } from "../programme/programme-view.js";
import type { NameIndex } from "./roster-resolvers.js";
import { choices, GROUP_WORDS, parseBool, parseDecimal, parseGroup, parseList } from "./roster-values.js";
import { required, type SheetTable, type TableRow } from "./sheet-table.js";

/** Resolves a prefecture cell; reports unknown or ambiguous names. */
export function resolvePrefecture(
  row: TableRow,
  key: string,
  text: string,
  prefectures: NameIndex<PrefectureRow>,
): string | undefined {
  const r = prefectures.find(text);
  if (r.item) return r.item.code;
  row.issue(
    key,
    r.ambiguous
      ? `市州 "${text}" 不唯一 (${r.ambiguous.map((p) => p.code).join("、")})，请填代码`
      : `未知的市州 "${text}"，请填市州简称、全称或代码，例如 黔南 或 5227`,
  );
  return undefined;
}

/** 经开区. Stored zones absent from the sheet are deactivated but keep their names, which stay taken. */
export function parseZoneSheet(
  t: SheetTable,
  prefectures: NameIndex<PrefectureRow>,
  stored: ZoneRow[],
): ZoneRow[] {
  const out: ZoneRow[] = [];
  const rowOf = new Map<string, TableRow>();
  const inSheet = new Set(t.rows.map((r) => r.get("id")));
  /** name/short name/"#id" → who holds it (row 0 = a stored zone absent from the sheet). */
  const owner = new Map<string, { id: string; row: number }>();
  for (const z of stored.filter((x) => !inSheet.has(x.id)))
    for (const n of [z.name, z.shortName]) owner.set(n, { id: z.id, row: 0 });
  for (const row of t.rows) {
    const id = required(row, t, "id");
    if (id !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/.test(id)) {
      row.issue("id", `编号只能用字母、数字、- 和 _ (读到 "${id}")，例如 Z5227-HUISHUI`);
      continue;
    }
    const name = required(row, t, "name");
    const shortName = required(row, t, "shortName");
    const prefText = required(row, t, "prefecture");
    const prefectureCode =
      prefText === undefined ? undefined : resolvePrefecture(row, "prefecture", prefText, prefectures);
    const active = parseBool(row.get("active"), true);
    if (active === undefined) row.issue("active", `应为 是 或 否 (读到 "${row.get("active")}")`);
    if (id !== undefined) {
      const prev = owner.get(`#${id}`);
      if (prev) {
        row.issue("id", `编号 "${id}" 与第 ${prev.row} 行重复`);
        continue;
      }
      owner.set(`#${id}`, { id, row: row.rowNumber });
    }
    let clash = false;
    for (const [key, value] of [
      ["name", name],
      ["shortName", shortName],
    ] as const) {
      if (value === undefined || id === undefined) continue;
      const o = owner.get(value);
      if (o && o.id !== id) {
        clash = true;
        row.issue(
          key,
          o.row > 0
            ? `"${value}" 与第 ${o.row} 行的经开区 ${o.id} 重名`
            : `"${value}" 已被本表未列出的经开区 ${o.id} 使用（它将被停用但保留名称）；如为同一经开区请沿用编号 ${o.id}`,
        );
      } else owner.set(value, { id, row: row.rowNumber });
    }
    if (id && name && shortName && prefectureCode && active !== undefined && !clash) {
      out.push({ id, name, shortName, aliases: parseList(row.get("aliases")), prefectureCode, active });
      rowOf.set(id, row);
    }
  }
  for (const z of out)
    for (const a of z.aliases) {
      const o = owner.get(a);
      if (o && o.id !== z.id) rowOf.get(z.id)?.issue("aliases", `别名 "${a}" 是经开区 ${o.id} 的名称或简称`);
    }
  return out;
}

/**
 * The zones membership and target rows may name. When the file has its own 经开区 sheet, a zone it
 * marks 停用 may keep its memberships and targets (inert while it is off — this is what an export
 * of such a store holds); a zone that is off in the store cannot be listed by a file that does not
 * list it.
 */
export interface ZoneLookup {
  zones: NameIndex<ZoneRow>;
  byId: Map<string, ZoneRow>;
  inactiveAllowed: boolean;
}

/** Resolves the 经开区编号/经开区 pair of a row to one zone; reports empty, unknown, ambiguous or inactive. */
export function resolveZone(
  row: TableRow,
  { zones, byId, inactiveAllowed }: ZoneLookup,
): ZoneRow | undefined {
  const idText = row.get("zoneId");
  const nameText = row.get("zone");
  let zone: ZoneRow | undefined;
  if (idText !== "") {
    zone = byId.get(idText);
    if (!zone) {
      row.issue("zoneId", `未知的经开区编号 "${idText}"（需在「经开区」表或数据库中）`);
      return undefined;
    }
    if (nameText !== "") {
      const byName = zones.find(nameText);
      if (byName.item?.id !== zone.id) {
        row.issue("zone", `经开区 "${nameText}" 与编号 ${idText}（${zone.shortName}）不一致`);
        return undefined;
      }
    }
  } else if (nameText !== "") {
    const r = zones.find(nameText);
    if (!r.item) {
      row.issue(
        "zone",
        r.ambiguous
          ? `经开区 "${nameText}" 不唯一 (${r.ambiguous.map((z) => z.id).join("、")})，请填经开区编号`
          : `未知的经开区 "${nameText}"，请填简称、名称、别名或编号，例如 惠水`,
      );
      return undefined;
    }
    zone = r.item;
  } else {
    row.issue("zone", "经开区为空：请填写「经开区编号」或「经开区」，例如 惠水");
    return undefined;
  }
  if (!zone.active && !inactiveAllowed) {
    row.issue(
      idText !== "" ? "zoneId" : "zone",
      `经开区 ${zone.id}（${zone.shortName}）已停用；如需列入，请在「经开区」表中把它的「启用」改为 是 并一同导入`,
    );
    return undefined;
  }
  return zone;
}

function resolveGroup(row: TableRow, text: string): GroupCode | undefined {
  const g = parseGroup(text);
  if (!g) row.issue("group", `未知的名单 "${text}"，可用: ${choices(GROUP_WORDS)}`);
  return g;
}

/** 培育名单 */
export function parseMembershipSheet(t: SheetTable, lookup: ZoneLookup): MembershipRow[] {
  const out: MembershipRow[] = [];
  const seen = new Map<string, number>();
  for (const row of t.rows) {
    const zone = resolveZone(row, lookup);
    const groupText = required(row, t, "group");
    const group = groupText === undefined ? undefined : resolveGroup(row, groupText);
    if (!zone || !group) continue;
    const key = `${zone.id}|${group}`;
    if (seen.has(key)) {
      row.issue("group", `${zone.shortName} 在该名单中与第 ${seen.get(key)} 行重复`);
      continue;
    }
    seen.set(key, row.rowNumber);
    out.push({ zoneId: zone.id, groupCode: group });
  }
  return out;
}

/** Converts a target value to the indicator's canonical unit; undefined (and an issue) when invalid. */
function targetValue(row: TableRow, indicator: IndicatorRow): string | undefined {
  const text = row.get("value");
  if (text === "") {
    row.issue("value", `「目标值」不能为空（例如: ${indicator.kind === "money" ? "50000" : "10"}）`);
    return undefined;
  }
  const value = parseDecimal(text.replace(/%$/, ""));
  if (!value) {
    row.issue(
      "value",
      `目标值应为数字 (读到 "${text}")，例如 ${indicator.kind === "money" ? "50000" : "10"}`,
    );
    return undefined;
  }
  if (value.isNegative()) {
    row.issue("value", `目标值不能为负数 (读到 "${text}")`);
    return undefined;
  }
  const unit = row.get("unit").replace(/\s+/g, "");
  if (indicator.kind === "money") {
    if (unit === "" || unit === "万元" || unit === "万") return value.toString();
    if (unit === "亿元" || unit === "亿") return yiToWan(value).toString();
    row.issue("unit", `金额单位应为 万元 或 亿元 (读到 "${unit}")`);
    return undefined;
  }
  if (unit !== "" && unit !== indicator.unit) {
    row.issue("unit", `指标「${indicator.label}」的单位是 ${indicator.unit || "无"} (读到 "${unit}")`);
    return undefined;
  }
  if (indicator.kind === "count" && !value.isInteger()) {
    row.issue("value", `数量目标应为整数 (读到 "${text}")`);
    return undefined;
  }
  return value.toString();
}

/** 目标 */
export function parseTargetSheet(
  t: SheetTable,
  lookup: ZoneLookup,
  indicators: NameIndex<IndicatorRow>,
): TargetRow[] {
  const out: TargetRow[] = [];
  const seen = new Map<string, number>();
  for (const row of t.rows) {
    const groupText = row.get("group");
    const hasZone = row.get("zoneId") !== "" || row.get("zone") !== "";
    if (groupText !== "" && hasZone) {
      row.issue("group", "经开区目标不填「名单」；名单合计目标不填经开区（二者只填其一）");
      continue;
    }
    let target: Pick<TargetRow, "scope" | "zoneId" | "groupCode"> | undefined;
    if (groupText !== "") {
      const g = resolveGroup(row, groupText);
      if (g) target = { scope: "group", zoneId: "", groupCode: g };
    } else {
      const zone = resolveZone(row, lookup);
      if (zone) target = { scope: "zone", zoneId: zone.id, groupCode: "" };
    }
    const indText = required(row, t, "indicator");
    let indicator: IndicatorRow | undefined;
    if (indText !== undefined) {
      const r = indicators.find(indText);
      indicator = r.item;
      if (!indicator)
        row.issue(
          "indicator",
          r.ambiguous
            ? `指标 "${indText}" 不唯一 (${r.ambiguous.map((i) => i.key).join("、")})，请填指标代码`
            : `未知的指标 "${indText}"，请填指标代码、名称或别名，例如 进出口额`,
        );
      else if (indicator.kind === "text") {
        row.issue("indicator", `文本指标「${indicator.label}」不设目标`);
        indicator = undefined;
      }
    }
    const value = indicator ? targetValue(row, indicator) : undefined;
    if (!target || !indicator || value === undefined) continue;
    const key = `${target.scope}|${target.zoneId}|${target.groupCode}|${indicator.key}`;
    if (seen.has(key)) {
      row.issue("indicator", `该目标与第 ${seen.get(key)} 行重复`);
      continue;
    }
    seen.set(key, row.rowNumber);
    out.push({ ...target, indicatorKey: indicator.key, value });
  }
  return out;
}
