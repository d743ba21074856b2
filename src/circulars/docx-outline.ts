/**
 * The line grammar of templates/circular.docx.tpl after its placeholders are filled: one
 * paragraph per line, the first characters say which kind (see the template's header).
 * Headings are numbered here (一、（一）1.（1）), so template authors never number by hand.
 */
export type OutlineBlock =
  | { kind: "issuerMark"; text: string }
  | { kind: "rule" }
  | { kind: "title"; text: string }
  | { kind: "heading"; level: 1 | 2 | 3 | 4; number: string; text: string }
  | { kind: "centered"; text: string }
  | { kind: "right"; text: string }
  | { kind: "flush"; text: string }
  | { kind: "mark"; text: string }
  | { kind: "body"; text: string }
  | { kind: "section"; landscape: boolean }
  | { kind: "table"; ref: string }
  | { kind: "figures"; ref: string };

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99). */
export function chineseNumeral(n: number): string {
  if (n < 1 || n > 99 || !Number.isInteger(n)) return String(n);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : DIGITS[tens]}十${ones ? DIGITS[ones] : ""}`;
}

export function headingNumber(level: 1 | 2 | 3 | 4, n: number): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(n)}、`;
    case 2:
      return `（${chineseNumeral(n)}）`;
    case 3:
      return `${n}.`;
    case 4:
      return `（${n}）`;
  }
}

export function parseOutline(text: string): OutlineBlock[] {
  const blocks: OutlineBlock[] = [];
  const counters = [0, 0, 0, 0];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const heading = /^(#{1,4})\s+(.+)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length as 1 | 2 | 3 | 4;
      counters[level - 1]!++;
      for (let i = level; i < 4; i++) counters[i] = 0;
      blocks.push({
        kind: "heading",
        level,
        number: headingNumber(level, counters[level - 1]!),
        text: heading[2]!,
      });
      continue;
    }
    const section = /^---\s*(横向)?$/.exec(line);
    if (section) {
      blocks.push({ kind: "section", landscape: section[1] !== undefined });
      counters.fill(0);
      continue;
    }
    const table = /^\[\[表格\s+([^\]\s]+)\s*\]\]$/.exec(line);
    if (table) {
      blocks.push({ kind: "table", ref: table[1]! });
      continue;
    }
    const figures = /^\[\[图表\s+([^\]\s]+)\s*\]\]$/.exec(line);
    if (figures) {
      blocks.push({ kind: "figures", ref: figures[1]! });
      continue;
    }
    if (line === "~~~") {
      blocks.push({ kind: "rule" });
      continue;
    }
    const marked = /^([=@^><!])\s+(.*)$/.exec(line);
    if (marked) {
      const text = marked[2]!;
      const kind = (
        { "=": "title", "@": "issuerMark", "^": "centered", ">": "right", "<": "flush", "!": "mark" } as const
      )[marked[1] as "=" | "@" | "^" | ">" | "<" | "!"];
      blocks.push({ kind, text });
      continue;
    }
    blocks.push({ kind: "body", text: line });
  }
  return blocks;
}
