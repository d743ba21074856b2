/** A sheet as read from an xlsx worksheet or a csv file, before any interpretation. */
export interface RawSheet {
  name: string;
  /** File the sheet came from (for messages). */
  source: string;
  /** Header cells of row 1 (cleaned text). */
  headers: string[];
  /** Data rows; empty rows are left out. */
  rows: RawRow[];
  /** How a csv was decoded ("UTF-8", "UTF-8 (BOM)", "GB18030/GBK"); absent for xlsx. */
  encoding?: string;
}

export interface RawRow {
  /** Row number as the user sees it (header = 1). */
  rowNumber: number;
  /** Cleaned cell texts by column index (0-based). */
  cells: string[];
}

/** A problem with a file, a sheet or a cell. row/column are 0/"" when they do not apply. */
export interface RosterIssue {
  source: string;
  sheet: string;
  row: number;
  /** "C" (column letter) or "" */
  column: string;
  /** Header text of the column, or "". */
  header: string;
  message: string;
}

/** A problem with a whole file (sheet "") or a whole sheet: no row or column. */
export function fileIssue(source: string, message: string, sheet = ""): RosterIssue {
  return { source, sheet, row: 0, column: "", header: "", message };
}

/** 「联系人」第 5 行 C 列「角色」: … */
export function formatIssue(i: RosterIssue): string {
  const where = [
    i.sheet ? `「${i.sheet}」` : "",
    i.row > 0 ? `第 ${i.row} 行` : "",
    i.column ? ` ${i.column} 列${i.header ? `「${i.header}」` : ""}` : "",
  ].join("");
  return `${i.source}${where ? ` ${where}` : ""}: ${i.message}`;
}
