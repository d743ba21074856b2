import type { IndicatorDef } from "../programme/programme.js";
import type { LineToken } from "./line-tokens.js";

// Line-level rules of the report parser: where a value ends, what is chatter, what starts a new block.

/** Start of the next token that ends the current field's value (period mentions inside it do not). */
export function nextBoundary(tokens: LineToken[], k: number, lineEnd: number): number {
  for (let j = k + 1; j < tokens.length; j++) if (tokens[j]!.kind !== "period") return tokens[j]!.start;
  return lineEnd;
}

const TARGET_WORDS = /目标|计划|任务|预计|力争|预期/;

/** "全年目标进出口12亿元", "进出口目标12亿元": a target, not the figure reached. */
export function isTargetMention(line: string, tokens: LineToken[], k: number): boolean {
  const tok = tokens[k]!;
  const prevEnd = k > 0 ? tokens[k - 1]!.end : 0;
  const before = line.slice(prevEnd, tok.start);
  const clause = before.slice(
    Math.max(before.lastIndexOf("，"), before.lastIndexOf("；"), before.lastIndexOf("。")) + 1,
  );
  if (TARGET_WORDS.test(clause)) return true;
  return /^\s*(?:全年)?(?:目标|计划|任务)/.test(line.slice(tok.end));
}

function namesStartWith(ind: IndicatorDef, base: string): boolean {
  return [ind.label, ...ind.aliases].some((n) => n.startsWith(base));
}

/**
 * A bare "同比" after another money figure ("出口4200万元，同比下降2%") is that figure's rate, not the base
 * rate's — unless the other figures were a breakdown ("进出口5600万元，其中出口…、进口…，同比增长8.3%"); after a
 * count it is the count's (found by the adversarial review of 2026-12-08: it had been stored as 进出口同比).
 */
export function yoyBelongsToBase(line: string, tokens: LineToken[], k: number, base: string): boolean {
  // "包装招商项目3个，同比增长50%": right after a count the rate is that count's (no field of its own): named back
  for (let j = k - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.kind !== "indicator") continue;
    if (t.indicator.kind === "count") return false;
    break;
  }
  let lastMoney = -1;
  for (let j = k - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.kind === "indicator" && t.indicator.kind === "money") {
      lastMoney = j;
      break;
    }
  }
  if (lastMoney < 0) return true;
  const last = tokens[lastMoney] as Extract<LineToken, { kind: "indicator" }>;
  if (namesStartWith(last.indicator, base)) return true;
  for (let j = lastMoney - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.kind === "indicator" && t.indicator.kind === "money" && namesStartWith(t.indicator, base)) {
      return line.slice(t.end, tokens[k]!.start).includes("其中");
    }
  }
  return false;
}

const SIGN_OFF =
  /^(?:以上|此致|敬礼|谢谢|感谢|请审阅|请审核|请查收|请审定|请领导|特此|专此|妥否|此报|祝好|辛苦)|^\d{4}年\d{1,2}月\d{1,2}日$|(?:商务局|办公室|专班|管委会)\s*(?:\d{4}年\d{1,2}月\d{1,2}日)?$/;

export function isSignOff(line: string): boolean {
  return SIGN_OFF.test(line);
}

/** Does this line start a new block (ends a multi-line text value)? */
export function startsBlock(line: string, tokens: LineToken[]): boolean {
  const first = tokens[0];
  if (first?.start !== 0) return false;
  const rest = line.slice(first.end);
  switch (first.kind) {
    case "label":
      return true;
    case "indicator":
      return (
        /^\s*(?:[(（][^)）]{0,10}[)）])?\s*：/.test(rest) ||
        rest.trim() === "" ||
        /^\s*[-+]?[\d零〇一二两三四五六七八九十]/.test(rest)
      );
    case "zone":
    case "unknown_zone": {
      const next = tokens[1];
      return (
        /^[\s：]*$/.test(rest) ||
        (next !== undefined &&
          (next.kind === "indicator" || next.kind === "period") &&
          next.start - first.end <= 2)
      );
    }
    case "period":
      return /^[\s：]*$/.test(rest);
  }
}

const HEADER_CHATTER =
  /领导|同志|您好|你好|大家|如下|报送|汇报|情况|谢谢|局|办|专班|此致|敬礼|附件|说明|通知|各位|收到|好的/;

/** "凤冈：" or "凤冈" alone on a line, followed by field lines: a zone header naming no known zone. */
export function looksLikeSectionHeader(line: string): boolean {
  return /^[\u3400-\u9FFF]{2,8}\s*：?$/.test(line) && !HEADER_CHATTER.test(line);
}

/** Between two zones of a list: separators and joining words only ("惠水、龙里", "惠水和龙里经开区"). */
const ZONE_LIST_GAP = /^[\s、，,/／&＆和与及跟]*$/;

/**
 * The run of zones from token k (a zone) on (`last`: its last token); `names` when at least two zones follow
 * one another with only separators between them and a field comes after the run: the figures cannot be given
 * to one zone.
 */
export function zoneList(line: string, tokens: LineToken[], k: number): { names?: string[]; last: number } {
  let last = k;
  while (
    tokens[last + 1]?.kind === "zone" &&
    ZONE_LIST_GAP.test(line.slice(tokens[last]!.end, tokens[last + 1]!.start))
  )
    last++;
  let next = last + 1;
  while (tokens[next]?.kind === "period") next++; // "惠水和龙里经开区一季度进出口…"
  if (last === k || tokens[next]?.kind !== "indicator") return { last };
  const names = tokens.slice(k, last + 1).map((t) => t.text);
  return new Set(tokens.slice(k, last + 1).map((t) => (t.kind === "zone" ? t.zone.id : t.text))).size > 1
    ? { names, last }
    : { last };
}

/**
 * The text after field token k up to the next boundary: period mentions inside it blanked (so their
 * numerals are not read: "进出口：一季度累计3.2亿元"), a leading unit label ("（万元）", "（%）") taken off.
 * `offset`: where `value` starts after the token's end.
 */
export function valueSegment(
  line: string,
  tokens: LineToken[],
  k: number,
): { value: string; offset: number; labelUnit?: string } {
  const tok = tokens[k]!;
  const segEnd = nextBoundary(tokens, k, line.length);
  let segment = line.slice(tok.end, segEnd);
  // tokens after this one up to the segment's end only (linear over the line)
  for (let n = k + 1; n < tokens.length && tokens[n]!.start < segEnd; n++) {
    const t = tokens[n]!;
    if (t.kind === "period" && t.start >= tok.end && t.end <= segEnd) {
      const a = t.start - tok.end;
      segment = `${segment.slice(0, a)}${" ".repeat(t.end - t.start)}${segment.slice(a + t.end - t.start)}`;
    }
  }
  const label = /^\s*[(（]\s*(?:单位\s*：?\s*)?([^)）]{1,6})[)）]/.exec(segment);
  const offset = label ? label[0].length : 0;
  return { value: segment.slice(offset), offset, ...(label ? { labelUnit: label[1]! } : {}) };
}
