import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import type { LineToken } from "./line-tokens.js";
import { findQuantity, type MoneyUnit } from "./quantities.js";
import { doubtAbout } from "./uncertain-figures.js";
import { type Vocabulary, ZONE_SUFFIXES } from "./vocabulary.js";

/**
 * "全市经开区一季度合计完成进出口5.38亿元，其中湄潭0.56亿元，仁怀4.5亿元，正安0.32亿元。" — a prefecture's
 * total of one field, broken down by zone after 其中. The zones' figures are that field's (the field
 * is named once, before the total); the total is no zone's and is named back. Read only in this exact
 * shape, else the line is refused as a prefecture total, as before (DEFECTS-round2.md C5):
 * - nothing but period mentions before the field; the total right after the field name (a verb such as
 *   完成 between them), then 其中;
 * - each part: a zone the roster knows (its name or short name, with or without 经开区 — a bare short
 *   name counts here, where only a zone can stand, though the tokenizer needs a boundary after one), at
 *   most a verb, one figure of the field's kind with nothing after it but a separator (、，；) or the end
 *   of the line — a part with a rate, a second field or any other word ("仁怀4.5亿元，增长12%") makes the
 *   whole line a question, and so does any other token among the parts;
 * - the total itself raises no doubt (e.g. 当季 or 3月 where the programme wants the running total), and
 *   the parts do not add up to more than it.
 */
export interface PrefectureBreakdown {
  ind: IndicatorDef;
  /** "全市经开区一季度合计完成进出口5.38亿元": named back, not stored. */
  totalRaw: string;
  totalEnd: number;
  parts: BreakdownPart[];
}

export interface BreakdownPart {
  zone: ZoneDef;
  zoneText: string;
  value: Decimal;
  /** "湄潭 进出口额：0.56亿元" — the raw text stored with the value (the field name written out). */
  raw: string;
  start: number;
  end: number;
}

const VERB = "(?:累计|合计|共计|共|总计)?(?:完成|实现|达到|达|为|是)?";
/** Between a field (or a part's zone) and its figure. */
const GAP = new RegExp(`^[\\s：:]*${VERB}[\\s：:]*`);
const BREAKDOWN_LEAD = /^\s*[，,]?\s*其中\s*[：:，,]?\s*/;
const PREFECTURE_ZONES =
  /^(?:全州|全市|全省|全地区|我州|我市|本州|本市)(?:各|所有)?(?:经开区|经济开发区|开发区)?(?:一季度|上半年|前三季度|全年)?/;
const PART_SEPARATOR = /^\s*[、，,；;]\s*/;
const LINE_END = /^[\s。；;！!]*$/;
/** Where a figure's segment ends: a separator, or the next token. */
const SEGMENT_END = /[、，,；;。]/;

export function prefectureBreakdown(
  line: string,
  tokens: LineToken[],
  firstField: number,
  vocab: Vocabulary,
  unit: MoneyUnit | undefined,
  quarter: number | undefined,
): PrefectureBreakdown | undefined {
  if (tokens.slice(0, firstField).some((t) => t.kind !== "period")) return undefined;
  const field = tokens[firstField];
  if (field?.kind !== "indicator") return undefined;
  const ind = field.indicator;
  if (ind.kind !== "money" && ind.kind !== "count") return undefined;
  const totalStart = field.end + GAP.exec(line.slice(field.end))![0].length;
  const total = figureAt(line, totalStart, tokens[firstField + 1]?.start, ind, unit);
  if (!total) return undefined;
  const wordsStart = firstField > 0 ? tokens[firstField - 1]!.end : 0;
  const doubt = doubtAbout({
    ind,
    line,
    tokStart: field.start,
    valueEnd: total.end,
    // "全市经开区" names the prefecture's zones, not a part of the field ("全市经开区吉他出口" still narrows it)
    lead: line.slice(wordsStart, field.start).replace(PREFECTURE_ZONES, ""),
    wordsStart: 0,
    gapText: "",
    found: line.slice(totalStart, total.end),
    after: line.slice(total.end),
    quarter,
  });
  if (doubt) return undefined;
  const lead = BREAKDOWN_LEAD.exec(line.slice(total.end));
  if (!lead) return undefined;
  let at = total.end + lead[0].length;
  const parts: BreakdownPart[] = [];
  for (;;) {
    const z = zoneNamedAt(line, at, vocab);
    if (!z) return undefined;
    const from = z.end + GAP.exec(line.slice(z.end))![0].length;
    const fig = figureAt(line, from, undefined, ind, unit);
    if (!fig) return undefined;
    parts.push({
      zone: z.zone,
      zoneText: line.slice(at, z.end),
      value: fig.value,
      raw: `${line.slice(at, z.end)} ${ind.label}：${line.slice(from, fig.end)}`,
      start: at,
      end: fig.end,
    });
    const rest = line.slice(fig.end);
    if (LINE_END.test(rest)) break;
    const sep = PART_SEPARATOR.exec(rest);
    if (!sep) return undefined;
    at = fig.end + sep[0].length;
  }
  // the tokenizer found nothing among the parts but (some of) their zones
  const partsStart = parts[0]!.start;
  if (
    tokens
      .slice(firstField + 1)
      .some((t) => t.start < partsStart || t.kind !== "zone" || !parts.some((p) => p.start === t.start))
  )
    return undefined;
  if (new Set(parts.map((p) => p.zone.id)).size !== parts.length) return undefined;
  if (Decimal.sum(parts.map((p) => p.value)).gt(total.value)) return undefined;
  return { ind, totalRaw: line.slice(0, total.end).trim(), totalEnd: total.end, parts };
}

const SUFFIX = new RegExp(`^[县市区]?(?:${ZONE_SUFFIXES.join("|")})`);

/** The roster zone whose name (the longest that fits) starts at `at`, with its suffix if written. */
function zoneNamedAt(
  line: string,
  at: number,
  vocab: Vocabulary,
): { zone: ZoneDef; end: number } | undefined {
  let best: { zone: ZoneDef; end: number } | undefined;
  for (const p of vocab.zonesByFirst.get(line[at] ?? "") ?? []) {
    if (!line.startsWith(p.text, at)) continue;
    const end = at + p.text.length;
    if (!best || end > best.end) best = { zone: p.zone, end };
  }
  if (!best) return undefined;
  const suffix = SUFFIX.exec(line.slice(best.end));
  return suffix ? { zone: best.zone, end: best.end + suffix[0].length } : best;
}

/** A figure of the field's kind starting at `from` and filling its segment, or undefined. */
function figureAt(
  line: string,
  from: number,
  nextToken: number | undefined,
  ind: IndicatorDef,
  unit: MoneyUnit | undefined,
): { value: Decimal; end: number } | undefined {
  const rest = line.slice(from, nextToken ?? line.length);
  const cut = rest.search(SEGMENT_END);
  const segment = cut < 0 ? rest : rest.slice(0, cut);
  const q = findQuantity(ind.kind, segment, unit);
  if (!q?.ok || q.start !== 0 || segment.slice(q.end).trim() !== "") return undefined;
  return { value: q.value, end: from + q.end };
}
