/**
 * The title line-break rule (GB/T 9704-2012 7.3.3: a title that runs over one line breaks between
 * words, keeping each phrase whole, lines of similar length). Breaks only at word boundaries found by
 * ICU's Chinese dictionary segmenter, never inside a run of digits or inside brackets; among the breaks
 * that fit, the one with the most even lines wins (the upper line may be the longer one).
 */
const segmenter = new Intl.Segmenter("zh-Hans", { granularity: "word" });

/** Display width in em of 二号 characters: CJK and full-width 1, ASCII ½. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2e80 ? 0.5 : 1;
  return w;
}

/** Terms of this domain the dictionary does not know as words; never broken. */
const KEEP = ["经开区", "经济开发区", "培育对象", "外贸升级", "进展情况", "工作专班", "市（州）"];

function insideKept(title: string, at: number): boolean {
  return KEEP.some((k) => {
    for (let i = title.indexOf(k); i !== -1; i = title.indexOf(k, i + 1))
      if (at > i && at < i + k.length) return true;
    return false;
  });
}

function breakOpportunities(title: string): number[] {
  const cuts: number[] = [];
  let depth = 0;
  for (const seg of segmenter.segment(title)) {
    if (seg.index > 0 && depth === 0) {
      const prev = title[seg.index - 1]!;
      const next = title[seg.index]!;
      const digits = /[0-9A-Za-z]/;
      // Never before closing punctuation or 的 (…的通报 keeps together), never between digits.
      if (
        !/[）〕》」、，。：；的]/.test(next) &&
        !(digits.test(prev) && digits.test(next)) &&
        !insideKept(title, seg.index)
      )
        cuts.push(seg.index);
    }
    for (const ch of seg.segment) {
      if ("（〔《「".includes(ch)) depth++;
      if ("）〕》」".includes(ch)) depth = Math.max(0, depth - 1);
    }
  }
  return cuts;
}

/** The title's lines, each at most `maxWidth` em wide where a word boundary allows it. */
export function titleLines(title: string, maxWidth = 20): string[] {
  if (displayWidth(title) <= maxWidth) return [title];
  const cuts = breakOpportunities(title);
  const lines = Math.ceil(displayWidth(title) / maxWidth);
  let best: { parts: string[]; score: number } | undefined;
  const consider = (parts: string[]) => {
    const widths = parts.map(displayWidth);
    if (widths.some((w) => w > maxWidth)) return;
    // Even lines first; a longer upper line (正梯形) is preferred to a longer lower one.
    const score = Math.max(...widths) - Math.min(...widths) + (widths[0]! < widths.at(-1)! ? 0.25 : 0);
    if (!best || score < best.score) best = { parts, score };
  };
  if (lines <= 2) for (const c of cuts) consider([title.slice(0, c), title.slice(c)]);
  if (!best)
    for (const a of cuts)
      for (const b of cuts) if (b > a) consider([title.slice(0, a), title.slice(a, b), title.slice(b)]);
  return best?.parts ?? [title];
}
