import type { ParseContext, ParsedReport } from "./parsed-report.js";
import { type CellGrid, readGrid } from "./read-table.js";
import { ReportParser } from "./report-parser.js";

/**
 * Longer input is refused whole, never cut (cutting would drop figures without a word). A chat message is a
 * few hundred characters; a pasted table of every zone a few thousand.
 */
export const MAX_INPUT_LENGTH = 20_000;
/** Cells of one table or sheet read at most (rows × columns). */
export const MAX_GRID_CELLS = 20_000;

/**
 * Parses one chat message into per-zone sections of canonical values (money in 万元, rates in %, counts as
 * integers, text normalised), the period it names, and issues with Chinese messages. Pure; never throws:
 * an internal error becomes a no_data issue.
 */
export function parseReport(text: string, ctx: ParseContext): ParsedReport {
  try {
    return parseReportStrict(text, ctx);
  } catch {
    return {
      periodSource: ctx.openPeriod ? "implicit" : "none",
      ...(ctx.openPeriod ? { period: ctx.openPeriod } : {}),
      sections: [],
      notes: [],
      issues: [
        {
          code: "no_data",
          read: String(text).slice(0, 40),
          message: "消息无法解析，请按模板格式重新发送（发送“模板”可获取填报模板）",
        },
      ],
    };
  }
}

/** parseReport without the safety net (tests use it to surface internal errors). */
export function parseReportStrict(input: string, ctx: ParseContext): ParsedReport {
  if (typeof input !== "string") throw new TypeError("parseReport: text expected");
  const p = new ReportParser(ctx);
  if (input.length > MAX_INPUT_LENGTH) return p.refuseTooLong(`${input.length}字`, `${MAX_INPUT_LENGTH}字`);
  p.readText(input);
  return p.finish(input);
}

/**
 * Parses a table of cells (a sheet of a workbook, a CSV file) with the same readers, rules and result as
 * text: a header row of indicators with zones down the rows, or zones across with indicators down; units
 * in header cells; extra columns and rows named back; issues and notes name the cell ("第3行 C列"). A grid
 * that is no such table is read as lines of prose (cells joined by spaces), e.g. a sheet of 字段：值 lines.
 */
export function parseTable(grid: CellGrid, ctx: ParseContext): ParsedReport {
  const p = new ReportParser(ctx);
  const cells = grid.rows.reduce((n, r) => n + r.length, 0);
  if (cells > MAX_GRID_CELLS) return p.refuseTooLong(`${cells}个单元格`, `${MAX_GRID_CELLS}个单元格`);
  if (!readGrid(grid, p)) p.readProse(grid.rows.map((r) => r.join(" ")).join("\n"));
  return p.finish(grid.rows.map((r) => r.join(" ")).join("\n"));
}
