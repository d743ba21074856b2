import type { IndicatorDef } from "../programme/programme.js";
import type { LineToken } from "./line-tokens.js";

// "赴外招商、引进主体、人才培训都为0": several fields named in a row, then one figure for all of them (都/均/全).
// Read on its own, only the last field would take the figure and the others would be lost without a word.

/** Between two field names of a list: separators and joining words only. */
const LIST_GAP = /^\s*(?:、|，|,|和|及|与|以及|\/)\s*$/;
/** "都为0", "均是零", "全部为0个", "都没有", "均无": the figure shared by every field of the list. */
const SHARED = /^\s*(?:都|均|全部|全|皆)\s*(?:为|是)?\s*/;
const SHARED_ZERO = /^(?:(?:0|零|〇)(?![.\d])\s*(?:万元|亿元|元|个|次|家|场|项|%)?|没有|无)/;
/** A figure of its own after 都/均 ("均为2次"): the same figure for each field, or a slip? */
const SHARED_FIGURE =
  /^[-+]?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万亿]+)\s*(?:万元|亿元|元|个|次|家|场|项|%|万|亿)?/;

export const SHARED_FIGURE_RULE = "几项共写了一个数值，无法确定每一项的数值，请每项分别写明数值和单位";

export interface SharedFigure {
  /** The field tokens of the list, in order (at least two). */
  fields: Extract<LineToken, { kind: "indicator" }>[];
  /** The index of the list's last token in `tokens`. */
  last: number;
  /** Where the list starts and its shared figure ends, in the line. */
  start: number;
  end: number;
  /** True when the shared figure is zero (certain for every field, whatever its unit). */
  zero: boolean;
}

/**
 * The list of fields starting at token k (a field) whose last field is followed by 都/均 and one figure;
 * undefined when token k starts no such list (a single field, or a list without 都/均: read as before).
 */
export function sharedFigureList(line: string, tokens: LineToken[], k: number): SharedFigure | undefined {
  const first = tokens[k];
  if (first?.kind !== "indicator") return undefined;
  const fields = [first];
  let last = k;
  for (let j = k + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== "indicator" || !LIST_GAP.test(line.slice(tokens[j - 1]!.end, t.start))) break;
    fields.push(t);
    last = j;
  }
  if (fields.length < 2 || fields.some((f) => !isFigureField(f.indicator))) return undefined;
  const after = line.slice(tokens[last]!.end);
  const shared = SHARED.exec(after);
  if (!shared) return undefined;
  const rest = after.slice(shared[0].length);
  const zero = SHARED_ZERO.exec(rest);
  const figure = zero ?? SHARED_FIGURE.exec(rest);
  if (!figure) return undefined;
  const end = tokens[last]!.end + shared[0].length + figure[0].trimEnd().length;
  return { fields, last, start: first.start, end, zero: zero !== null };
}

function isFigureField(ind: IndicatorDef): boolean {
  return ind.kind !== "text";
}
