import { openPeriodAt } from "../calendar/open-period.js";
import type { ParseContext } from "../parsing/parsed-report.js";
import { type DialogueDeps, type DialogueResult, result } from "../reports/dialogue-types.js";
import { submitReport } from "../reports/report-dialogue.js";
import { loadReportingContext, noProgrammeMessage } from "../reports/reporting-context.js";
import { ACCEPTED_FILES, type FileLimits, FileRefusal } from "./file-limits.js";
import { storeFileCopy } from "./file-store.js";
import {
  cellsAsText,
  readReportWorkbook,
  uncomputedMessage,
  type WorkbookReading,
} from "./read-report-workbook.js";
import { readSpreadsheet } from "./read-spreadsheet.js";
import type { SpreadsheetGrid } from "./sheet-grid.js";

export const NO_TABLE =
  "没有在文件中找到报送表。表格需要一行表头写明指标和单位（如“进出口额（万元）”“包装招商项目（个）”），" +
  "下面每行一个经开区（写全称或简称）。也可以发送“模板”获取文字模板，或使用机器人发出的报送表。";

/** A file read as far as its report table, or the refusal to send back (nothing stored). */
export type ReadWorkbookOutcome =
  | { ok: true; grid: SpreadsheetGrid; reading: WorkbookReading }
  | { ok: false; message: string };

/**
 * Bounds, grid and table of an uploaded file, read with the parser's context (the same as
 * `kaiqu parse --file` prints): hostile files, a file without a report table and formulas without a
 * cached value are refusals in Chinese.
 */
export async function readWorkbookFile(
  file: { bytes: Buffer; name: string },
  limits: FileLimits,
  ctx: ParseContext,
): Promise<ReadWorkbookOutcome> {
  let grid: SpreadsheetGrid;
  try {
    grid = await readSpreadsheet(file.bytes, file.name, limits);
  } catch (e) {
    if (e instanceof FileRefusal) return { ok: false, message: `文件「${file.name}」未读取：${e.message}` };
    throw e;
  }
  const reading = readReportWorkbook(grid, ctx);
  if (!reading) return { ok: false, message: `文件「${file.name}」：${NO_TABLE}` };
  if (reading.uncomputed.length > 0)
    return {
      ok: false,
      message: `文件「${file.name}」未保存任何数据：${uncomputedMessage(reading.uncomputed)}`,
    };
  if (reading.parsed.sections.length === 0 && reading.parsed.issues.length === 0)
    return {
      ok: false,
      message: `文件「${file.name}」的工作表「${reading.sheet}」中没有填写任何数据。请填写后重新发送（支持${ACCEPTED_FILES}）。`,
    };
  return { ok: true, grid, reading };
}

/**
 * A report sent as a spreadsheet: bounded and read (readSpreadsheet), its sheet read by the parser's
 * table reader (parseTable, via readReportWorkbook) — the same claims, validation, echo, 确认, revision
 * and receipt as a pasted table. Problems refuse the file with the cell named and nothing stored;
 * otherwise the copy is kept under its hash and the revision records the file as its raw input.
 */
export async function submitWorkbook(
  deps: DialogueDeps,
  file: { bytes: Buffer; name: string },
  opts: { limits: FileLimits; storeDir: string },
): Promise<DialogueResult> {
  const now = deps.clock.now();
  const rc = await loadReportingContext(deps.db, now, deps.rosterVersion);
  if (!rc) return result("refused", noProgrammeMessage(openPeriodAt(now)));
  const read = await readWorkbookFile(file, opts.limits, {
    ...rc.parseContext,
    ...(deps.contact.prefectureCode ? { prefectureCode: deps.contact.prefectureCode } : {}),
  });
  if (!read.ok) return result("refused", read.message);
  const { grid, reading } = read;
  const text = cellsAsText(reading.cells);
  const stored = storeFileCopy(opts.storeDir, file.bytes, file.name, grid.kind);
  const r = await submitReport(deps, text, {
    rawText: `[文件] ${stored.name}（SHA-256 ${stored.sha256}，工作表「${reading.sheet}」）\n${text}`,
    file: stored,
    // the dialogue's own context (the draft's or the sender's zone as default), the sheet's cells
    parse: (ctx) => readReportWorkbook(grid, ctx)?.parsed ?? reading.parsed,
  });
  if (r.queued) return r;
  const n = reading.parsed.sections.length;
  const head =
    r.outcome === "refused"
      ? `文件「${stored.name}」（工作表「${reading.sheet}」）有以下问题，未保存任何数据，请修改后重新发送：`
      : `已读取文件「${stored.name}」（工作表「${reading.sheet}」，${n} 个经开区${reading.mark ? "，机器人报送表" : ""}）。`;
  return { ...r, message: `${head}\n${r.message}` };
}
