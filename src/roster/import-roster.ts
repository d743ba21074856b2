import path from "node:path";
import { type Db, isUniqueViolation } from "../db/database.js";
import { applyProgrammeData, emptyChanges } from "../programme/apply-programme-data.js";
import type { ProgrammeChanges } from "../programme/programme-data.js";
import { listProgrammeYears } from "../programme/programme-repository.js";
import {
  readChatGroups,
  readContacts,
  readIndicators,
  readPrefectures,
  readZones,
} from "../programme/read-programme-data.js";
import { PROGRAMME_TX_OPTIONS } from "../programme/seed-programme.js";
import { parseRoster, type RosterState } from "./parse-roster.js";
import { fileIssue, type RawSheet, type RosterIssue } from "./raw-sheet.js";
import { readCsv } from "./read-csv.js";
import { readXlsx } from "./read-xlsx.js";
import { SHEET_NAMES, type SheetName } from "./roster-sheets.js";

export interface RosterFile {
  /** As given on the command line (for messages and the csv sheet name). */
  path: string;
  bytes: Buffer;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  year?: number;
  sheets: SheetName[];
  /** Sheets with headers only, skipped (their data is left as it is). */
  emptySheets: SheetName[];
  /** csv files and how they were decoded. */
  encodings: { file: string; encoding: string }[];
  issues: RosterIssue[];
  changes: ProgrammeChanges;
}

/**
 * The sheet a csv file holds: its file name must contain exactly one sheet name, e.g.
 * "联系人.csv" or "2023-目标.csv" (one csv per sheet; several csv files can be imported together).
 */
export function csvSheetName(file: string): SheetName | undefined {
  const base = path.basename(file).replace(/\.csv$/i, "");
  const hits = SHEET_NAMES.filter((n) => base.includes(n));
  return hits.length === 1 ? hits[0] : undefined;
}

export async function readRosterFiles(
  files: RosterFile[],
): Promise<{ sheets: RawSheet[]; issues: RosterIssue[] }> {
  const sheets: RawSheet[] = [];
  const issues: RosterIssue[] = [];
  for (const f of files) {
    const source = path.basename(f.path);
    if (/\.csv$/i.test(f.path)) {
      const name = csvSheetName(f.path);
      if (!name) {
        issues.push(
          fileIssue(
            source,
            `无法从文件名判断是哪个工作表：csv 文件名须包含且只包含一个工作表名（${SHEET_NAMES.join("、")}），例如 联系人.csv`,
          ),
        );
        continue;
      }
      sheets.push(readCsv(f.bytes, source, name));
    } else if (/\.xlsx$/i.test(f.path) || (f.bytes[0] === 0x50 && f.bytes[1] === 0x4b)) {
      try {
        sheets.push(...(await readXlsx(f.bytes, source)));
      } catch (e) {
        issues.push(fileIssue(source, `无法读取 xlsx 文件: ${e instanceof Error ? e.message : String(e)}`));
      }
    } else issues.push(fileIssue(source, "只支持 .xlsx 和 .csv 文件（.xls 请在 Excel 中另存为 .xlsx）"));
  }
  return { sheets, issues };
}

export async function loadRosterState(db: Db): Promise<RosterState> {
  return {
    years: await listProgrammeYears(db),
    prefectures: await readPrefectures(db),
    zones: await readZones(db),
    contacts: await readContacts(db),
    chatGroups: await readChatGroups(db),
    indicators: (year) => readIndicators(db, year),
  };
}

/** Where Prisma puts the fields of a unique violation (classic engine / driver adapters). */
interface UniqueMeta {
  modelName?: string;
  target?: unknown;
  driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } };
}

class DryRunRollback extends Error {
  constructor(readonly changes: ProgrammeChanges) {
    super("dry run");
  }
}

/**
 * Imports roster files all-or-nothing: any bad row → nothing written, every issue reported.
 * With dryRun the changes are computed inside a transaction that is then rolled back.
 */
export async function importRoster(
  db: Db,
  files: RosterFile[],
  opts: { year?: number; dryRun?: boolean } = {},
): Promise<ImportResult> {
  const dryRun = opts.dryRun ?? false;
  const read = await readRosterFiles(files);
  const encodings = read.sheets
    .filter((s) => s.encoding)
    .map((s) => ({ file: s.source, encoding: s.encoding! }));
  const parsed = await parseRoster(read.sheets, await loadRosterState(db), opts.year);
  const issues = [...read.issues, ...parsed.issues];
  const base = {
    dryRun,
    ...(parsed.year !== undefined ? { year: parsed.year } : {}),
    sheets: parsed.sheets,
    emptySheets: parsed.emptySheets,
    encodings,
  };
  if (issues.length > 0 || !parsed.data) return { ok: false, ...base, issues, changes: emptyChanges() };
  const data = parsed.data;
  try {
    const changes = await db.$transaction(async (tx) => {
      const c = await applyProgrammeData(tx, data, { absent: "deactivate" });
      if (dryRun) throw new DryRunRollback(c);
      return c;
    }, PROGRAMME_TX_OPTIONS);
    return { ok: true, ...base, issues: [], changes };
  } catch (e) {
    if (e instanceof DryRunRollback) return { ok: true, ...base, issues: [], changes: e.changes };
    if (isUniqueViolation(e)) {
      const meta = (e as { meta?: UniqueMeta }).meta;
      const fields = meta?.target ?? meta?.driverAdapterError?.cause?.constraint?.fields;
      const where = `${meta?.modelName ?? ""} ${Array.isArray(fields) ? fields.join("、") : ""}`.trim();
      return {
        ok: false,
        ...base,
        changes: emptyChanges(),
        issues: [
          fileIssue(
            files.map((f) => path.basename(f.path)).join("、"),
            `与数据库中已有记录冲突${where ? `（唯一字段 ${where}）` : ""}，已全部回滚。` +
              "请检查该字段的值是否已被数据库中本文件未列出的记录使用（例如另一个市州的名称），改正后重新导入。",
          ),
        ],
      };
    }
    throw e;
  }
}
