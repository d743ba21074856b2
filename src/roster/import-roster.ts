import path from "node:path";
import { type Db, isUniqueViolation, type Tx } from "../db/database.js";
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
  /** By name, every zone, contact and chat group this import deactivates (or would, in a dry run). */
  deactivated: Deactivated;
}

export interface Deactivated {
  zones: string[];
  contacts: string[];
  chatGroups: string[];
}

const noneDeactivated = (): Deactivated => ({ zones: [], contacts: [], chatGroups: [] });

type ActiveRows = {
  zones: Map<string, string>;
  contacts: Map<string, string>;
  chatGroups: Map<string, string>;
};

async function activeRows(tx: Tx): Promise<ActiveRows & { taskForce: number }> {
  const where = { active: true };
  const select = { id: true, name: true } as const;
  const [zones, contacts, chatGroups, taskForce] = await Promise.all([
    tx.zone.findMany({ where, select }),
    tx.contact.findMany({ where, select }),
    tx.chatGroup.findMany({ where, select }),
    tx.contact.count({ where: { active: true, role: "task_force" } }),
  ]);
  const m = (rows: { id: string; name: string }[]) => new Map(rows.map((r) => [r.id, r.name]));
  return { zones: m(zones), contacts: m(contacts), chatGroups: m(chatGroups), taskForce };
}

function diffActive(before: ActiveRows, after: ActiveRows): Deactivated {
  const gone = (b: Map<string, string>, a: Map<string, string>) =>
    [...b].filter(([id]) => !a.has(id)).map(([id, name]) => `${name}（${id}）`);
  return {
    zones: gone(before.zones, after.zones),
    contacts: gone(before.contacts, after.contacts),
    chatGroups: gone(before.chatGroups, after.chatGroups),
  };
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
    years: [...(await listProgrammeYears(db))],
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
  constructor(
    readonly changes: ProgrammeChanges,
    readonly deactivated: Deactivated,
    readonly refused?: string,
  ) {
    super("dry run or refused");
  }
}

/**
 * Imports roster files all-or-nothing: any bad row → nothing written, every issue reported.
 * With dryRun the changes are computed inside a transaction that is then rolled back.
 * Safety (#18): zones, contacts and chat groups absent from a sheet are left alone unless
 * `replace` (CLI --replace) says the sheet is the complete list; a row's 启用=否 deactivates it
 * either way. What would be deactivated is reported by name, and an import that would leave no
 * active task-force member (who approve circulars and get alerts) is refused.
 */
export async function importRoster(
  db: Db,
  files: RosterFile[],
  opts: { year?: number; dryRun?: boolean; replace?: boolean; rowChanges?: boolean } = {},
): Promise<ImportResult> {
  const dryRun = opts.dryRun ?? false;
  const absent = opts.replace ? "deactivate" : "keep";
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
  if (issues.length > 0 || !parsed.data)
    return { ok: false, ...base, issues, changes: emptyChanges(), deactivated: noneDeactivated() };
  const data = parsed.data;
  const sources = files.map((f) => path.basename(f.path)).join("、");
  try {
    const { changes, deactivated } = await db.$transaction(async (tx) => {
      const before = await activeRows(tx);
      const c = await applyProgrammeData(tx, data, { absent, rows: opts.rowChanges });
      const after = await activeRows(tx);
      const d = diffActive(before, after);
      if (before.taskForce > 0 && after.taskForce === 0)
        throw new DryRunRollback(
          c,
          d,
          "导入后将没有任何启用的省专班成员（审批通报、接收告警需要至少一人），已拒绝并全部回滚。" +
            "请在「联系人」表中保留至少一名启用的省专班成员。",
        );
      if (dryRun) throw new DryRunRollback(c, d);
      return { changes: c, deactivated: d };
    }, PROGRAMME_TX_OPTIONS);
    return { ok: true, ...base, issues: [], changes, deactivated };
  } catch (e) {
    if (e instanceof DryRunRollback) {
      if (e.refused)
        return {
          ok: false,
          ...base,
          issues: [fileIssue(sources, e.refused)],
          changes: e.changes,
          deactivated: e.deactivated,
        };
      return { ok: true, ...base, issues: [], changes: e.changes, deactivated: e.deactivated };
    }
    if (isUniqueViolation(e)) {
      const meta = (e as { meta?: UniqueMeta }).meta;
      const fields = meta?.target ?? meta?.driverAdapterError?.cause?.constraint?.fields;
      const where = `${meta?.modelName ?? ""} ${Array.isArray(fields) ? fields.join("、") : ""}`.trim();
      return {
        ok: false,
        ...base,
        changes: emptyChanges(),
        deactivated: noneDeactivated(),
        issues: [
          fileIssue(
            sources,
            `与数据库中已有记录冲突${where ? `（唯一字段 ${where}）` : ""}，已全部回滚。` +
              "请检查该字段的值是否已被数据库中本文件未列出的记录使用（例如另一个市州的名称），改正后重新导入。",
          ),
        ],
      };
    }
    throw e;
  }
}
