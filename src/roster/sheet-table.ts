import type { RawSheet, RosterIssue } from "./raw-sheet.js";
import { type ColumnDef, columnLetter, headerKey, type SheetDef } from "./roster-sheets.js";

/** Collects issues; the import writes nothing while there is any. */
export class Issues {
  readonly list: RosterIssue[] = [];
  add(issue: RosterIssue): void {
    this.list.push(issue);
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** One data row of a sheet, read by column key. */
export interface TableRow {
  rowNumber: number;
  /** Cell text of the column ("" when empty or the column is absent). */
  get(key: string): string;
  /** Reports a problem with this row's cell in the column. */
  issue(key: string, message: string): void;
}

/** A sheet bound to its definition: header problems reported once, rows readable by key. */
export class SheetTable {
  readonly rows: TableRow[] = [];
  private readonly indexOf = new Map<string, number>();

  constructor(
    readonly raw: RawSheet,
    readonly def: SheetDef,
    private readonly issues: Issues,
  ) {
    const byHeader = new Map(def.columns.map((c) => [headerKey(c.header), c]));
    raw.headers.forEach((h, i) => {
      const letter = columnLetter(i + 1);
      if (h === "") {
        if (raw.rows.some((r) => (r.cells[i] ?? "") !== ""))
          this.sheetIssue(1, letter, "", `此列有数据但没有表头；可用的列: ${this.headerList()}`);
        return;
      }
      const col = byHeader.get(headerKey(h));
      if (!col) {
        this.sheetIssue(1, letter, h, `未知的列「${h}」；可用的列: ${this.headerList()}`);
        return;
      }
      if (this.indexOf.has(col.key)) {
        this.sheetIssue(1, letter, h, `列「${col.header}」重复出现`);
        return;
      }
      this.indexOf.set(col.key, i);
    });
    for (const c of def.columns)
      if (c.required && !this.indexOf.has(c.key))
        this.sheetIssue(1, "", "", `缺少必需的列「${c.header}」（例如: ${c.example}）`);
    for (const r of raw.rows) {
      const extra = r.cells.findIndex((c, i) => c !== "" && i >= raw.headers.length);
      if (extra >= 0)
        this.sheetIssue(
          r.rowNumber,
          columnLetter(extra + 1),
          "",
          `此列有数据但没有表头 (读到 "${r.cells[extra]}")`,
        );
      this.rows.push({
        rowNumber: r.rowNumber,
        get: (key) => {
          const i = this.indexOf.get(key);
          return i === undefined ? "" : (r.cells[i] ?? "");
        },
        issue: (key, message) => this.cellIssue(r.rowNumber, key, message),
      });
    }
  }

  has(key: string): boolean {
    return this.indexOf.has(key);
  }

  column(key: string): ColumnDef {
    const c = this.def.columns.find((x) => x.key === key);
    if (!c) throw new Error(`sheet ${this.def.name} has no column ${key}`);
    return c;
  }

  cellIssue(row: number, key: string, message: string): void {
    const i = this.indexOf.get(key);
    const c = this.column(key);
    this.issues.add({
      source: this.raw.source,
      sheet: this.raw.name,
      row,
      column: i === undefined ? "" : columnLetter(i + 1),
      header: i === undefined ? c.header : (this.raw.headers[i] ?? c.header),
      message,
    });
  }

  sheetIssue(row: number, column: string, header: string, message: string): void {
    this.issues.add({ source: this.raw.source, sheet: this.raw.name, row, column, header, message });
  }

  private headerList(): string {
    return this.def.columns.map((c) => c.header).join("、");
  }
}

/** Reads a required text cell; reports "不能为空" with the column's example. */
export function required(row: TableRow, table: SheetTable, key: string): string | undefined {
  const v = row.get(key);
  if (v !== "") return v;
  const c = table.column(key);
  row.issue(key, `「${c.header}」不能为空（${c.help}，例如: ${c.example}）`);
  return undefined;
}
