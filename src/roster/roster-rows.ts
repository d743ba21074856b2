import type { ProgrammeData } from "../programme/programme-data.js";
import { HELP_SHEET, identityColumns, SHEET_NAMES, SHEETS, type SheetName } from "./roster-sheets.js";
import {
  AUDIENCE_WORDS,
  boolText,
  CHANNEL_WORDS,
  GROUP_WORDS,
  KIND_WORDS,
  listText,
  ROLE_WORDS,
  wordOf,
} from "./roster-values.js";

export type Cell = string | number;

/** A sheet to write: header row first. */
export interface SheetRows {
  name: string;
  rows: Cell[][];
}

/** A decimal string as a number cell when that is exact, else as text. */
function num(value: string): Cell {
  const n = Number(value);
  return Number.isFinite(n) && String(n) === value ? n : value;
}

const headers = (name: SheetName): string[] => SHEETS[name].columns.map((c) => c.header);

/** The 说明 sheet: what each sheet and column means, with examples. */
export function helpSheet(): SheetRows {
  const rows: Cell[][] = [["工作表", "列", "必填", "说明", "示例"]];
  rows.push([
    "（总则）",
    "",
    "",
    "每个工作表第1行为表头。只有表头的空表不处理。导入时，文件中出现的工作表即为该类数据的完整名单：经开区、联系人、群聊未列出者停用；" +
      "本年度的指标、培育名单、目标未列出者删除。未出现的工作表保持不变。任一行有错则整个文件不导入。" +
      "csv 文件一表一文件，文件名须包含工作表名（如 联系人.csv），可为 UTF-8 或 GBK 编码。",
    "",
  ]);
  for (const name of SHEET_NAMES) {
    const def = SHEETS[name];
    rows.push([name, "", "", def.help, ""]);
    for (const c of def.columns) rows.push([name, c.header, c.required ? "是" : "否", c.help, c.example]);
  }
  return { name: HELP_SHEET, rows };
}

/** ProgrammeData → the roster sheets (only the sections the data has; 年度 needs data.programme). */
export function rosterSheets(d: ProgrammeData): SheetRows[] {
  const out: SheetRows[] = [];
  const prefShort = new Map((d.prefectures ?? []).map((p) => [p.code, p.shortName]));
  const pref = (code: string | null) => (code === null ? "" : (prefShort.get(code) ?? code));
  const zoneShort = new Map((d.zones ?? []).map((z) => [z.id, z.shortName]));
  const indicatorLabel = new Map((d.indicators ?? []).map((i) => [i.key, i]));
  if (d.programme) {
    const p = d.programme;
    const q = (n: number) => p.quarters.find((x) => x.quarter === n);
    out.push({
      name: "年度",
      rows: [
        headers("年度"),
        [
          p.year,
          p.title,
          boolText(p.isSample),
          ...[1, 2, 3, 4].map((n) => q(n)?.deadline ?? ""),
          ...[1, 2, 3, 4].map((n) => num(q(n)?.expectedProgressPct ?? "")),
          p.settings,
        ],
      ],
    });
  }
  if (d.indicators)
    out.push({
      name: "指标",
      rows: [
        headers("指标"),
        ...d.indicators.map((i) => [
          i.key,
          i.label,
          listText(i.aliases),
          i.unit,
          wordOf(KIND_WORDS, i.kind),
          boolText(i.cumulative),
          boolText(i.required),
          listText(i.groups.map((g) => wordOf(GROUP_WORDS, g))),
          i.sortOrder,
        ]),
      ],
    });
  if (d.prefectures)
    out.push({
      name: "市州",
      rows: [headers("市州"), ...d.prefectures.map((p) => [p.code, p.name, p.shortName, p.sortOrder])],
    });
  if (d.zones)
    out.push({
      name: "经开区",
      rows: [
        headers("经开区"),
        ...d.zones.map((z) => [
          z.id,
          z.name,
          z.shortName,
          listText(z.aliases),
          pref(z.prefectureCode),
          boolText(z.active),
        ]),
      ],
    });
  if (d.memberships)
    out.push({
      name: "培育名单",
      rows: [
        headers("培育名单"),
        ...d.memberships.map((m) => [
          m.zoneId,
          zoneShort.get(m.zoneId) ?? "",
          wordOf(GROUP_WORDS, m.groupCode),
        ]),
      ],
    });
  if (d.targets)
    out.push({
      name: "目标",
      rows: [
        headers("目标"),
        ...d.targets.map((t) => {
          const ind = indicatorLabel.get(t.indicatorKey);
          return [
            t.zoneId,
            t.zoneId ? (zoneShort.get(t.zoneId) ?? "") : "",
            t.groupCode ? wordOf(GROUP_WORDS, t.groupCode) : "",
            ind?.label ?? t.indicatorKey,
            num(t.value),
            ind?.unit ?? "",
          ];
        }),
      ],
    });
  if (d.contacts)
    out.push({
      name: "联系人",
      rows: [
        headers("联系人"),
        ...d.contacts.map((c) => [
          c.id,
          c.name,
          wordOf(ROLE_WORDS, c.role),
          pref(c.prefectureCode),
          ...identityColumns().map((col) => c.identities[col.identity] ?? ""),
          c.phone ?? "",
          boolText(c.active),
        ]),
      ],
    });
  if (d.chatGroups)
    out.push({
      name: "群聊",
      rows: [
        headers("群聊"),
        ...d.chatGroups.map((g) => [
          g.id,
          g.name,
          wordOf(CHANNEL_WORDS, g.channel),
          ...identityColumns("群聊").map((col) => g.identities[col.identity] ?? ""),
          wordOf(AUDIENCE_WORDS, g.audience),
          pref(g.prefectureCode),
          boolText(g.copyReminders),
          boolText(g.active),
        ]),
      ],
    });
  return out;
}

/** Empty sheets with headers only (the template), except where `prefill` has rows. */
export function templateSheets(prefill: ProgrammeData): SheetRows[] {
  const filled = new Map(rosterSheets(prefill).map((s) => [s.name, s]));
  return SHEET_NAMES.map((name) => filled.get(name) ?? { name, rows: [headers(name)] });
}
