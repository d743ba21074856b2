import type {
  ChatGroupRow,
  ContactRow,
  IndicatorRow,
  PrefectureRow,
  ProgrammeData,
  ZoneRow,
} from "../programme/programme-data.js";
import { parseChatGroupSheet, parseContactSheet } from "./parse-people-sheets.js";
import { parseIndicatorSheet, parsePrefectureSheet, parseYearSheet } from "./parse-year-sheets.js";
import { parseMembershipSheet, parseTargetSheet, parseZoneSheet } from "./parse-zone-sheets.js";
import { fileIssue, type RawSheet, type RosterIssue } from "./raw-sheet.js";
import { indicatorIndex, prefectureIndex, zoneIndex } from "./roster-resolvers.js";
import { HELP_SHEET, SHEET_NAMES, SHEETS, type SheetName } from "./roster-sheets.js";
import { Issues, SheetTable } from "./sheet-table.js";

/** What the import needs to know about the store. */
export interface RosterState {
  years: number[];
  prefectures: PrefectureRow[];
  zones: ZoneRow[];
  contacts: ContactRow[];
  chatGroups: ChatGroupRow[];
  /** Indicators stored for a year. */
  indicators(year: number): Promise<IndicatorRow[]>;
}

export interface ParsedRoster {
  /** Undefined when there is any issue. */
  data?: ProgrammeData;
  year?: number;
  issues: RosterIssue[];
  /** Sheets that were read (in workbook order). */
  sheets: SheetName[];
  /** Sheets present with headers only: skipped, their data left as it is. */
  emptySheets: SheetName[];
}

const YEAR_SHEETS: SheetName[] = ["指标", "培育名单", "目标"];

/**
 * Turns the sheets of one or more files into ProgrammeData for applyProgrammeData(). Zones,
 * contacts and groups absent from a sheet are deactivated only when the import says `replace`
 * (importRoster); the year's indicators/memberships/targets absent from a present sheet are
 * removed; a sheet absent leaves that kind as it is. `yearOption` (--year) applies when there is no 年度 sheet.
 */
export async function parseRoster(
  raw: RawSheet[],
  state: RosterState,
  yearOption: number | undefined,
): Promise<ParsedRoster> {
  const issues = new Issues();
  const tables = new Map<SheetName, SheetTable>();
  const empty: SheetName[] = [];
  for (const s of raw) {
    if (s.name === HELP_SHEET) continue;
    const name = SHEET_NAMES.find((n) => n === s.name);
    if (!name) {
      issues.add(
        fileIssue(
          s.source,
          `未知的工作表「${s.name}」；可用的工作表: ${SHEET_NAMES.join("、")}（以及 ${HELP_SHEET}）`,
          s.name,
        ),
      );
      continue;
    }
    if (s.rows.length === 0) {
      // A sheet with headers only is left out: an empty 经开区 sheet must not deactivate every zone.
      empty.push(name);
      continue;
    }
    const prev = tables.get(name);
    if (prev) {
      issues.add(fileIssue(s.source, `工作表「${name}」重复（另见 ${prev.raw.source}）`, s.name));
      continue;
    }
    tables.set(name, new SheetTable(s, SHEETS[name], issues));
  }
  const sheets = SHEET_NAMES.filter((n) => tables.has(n));
  const data: ProgrammeData = { year: 0 };

  const yearTable = tables.get("年度");
  if (yearTable) {
    const programme = parseYearSheet(yearTable);
    if (programme) data.programme = programme;
    if (programme && yearOption !== undefined && programme.year !== yearOption)
      yearTable.sheetIssue(2, "A", "年度", `表中年度 ${programme.year} 与 --year ${yearOption} 不一致`);
  }
  const year = data.programme?.year ?? yearOption ?? (yearTable ? undefined : state.years.at(-1));
  const needsYear = YEAR_SHEETS.filter((n) => tables.has(n));
  const yearIssue = (message: string) =>
    issues.add(fileIssue(tables.get(needsYear[0]!)!.raw.source, message, needsYear[0]!));
  if (year === undefined && needsYear.length > 0 && !yearTable)
    yearIssue("不知道这些数据属于哪个年度：请加 --year 2023，或在文件中加入「年度」工作表");
  if (year !== undefined && !data.programme && needsYear.length > 0 && !state.years.includes(year))
    yearIssue(`${year} 年度尚未建立：请在文件中加入「年度」工作表（标题、四个截止日期、时间进度）`);
  data.year = year ?? 0;

  const prefTable = tables.get("市州");
  if (prefTable) data.prefectures = parsePrefectureSheet(prefTable);
  const filePrefs = data.prefectures ?? [];
  const prefectures = prefectureIndex([
    ...filePrefs,
    ...state.prefectures.filter((p) => !filePrefs.some((f) => f.code === p.code)),
  ]);

  const zoneTable = tables.get("经开区");
  if (zoneTable) data.zones = parseZoneSheet(zoneTable, prefectures, state.zones);
  const zones = data.zones ?? state.zones;
  const lookup = {
    zones: zoneIndex(zones),
    byId: new Map(zones.map((z) => [z.id, z])),
    inactiveAllowed: data.zones !== undefined,
  };

  const indicatorTable = tables.get("指标");
  if (indicatorTable) data.indicators = parseIndicatorSheet(indicatorTable);
  const indicators = data.indicators ?? (year !== undefined ? await state.indicators(year) : []);

  const membershipTable = tables.get("培育名单");
  if (membershipTable) data.memberships = parseMembershipSheet(membershipTable, lookup);
  const targetTable = tables.get("目标");
  if (targetTable) data.targets = parseTargetSheet(targetTable, lookup, indicatorIndex(indicators));

  const contactTable = tables.get("联系人");
  if (contactTable) data.contacts = parseContactSheet(contactTable, prefectures, state.contacts);
  const groupTable = tables.get("群聊");
  if (groupTable) data.chatGroups = parseChatGroupSheet(groupTable, prefectures);

  if (tables.size === 0 && issues.empty && empty.length === 0)
    issues.add(
      fileIssue(raw[0]?.source ?? "", `没有可导入的工作表；可用的工作表: ${SHEET_NAMES.join("、")}`),
    );
  const common = { ...(year !== undefined ? { year } : {}), sheets, emptySheets: empty };
  return issues.empty ? { data, ...common, issues: [] } : { ...common, issues: issues.list };
}
