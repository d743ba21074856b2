import { GROUP_CODES, type GroupCode } from "../domain/codes.js";
import { programmeSettingsSchema } from "../programme/programme.js";
import type {
  IndicatorRow,
  PrefectureRow,
  ProgrammeYearRow,
  QuarterRow,
} from "../programme/programme-data.js";
import {
  choices,
  GROUP_WORDS,
  KIND_WORDS,
  parseBool,
  parseDate,
  parseDecimal,
  parseGroup,
  parseInteger,
  parseKind,
  parseList,
} from "./roster-values.js";
import { required, type SheetTable } from "./sheet-table.js";

const QUARTERS = [1, 2, 3, 4] as const;

/** 年度: exactly one row. */
export function parseYearSheet(t: SheetTable): ProgrammeYearRow | undefined {
  if (t.rows.length !== 1) {
    t.sheetIssue(t.rows[1]?.rowNumber ?? 2, "", "", `应只有一行数据 (读到 ${t.rows.length} 行)`);
    return undefined;
  }
  const row = t.rows[0]!;
  let ok = true;
  const yearText = required(row, t, "year");
  const year = yearText === undefined ? undefined : parseInteger(yearText);
  if (yearText !== undefined && (year === undefined || year < 2000 || year > 2100)) {
    row.issue("year", `应为四位年份 (读到 "${yearText}")，例如 2023`);
    ok = false;
  }
  const title = required(row, t, "title");
  const isSample = parseBool(row.get("isSample"), false);
  if (isSample === undefined) {
    row.issue("isSample", `应为 是 或 否 (读到 "${row.get("isSample")}")`);
    ok = false;
  }
  const quarters: QuarterRow[] = [];
  for (const q of QUARTERS) {
    const dText = required(row, t, `q${q}Deadline`);
    const deadline = dText === undefined ? undefined : parseDate(dText);
    if (dText !== undefined && deadline === undefined)
      row.issue(`q${q}Deadline`, `应为日期 YYYY-MM-DD (读到 "${dText}")，例如 2023-04-22`);
    const pText = required(row, t, `q${q}Progress`);
    const pct = pText === undefined ? undefined : parseDecimal(pText.replace(/%$/, ""));
    if (pText !== undefined && (pct === undefined || pct.isNegative() || pct.gt(100)))
      row.issue(`q${q}Progress`, `应为 0–100 的数字 (读到 "${pText}")，例如 25`);
    if (deadline && pct && !pct.isNegative() && !pct.gt(100))
      quarters.push({ quarter: q, deadline, expectedProgressPct: pct.toString() });
    else ok = false;
  }
  if (ok && year !== undefined) {
    for (const q of quarters) {
      const y = Number(q.deadline.slice(0, 4));
      if (y !== year && !(q.quarter === 4 && y === year + 1))
        row.issue(`q${q.quarter}Deadline`, `截止日期 ${q.deadline} 不在 ${year} 年度内（四季度可在次年）`);
    }
    for (let i = 1; i < quarters.length; i++)
      if (quarters[i]!.deadline <= quarters[i - 1]!.deadline)
        row.issue(
          `q${quarters[i]!.quarter}Deadline`,
          `截止日期应晚于上一季度 (${quarters[i - 1]!.deadline})`,
        );
  }
  const settingsText = row.get("settings") || "{}";
  let settingsOk = true;
  try {
    const json: unknown = JSON.parse(settingsText);
    const parsed = programmeSettingsSchema.safeParse(json);
    if (!parsed.success) {
      settingsOk = false;
      const read = (path: PropertyKey[]) => {
        const v = path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | null)?.[k], json);
        return v === undefined ? "" : ` (读到 ${JSON.stringify(v)})`;
      };
      row.issue(
        "settings",
        `设置不符合要求: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}${read(i.path)}`).join("; ")}`,
      );
    }
  } catch {
    settingsOk = false;
    row.issue("settings", `应为 JSON (读到 "${settingsText.slice(0, 60)}")，留空表示默认，例如 {}`);
  }
  if (!ok || !settingsOk || year === undefined || !title || isSample === undefined || quarters.length !== 4)
    return undefined;
  return { year, title, isSample, settings: settingsText, quarters };
}

/** 指标 */
export function parseIndicatorSheet(t: SheetTable): IndicatorRow[] {
  const out: IndicatorRow[] = [];
  const seen = new Map<string, number>();
  t.rows.forEach((row, n) => {
    const key = required(row, t, "key");
    if (key !== undefined && !/^[a-z][a-z0-9_]{0,40}$/.test(key)) {
      row.issue("key", `应为英文小写字母、数字、下划线 (读到 "${key}")，例如 trade_total`);
      return;
    }
    if (key !== undefined && seen.has(key)) {
      row.issue("key", `指标代码 "${key}" 与第 ${seen.get(key)} 行重复`);
      return;
    }
    if (key !== undefined) seen.set(key, row.rowNumber);
    const label = required(row, t, "label");
    const kindText = required(row, t, "kind");
    const kind = kindText === undefined ? undefined : parseKind(kindText);
    if (kindText !== undefined && !kind)
      row.issue("kind", `应为 ${choices(KIND_WORDS)} (读到 "${kindText}")`);
    let unit = row.get("unit");
    if (kind === "money" && unit !== "万元") {
      if (unit === "") unit = "万元";
      else row.issue("unit", `金额指标的单位应为 万元 (读到 "${unit}")`);
    }
    if (kind === "percent" && unit !== "%") {
      if (unit === "") unit = "%";
      else row.issue("unit", `百分比指标的单位应为 % (读到 "${unit}")`);
    }
    if (kind === "count" && unit === "") row.issue("unit", "数量指标需要单位，例如 个、次、家、场");
    if (kind === "text" && unit !== "") row.issue("unit", `文本指标不设单位 (读到 "${unit}")`);
    const flags = (["cumulative", "required"] as const).map((k) => {
      const text = required(row, t, k);
      const b = text === undefined ? undefined : parseBool(text, false);
      if (text !== undefined && b === undefined) row.issue(k, `应为 是 或 否 (读到 "${text}")`);
      return b;
    });
    const groups: GroupCode[] = [];
    for (const g of parseList(row.get("groups"))) {
      const code = parseGroup(g);
      if (code) groups.push(code);
      else row.issue("groups", `未知的名单 "${g}"，可用: ${choices(GROUP_WORDS)}`);
    }
    const sortText = row.get("sortOrder");
    const sortOrder = sortText === "" ? (n + 1) * 10 : parseInteger(sortText);
    if (sortOrder === undefined) row.issue("sortOrder", `应为整数 (读到 "${sortText}")，例如 10`);
    if (key && label && kind && flags[0] !== undefined && flags[1] !== undefined && sortOrder !== undefined)
      out.push({
        key,
        label,
        aliases: parseList(row.get("aliases")),
        unit,
        kind,
        cumulative: flags[0],
        required: flags[1],
        groups: GROUP_CODES.filter((g) => groups.includes(g)),
        sortOrder,
      });
  });
  return out;
}

/** 市州 */
export function parsePrefectureSheet(t: SheetTable): PrefectureRow[] {
  const out: PrefectureRow[] = [];
  const seen = new Map<string, number>();
  t.rows.forEach((row, n) => {
    const code = required(row, t, "code");
    if (code !== undefined && !/^\d{4,6}$/.test(code)) {
      row.issue("code", `应为行政区划代码数字 (读到 "${code}")，例如 5227`);
      return;
    }
    const name = required(row, t, "name");
    const shortName = required(row, t, "shortName");
    for (const [key, value] of [
      ["code", code],
      ["name", name],
      ["shortName", shortName],
    ] as const) {
      if (value === undefined) continue;
      const k = `${key}:${value}`;
      if (seen.has(k)) row.issue(key, `"${value}" 与第 ${seen.get(k)} 行重复`);
      else seen.set(k, row.rowNumber);
    }
    const sortText = row.get("sortOrder");
    const sortOrder = sortText === "" ? n + 1 : parseInteger(sortText);
    if (sortOrder === undefined) row.issue("sortOrder", `应为整数 (读到 "${sortText}")`);
    if (code && name && shortName && sortOrder !== undefined) out.push({ code, name, shortName, sortOrder });
  });
  return out;
}
