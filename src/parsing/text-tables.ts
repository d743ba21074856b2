import type { CellGrid } from "./read-table.js";
import { alignSpaced, isSpaceAligned } from "./spaced-tables.js";

/** A run of message lines: prose, or a table pasted from Excel/WPS (tab-, pipe- or space-aligned). */
export type TextBlock =
  | { kind: "prose"; lines: string[] }
  | { kind: "table"; lines: string[]; grid: CellGrid };

const MAY_SPLIT = /[\t|\u3000]| {2}/;
const FOOT_UNIT = /^\s*单位\s*[：:]\s*(?:亿元|万元|元)\s*$/;
const PIPE_RULE = /^[\s|:：\-—=+]+$/;

/** The cells of one line, or undefined when it is no table row (fewer than two cells). */
export function splitCells(line: string): string[] | undefined {
  // a prose line (no tab, pipe, double space or ideographic space) is no row: the common case, checked cheaply
  if (!MAY_SPLIT.test(line)) return undefined;
  const t = line.replace(/\s+$/, "");
  if (t.includes("\t")) {
    const cells = t.split("\t").map((c) => c.trim());
    return cells.filter((c) => c !== "").length >= 1 && cells.length >= 2 ? cells : undefined;
  }
  if (/\|/.test(t) && !PIPE_RULE.test(t)) {
    const cells = t
      .replace(/^\s*\|/, "")
      .replace(/\|\s*$/, "")
      .split("|")
      .map((c) => c.trim());
    return cells.length >= 2 ? cells : undefined;
  }
  const spaced = t.trim().split(/ {2,}|\u3000+/);
  return spaced.length >= 2 ? spaced.map((c) => c.trim()) : undefined;
}

/**
 * Splits a message into prose and table blocks: two or more consecutive lines with cells make a table (a
 * markdown rule line "|---|---|" inside it is skipped). Whether a table block really is a report table is
 * decided by readGrid; if not, its lines are read as prose.
 */
export function splitBlocks(text: string): TextBlock[] {
  const lines = unquoteCells(text.replace(/\r\n?/g, "\n")).split("\n");
  const blocks: TextBlock[] = [];
  let prose: string[] = [];
  let k = 0;
  while (k < lines.length) {
    let e = k;
    const rows: string[][] = [];
    while (e < lines.length) {
      const line = lines[e]!;
      if (rows.length > 0 && PIPE_RULE.test(line) && line.includes("|")) {
        e++;
        continue;
      }
      const cells = splitCells(line);
      if (!cells) break;
      rows.push(cells);
      e++;
    }
    if (rows.length >= 2) {
      // a "单位：万元" line right under the table is the table's (read-table.ts reads it as its unit)
      if (e < lines.length && FOOT_UNIT.test(lines[e]!)) rows.push([lines[e++]!.trim()]);
      if (prose.length > 0) blocks.push({ kind: "prose", lines: prose });
      prose = [];
      const own = lines.slice(k, e);
      blocks.push({ kind: "table", lines: own, grid: gridOf(own, rows, k + 1) });
      k = e;
      continue;
    }
    prose.push(lines[k]!);
    k++;
  }
  if (prose.length > 0) blocks.push({ kind: "prose", lines: prose });
  return blocks;
}

/** A block's grid; a space-aligned block's cells are matched to its header by position (spaced-tables.ts). */
function gridOf(lines: string[], rows: string[][], originRow: number): CellGrid {
  if (!isSpaceAligned(lines)) return { rows, originRow };
  const aligned = alignSpaced(lines);
  return {
    rows: aligned.rows,
    originRow,
    ...(aligned.misaligned.length > 0 ? { misalignedRows: aligned.misaligned } : {}),
  };
}

/**
 * Excel copies a cell holding a line break in double quotes (`"进出口额\n（万元）"`): such a cell, between tabs,
 * is one cell again, its line break dropped (and `""` inside it is one quote).
 */
const QUOTED_CELL = /(^|\t)"((?:[^"\t]|"")*\n(?:[^"\t]|"")*)"(?=\t|\n|$)/gm;
function unquoteCells(text: string): string {
  if (!text.includes("\t") || !text.includes('"')) return text;
  return text.replace(
    QUOTED_CELL,
    (_m, lead: string, inner: string) => lead + inner.replace(/\n/g, "").replace(/""/g, '"'),
  );
}
