import { type NumberToken, numberStartsAt, scanNumber } from "./number-grammar.js";
import { WAN_LETTERS } from "./unit-words.js";

// The figures of a line: every number token that is a quantity someone reports — not a date, a time, a
// phone number, an ordinal, a document number or a code. The invariant pass (unread-numbers.ts) names back
// every figure no reader consumed. Linear: each character is looked at a bounded number of times.

export interface Span {
  start: number;
  end: number;
}

const DATE_OR_TIME_AFTER = /^\s*(?:年|月|日|号|時|时|分|秒|周|季|点(?:钟|\d|半)|[:：]\d)/;
const CODE_BEFORE = /[A-Za-z_#＃]$|\d[:：-]$|第\s*$|[〔[［【]$/;
// a letter after a number is a code ("5G", "A1"), except w/wan typed for 万 ("32000w")
const CODE_AFTER = new RegExp(`^(?:(?!${WAN_LETTERS})[A-Za-z]|-\\d|\\/\\d|[〕\\]］】])`);
const MONEY_OR_RATE_AFTER = /^\s*(?:多|余)?\s*(?:个)?\s*(?:千万|百万|万|亿)?\s*(?:元|%|个百分点|百分点)/;
const CLASSIFIER_AFTER = /^\s*(?:个|次|家|场|项|期|批|户|趟|轮|件|起|所|届|人次|人)/;

function isPhoneLike(digits: string): boolean {
  return /^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits) || /^\d{7,8}$/.test(digits);
}

/** Is this number token a figure (a quantity), given the line around it? */
export function isFigure(line: string, tok: NumberToken): boolean {
  if (tok.value === undefined) return !tok.chinese; // "3,2亿" is a figure that could not be read
  const before = line.slice(Math.max(0, tok.start - 2), tok.start);
  const after = line.slice(tok.end, tok.end + 6);
  if (DATE_OR_TIME_AFTER.test(after) || CODE_BEFORE.test(before) || CODE_AFTER.test(after)) return false;
  if (!tok.chinese) return !isPhoneLike(tok.text.replace(/^[-+]/, ""));
  // Chinese numerals are also ordinary words ("一是", "进一步", "一批"): a figure only with a magnitude, a
  // decimal, a money/rate unit, or a classifier and a value of at least two ("两个", "三家")
  if (tok.magnitude || /点/.test(tok.text) || MONEY_OR_RATE_AFTER.test(after)) return true;
  // a rate in words: "百分之八十", "增长两成" (成 = ten per cent; not 成为, 成功, …)
  if (/百分之\s*$/.test(line.slice(Math.max(0, tok.start - 4), tok.start))) return true;
  if (/^成(?![为功立绩果员本交就长效])/.test(after)) return true;
  if (tok.value.isZero() && /^增长/.test(after)) return true; // "零增长": a rate of 0 %
  return CLASSIFIER_AFTER.test(after) && tok.value.gte(2);
}

/** The figures of `line` outside the `skip` spans (sorted by start, non-overlapping), left to right. */
export function figuresOutside(line: string, skip: Span[]): NumberToken[] {
  const out: NumberToken[] = [];
  let s = 0;
  let i = 0;
  while (i < line.length) {
    while (s < skip.length && skip[s]!.end <= i) s++;
    const sp = skip[s];
    if (sp && sp.start <= i) {
      i = sp.end;
      continue;
    }
    if (!numberStartsAt(line, i)) {
      i++;
      continue;
    }
    const tok = scanNumber(line, i)!;
    // a number running into a skipped span ("三穗" is a zone, not 三) is cut there: read the part before it
    const limit = sp ? sp.start : line.length;
    const t = tok.end > limit ? scanNumber(line.slice(0, limit), i) : tok;
    if (t && isFigure(line, t)) out.push(t);
    i = Math.max(i + 1, t?.end ?? i + 1);
  }
  return out;
}

/** Merges spans into sorted, non-overlapping ones. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const sp of sorted) {
    const last = out[out.length - 1];
    if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
    else out.push({ ...sp });
  }
  return out;
}
