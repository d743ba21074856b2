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
const codePoints: Measure = (s) => {
  let n = 0;
  for (const _ of s) n++;
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
  if (!opts.numbered) return pack(text, max, measure);
  // The prefix width depends on the number of parts; grow the reserve until the count is stable.
  let reserve = measure(numberPrefix(9, 9));
  for (;;) {
    if (reserve >= max) throw new RangeError(`limit ${max} too small for numbered parts`);
    const parts = pack(text, max - reserve, measure);
    const needed = measure(numberPrefix(parts.length, parts.length));
    if (needed <= reserve) return parts.map((p, i) => numberPrefix(i + 1, parts.length) + p);
    reserve = needed;
  }
}

/** Greedy packing of whole lines; over-long lines are cut at code-point boundaries. */
function pack(text: string, max: number, measure: Measure): string[] {
  if (max < 4) throw new RangeError(`limit ${max} too small to hold a character`);
  const parts: string[] = [];
  let current: string | undefined;
  const flush = () => {
    if (current !== undefined) parts.push(current);
    current = undefined;
  };
  for (const line of text.split("\n")) {
    const candidate = current === undefined ? line : `${current}\n${line}`;
    if (measure(candidate) <= max) {
      current = candidate;
      continue;
    }
    flush();
    if (measure(line) <= max) {
      current = line;
      continue;
    }
    const pieces = cutLine(line, max, measure);
    for (const p of pieces.slice(0, -1)) parts.push(p);
    current = pieces[pieces.length - 1];
  }
  flush();
  return parts.filter((p, i) => p.trim() !== "" || (parts.length === 1 && i === 0));
}

function cutLine(line: string, max: number, measure: Measure): string[] {
  const out: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const w = measure(ch);
    if (size + w > max) {
      out.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += w;
  }
  out.push(current);
  return out;
}
