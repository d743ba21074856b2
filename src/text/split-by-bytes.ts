/**
 * Splits a message into parts that each fit a channel's size limit (WeCom app text: 2048 bytes,
 * group-robot markdown: 4096 bytes, personal WeChat: a number of characters).
 * Parts break at line boundaries; a line longer than a part is cut between characters (code
 * points), never inside one. With `numbered`, every part of a multi-part message starts with
 * "（i/n）" and the prefix counts towards the limit. A text that fits is returned unchanged.
 */
export interface SplitOptions {
  numbered?: boolean;
}

type Measure = (s: string) => number;

const utf8Bytes: Measure = (s) => Buffer.byteLength(s, "utf8");
/** Code points: UTF-16 units less one per surrogate pair (no string iterator: it allocates per character). */
const codePoints: Measure = (s) => {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
};

/** Parts of at most `maxBytes` UTF-8 bytes each. */
export function splitByBytes(text: string, maxBytes: number, opts: SplitOptions = {}): string[] {
  return splitMeasured(text, maxBytes, utf8Bytes, opts);
}

/** Parts of at most `maxChars` characters (code points) each. */
export function splitByChars(text: string, maxChars: number, opts: SplitOptions = {}): string[] {
  return splitMeasured(text, maxChars, codePoints, opts);
}

function numberPrefix(i: number, n: number): string {
  return `（${i}/${n}）\n`;
}

function splitMeasured(text: string, max: number, measure: Measure, opts: SplitOptions): string[] {
  if (!Number.isFinite(max) || measure(text) <= max) return [text];
  // each line measured once, whatever the number of packing rounds below
  const lines = text.split("\n");
  const widths = lines.map(measure);
  if (!opts.numbered) return pack(lines, widths, max, measure).map((p) => p.join("\n"));
  // The prefix width depends on the number of parts; grow the reserve until the count is stable.
  let reserve = measure(numberPrefix(9, 9));
  for (;;) {
    if (reserve >= max) throw new RangeError(`limit ${max} too small for numbered parts`);
    const parts = pack(lines, widths, max - reserve, measure);
    const needed = measure(numberPrefix(parts.length, parts.length));
    if (needed <= reserve) return parts.map((p, i) => numberPrefix(i + 1, parts.length) + p.join("\n"));
    reserve = needed;
  }
}

/**
 * Greedy packing of whole lines; over-long lines are cut at code-point boundaries. Sizes add up line
 * by line (UTF-8 bytes and code points of whole lines are additive, "\n" counts 1), so each line is
 * measured once; a part is returned as its lines and joined only once the packing is final (the
 * numbered split may pack several times) — linear in the text, however many parts.
 */
function pack(lines: string[], widths: number[], max: number, measure: Measure): string[][] {
  if (max < 4) throw new RangeError(`limit ${max} too small to hold a character`);
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) parts.push(current);
    current = [];
    size = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const w = widths[i]!;
    const grown = current.length === 0 ? w : size + 1 + w;
    if (grown <= max) {
      current.push(line);
      size = grown;
      continue;
    }
    flush();
    if (w <= max) {
      current.push(line);
      size = w;
      continue;
    }
    const pieces = cutLine(line, max, measure);
    for (const p of pieces.slice(0, -1)) parts.push([p]);
    const last = pieces[pieces.length - 1]!;
    current.push(last);
    size = measure(last);
  }
  flush();
  // a part of blank lines only is dropped, unless it is the only one
  return parts.filter((p, i) => p.some((l) => l.trim() !== "") || (parts.length === 1 && i === 0));
}

/** Width of one code point: UTF-8 bytes for splitByBytes, 1 for splitByChars. */
function codePointWidth(measure: Measure, cp: number): number {
  if (measure !== utf8Bytes) return 1;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Cuts one over-long line between code points into slices of at most `max` (no string built per character). */
function cutLine(line: string, max: number, measure: Measure): string[] {
  const out: string[] = [];
  let start = 0;
  let size = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const w = codePointWidth(measure, cp);
    if (size + w > max) {
      out.push(line.slice(start, i));
      start = i;
      size = 0;
    }
    size += w;
    i += units;
  }
  out.push(line.slice(start));
  return out;
}
