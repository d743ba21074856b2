/**
 * Space-aligned tables (typed or pasted without tabs): cells are runs of text separated by two or more spaces
 * (or an ideographic space), so an empty cell leaves no mark. Three things follow, handled here so that no
 * figure lands in the wrong column:
 * - an empty corner: a header row that begins with blanks ("      都匀    龙里") while the rows under it have
 *   one cell more is missing its empty first cell, which is put back;
 * - a label and its figure one space apart ("进出口（万元） 8600  21000") are two cells;
 * - a row with more or fewer cells than the header is matched to the header's columns by position (display
 *   width: a Chinese character is two columns wide); when a cell lies under no header cell or under two,
 *   the row is marked misaligned and the reader asks about it instead of guessing.
 */

interface Span {
  text: string;
  /** Display columns [start, end) (a Chinese character two wide) and characters [from, to). */
  start: number;
  end: number;
  from: number;
  to: number;
}

const CELL = /[^ \u3000]+(?: [^ \u3000]+)*/g;
/** "进出口（万元） 8600": a label (no digit at its end) and a figure one space apart. */
const LABEL_AND_FIGURE = /^(.*[^\d\s.,，%％+\-－]) ([+\-－]?\d[\d,，]*(?:\.\d+)?[%％]?)$/;
/** The word over a table's key column ("经开区", "指标"): a row beginning with it has no empty corner. */
const CORNER_WORD =
  /^(?:经开区|园区|开发区|名称|经开区名称|园区名称|单位|单位名称|地区|县市区|指标|项目|填报项|指标名称|序号)$/;

/** Display width: CJK characters and full-width forms are two columns. */
function widthOf(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += cp >= 0x2e80 && !(cp >= 0xff61 && cp <= 0xffdc) ? 2 : 1;
  }
  return w;
}

function spansOf(line: string): Span[] {
  const out: Span[] = [];
  for (const m of line.matchAll(CELL)) {
    const start = widthOf(line.slice(0, m.index));
    out.push({ text: m[0], start, end: start + widthOf(m[0]), from: m.index, to: m.index + m[0].length });
  }
  return out;
}

export interface AlignedRows {
  rows: string[][];
  /** Indexes of rows whose cells could not be matched to the header's columns. */
  misaligned: number[];
}

/** Whether every line of a block is space-aligned (no tab, no pipe): then alignSpaced applies. */
export function isSpaceAligned(lines: string[]): boolean {
  return lines.every((l) => !/[\t|]/.test(l));
}

/** The rows of a space-aligned block, with corners put back and rows matched to the header by position. */
export function alignSpaced(lines: string[]): AlignedRows {
  const spans = lines.map(spansOf);
  const indent = Math.min(...spans.map((s) => s[0]?.from ?? Number.POSITIVE_INFINITY));
  for (const s of spans) {
    const first = s[0];
    if (!first) continue;
    // a row beginning with blanks (beyond the block's common indent) has an empty first cell: the header's
    // corner ("      都匀    龙里"), or a row whose key is carried down from the row above
    if (first.from > indent && !CORNER_WORD.test(first.text)) {
      s.unshift({ text: "", start: 0, end: 0, from: 0, to: 0 });
      continue;
    }
    const m = s.length >= 2 ? LABEL_AND_FIGURE.exec(first.text) : null;
    if (!m) continue;
    const [label, figure] = [m[1]!, m[2]!];
    const end = first.start + widthOf(label);
    const to = first.from + label.length;
    s.splice(
      0,
      1,
      { text: label, start: first.start, end, from: first.from, to },
      { text: figure, start: end + 1, end: first.end, from: to + 1, to: first.to },
    );
  }
  // the header: the first row with the most common number of cells
  const counts = new Map<number, number>();
  for (const s of spans) counts.set(s.length, (counts.get(s.length) ?? 0) + 1);
  const modal = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
  const h = spans.findIndex((s) => s.length === modal);
  const header = spans[h]!;
  const misaligned: number[] = [];
  const rows = spans.map((s, r) => {
    if (r <= h || s.length === modal) return s.map((x) => x.text);
    const placed = placeByPosition(s, header);
    if (placed) return placed;
    misaligned.push(r);
    return s.map((x) => x.text);
  });
  return { rows, misaligned };
}

/**
 * A row's cells placed under the header's columns: its first cell is the key (column 0) unless it is an empty
 * corner; every other cell must lie under exactly one header cell, the same one whether counted in characters
 * or in display columns (a chat's font is not monospaced, so one measure alone may mislead), left to right.
 * Undefined if not.
 */
function placeByPosition(row: Span[], header: Span[]): string[] | undefined {
  const out = header.map(() => "");
  let next = 0;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i]!;
    if (i === 0 && cell.text === "") {
      next = 1;
      continue;
    }
    let col: number;
    if (i === 0) col = 0;
    else {
      const byWidth = header.flatMap((hd, j) =>
        j > 0 && cell.start < hd.end && hd.start < cell.end ? [j] : [],
      );
      const byChars = header.flatMap((hd, j) => (j > 0 && cell.from < hd.to && hd.from < cell.to ? [j] : []));
      if (byWidth.length !== 1 || byChars.length !== 1 || byWidth[0] !== byChars[0]) return undefined;
      col = byWidth[0]!;
    }
    if (col < next) return undefined;
    out[col] = cell.text;
    next = col + 1;
  }
  return out;
}
