/**
 * A worksheet as a grid of cell texts, the one shape every spreadsheet format is converted to before
 * any figure is read (the parse engineer's table reader takes it from here). Numbers are exact
 * decimal strings as the spreadsheet shows them (15 significant digits, no float artefacts such as
 * 0.30000000000000004, no exponent).
 */
export interface GridCell {
  /** What the cell shows as text (numbers: the exact decimal; percent-formatted numbers: "12.5%"). */
  text: string;
  /** A numeric cell: its value as an exact decimal string (percent-formatted cells: the shown percentage). */
  number?: string;
  /** The cell holds a formula (its text is the cached result). */
  formula?: boolean;
  /** A formula without a cached result: its value is unknown and must be asked for, never read as empty. */
  uncomputed?: boolean;
}

export interface MergedRange {
  /** 0-based, inclusive */
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SheetGrid {
  name: string;
  /** Hidden or very hidden sheet (our form keeps its marker there). */
  hidden: boolean;
  /** rows[r][c]; undefined for an empty cell. Merged cells carry the master's text in every cell. */
  rows: (GridCell | undefined)[][];
  merges: MergedRange[];
}

export type SpreadsheetKind = "xlsx" | "xls" | "csv";

export interface SpreadsheetGrid {
  kind: SpreadsheetKind;
  /** How a csv was decoded ("UTF-8", "UTF-8 (BOM)", "GB18030"). */
  encoding?: string;
  sheets: SheetGrid[];
}

/** "A", "B", …, "Z", "AA" for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 「Sheet1」第 3 行 C 列 */
export function cellPlace(sheet: string, row: number, col: number): string {
  return `「${sheet}」第 ${row + 1} 行 ${columnLetter(col)} 列`;
}

/**
 * A spreadsheet number as the exact decimal it shows: rounded to 15 significant digits (Excel's
 * precision, which removes binary artefacts such as 0.1+0.2 = 0.30000000000000004), then written
 * without exponent. Integers beyond 2^53 keep the digits the file stored.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const shortest = String(Number(value.toPrecision(15)));
  return expandExponent(shortest);
}

/** "1.5e-7" → "0.00000015", "1e+21" → "1000000000000000000000" */
export function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const [, sign, int, frac = "", expText] = m;
  const exp = Number(expText);
  const digits = `${int}${frac}`;
  const point = int!.length + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = `${digits}${"0".repeat(point - digits.length)}`;
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, "");
  if (out.includes(".")) out = out.replace(/\.?0+$/, "");
  return `${sign}${out}`;
}

/** Shifts the decimal point two places right (0.125 → 12.5), exactly, for percent-formatted cells. */
export function timesHundred(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) return decimal;
  const [, sign, int, frac = ""] = m;
  const padded = frac.padEnd(2, "0");
  let out = `${int}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, "");
  const rest = padded.slice(2).replace(/0+$/, "");
  if (rest) out += `.${rest}`;
  return `${sign}${out}`;
}
