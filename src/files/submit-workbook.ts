import { openPeriodAt } from "../calendar/open-period.js";
import { formatReportTemplate } from "../parsing/format-template.js";
import { type DialogueDeps, type DialogueResult, result } from "../reports/dialogue-types.js";
import { submitReport } from "../reports/report-dialogue.js";
import { zoneOf } from "../reports/report-messages.js";
import { loadReportingContext, noProgrammeMessage } from "../reports/reporting-context.js";
import { ACCEPTED_FILES, type FileLimits, FileRefusal } from "./file-limits.js";
import { storeFileCopy } from "./file-store.js";
import { readReportWorkbook, type WorkbookReport } from "./read-report-workbook.js";
import { readSpreadsheet } from "./read-spreadsheet.js";

export const NO_TABLE =
  "没有在文件中找到报送表。表格需要一行表头写明指标和单位（如“进出口额（万元）”“包装招商项目（个）”），" +
  "下面每行一个经开区（写全称或简称）。也可以发送“模板”获取文字模板，或使用机器人发出的报送表。";

/** The file's table as the canonical fill-in template text (the same text path as a typed report). */
export function workbookAsTemplate(
  wr: WorkbookReport,
  deps: { programme: Parameters<typeof zoneOf>[0]; period: NonNullable<WorkbookReport["period"]> },
): string {
  return formatReportTemplate(
    {
      period: deps.period,
      zones: wr.zones.map((z) => ({ zone: zoneOf(deps.programme, z.zoneId), values: z.values })),
    },
    deps.programme.indicators,
  );
}

/**
 * A report sent as a spreadsheet: bounded and read (readSpreadsheet), its table found
 * (readReportWorkbook), every cell read through the parser's quantity grammar; problems refuse the file
 * with sheet/row/column/value named and nothing stored. Otherwise the copy is kept under its hash and the
 * values go through the same dialogue as a typed report (validation, echo, 确认, revision, receipt); the
 * revision records the file as its raw input.
 */
export async function submitWorkbook(
  deps: DialogueDeps,
  file: { bytes: Buffer; name: string },
  opts: { limits: FileLimits; storeDir: string },
): Promise<DialogueResult> {
  let grid: Awaited<ReturnType<typeof readSpreadsheet>>;
  try {
    grid = await readSpreadsheet(file.bytes, file.name, opts.limits);
  } catch (e) {
    if (e instanceof FileRefusal) return result("refused", `文件「${file.name}」未读取：${e.message}`);
    throw e;
  }
  const now = deps.clock.now();
  const rc = await loadReportingContext(deps.db, now);
  if (!rc) return result("refused", noProgrammeMessage(openPeriodAt(now)));
  const wr = readReportWorkbook(grid, rc.programme);
  if (!wr) return result("refused", `文件「${file.name}」：${NO_TABLE}`);
  if (wr.problems.length > 0)
    return result(
      "refused",
      [`文件「${file.name}」有以下问题，未保存任何数据，请修改后重新发送：`, ...wr.problems].join("\n"),
    );
  const filled = wr.zones.filter((z) => Object.keys(z.values).length > 0);
  if (filled.length === 0)
    return result(
      "refused",
      `文件「${file.name}」的工作表「${wr.sheet}」中没有填写任何数据。请填写后重新发送（支持${ACCEPTED_FILES}）。`,
    );
  const stored = storeFileCopy(opts.storeDir, file.bytes, file.name, grid.kind);
  const text = workbookAsTemplate(
    { ...wr, zones: filled },
    { programme: rc.programme, period: wr.period ?? rc.open },
  );
  const r = await submitReport(deps, text, {
    rawText: `[文件] ${stored.name}（SHA-256 ${stored.sha256}）\n${text}`,
    file: stored,
  });
  const head = `已读取文件「${stored.name}」（工作表「${wr.sheet}」，${filled.length} 个经开区${wr.ours ? "，机器人报送表" : ""}）。`;
  const ignored = wr.ignored.length > 0 ? `\n未读取的列：${wr.ignored.join("、")}。` : "";
  if (r.queued) return r;
  return { ...r, message: `${head}${ignored}\n${r.message}` };
}
