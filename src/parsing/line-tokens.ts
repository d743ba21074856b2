import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import { findPeriodMentions, type PeriodMention } from "./periods.js";
import { longestAt, type Vocabulary, ZONE_SUFFIXES } from "./vocabulary.js";

export type LineToken =
  | { kind: "zone"; start: number; end: number; text: string; zone: ZoneDef }
  | { kind: "unknown_zone"; start: number; end: number; text: string }
  | {
      kind: "indicator";
      start: number;
      end: number;
      text: string;
      indicator: IndicatorDef;
      derivedBase?: string;
    }
  | { kind: "period"; start: number; end: number; text: string; mention: PeriodMention }
  | { kind: "label"; start: number; end: number; text: string; ignoreRest: boolean };

/** Labels of chatter ("联系人：张三"): the rest of the line carries no report data. */
const IGNORE_REST_LABELS = [
  "填写说明",
  "填报说明",
  "说明",
  "附件",
  "抄送",
  "来源",
  "数据来源",
  "备注",
  "注",
  "联系人",
  "联系电话",
  "联系方式",
  "电话",
  "手机",
  "手机号",
  "座机",
  "邮箱",
  "传真",
  "地址",
  "审核人",
  "填报人",
  "报送人",
  "负责人",
  "日期",
  "填报日期",
  "报送日期",
  "填报时间",
  "报送时间",
];
/** Labels that only introduce what follows ("报送期间：2023年一季度", "经开区：惠水"). */
const NEUTRAL_LABELS = [
  "报送期间",
  "填报期间",
  "统计期间",
  "报告期",
  "期间",
  "时间",
  "季度",
  "报送单位",
  "填报单位",
  "单位",
  "经开区名称",
  "园区名称",
  "名称",
  "经开区",
  "开发区",
  "园区",
];
const LABELS_BY_FIRST = new Map<string, { text: string; ignoreRest: boolean }[]>();
for (const label of [
  ...IGNORE_REST_LABELS.map((text) => ({ text, ignoreRest: true })),
  ...NEUTRAL_LABELS.map((text) => ({ text, ignoreRest: false })),
].sort((a, b) => b.text.length - a.text.length)) {
  const list = LABELS_BY_FIRST.get(label.text[0]!) ?? [];
  list.push(label);
  LABELS_BY_FIRST.set(label.text[0]!, list);
}
const LABEL_COLON = /\s*(?:[(（][^)）]{0,8}[)）]\s*)?：/y;

const HAN = /[\u3400-\u9FFF]/;
/** After a bare short zone name ("惠水"), one of these must follow for it to count as the zone. */
const ZONE_BOUNDARY = /^(?:$|[\s：，,；。、()（）【】[\]「」<>《》\-~!！?？/|:;])/;
const ZONE_CONTINUATION = /^(?:经开|经济|开发|工业|高新|园)/;
const SUFFIX_AT = new RegExp(`(?:${ZONE_SUFFIXES.join("|")})`, "y");
const SUFFIX_FIRST = new Set(ZONE_SUFFIXES.map((s) => s[0]!));
const NAME_STOP_PREFIX =
  /^(?:现将|现就|关于|根据|按照|对于|对|将|把|在|与|和|及|我州|我市|我县|本州|本市|全州|全市|全省|贵州省|贵州)/;
const GENERIC_ZONE_WORDS =
  /^(?:各|各个|全省|全州|全市|外贸升级|省级|国家级|相关|有关|培育|重点|其他|其它|所属|辖区|该|本|此|上述|以下|下列|所有|部分|新设|新增|申建|升级|拟|现有|试点|示范|我州|我市)$/;
const GENERIC_IN_NAME = /[各等个家些级类所]/;

/** Splits one normalised line into the tokens the report parser acts on, left to right, without overlaps. */
export function tokenizeLine(line: string, vocab: Vocabulary): LineToken[] {
  const tokens: LineToken[] = [];
  const starts = startsOf(vocab);
  const periods = findPeriodMentions(line);
  let pi = 0;
  let lastEnd = 0;
  let i = 0;
  while (i < line.length) {
    while (pi < periods.length && periods[pi]!.start < i) pi++;
    const period = periods[pi];
    if (period && period.start === i) {
      tokens.push({ kind: "period", start: i, end: period.end, text: period.text, mention: period });
      i = lastEnd = period.end;
      continue;
    }
    if (!starts[line.charCodeAt(i)]) {
      i += 1; // nothing a token starts with: no label, zone, indicator or zone suffix here
      continue;
    }
    const label = labelAt(line, i);
    if (label) {
      tokens.push({
        kind: "label",
        start: i,
        end: i + label.text.length,
        text: label.text,
        ignoreRest: label.ignoreRest,
      });
      i = lastEnd = i + label.text.length;
      if (label.ignoreRest) break;
      continue;
    }
    const zone = zoneAt(line, i, vocab, periods);
    const indicator = longestAt(vocab.indicatorsByFirst, line, i);
    if (zone && (!indicator || zone.end - i >= indicator.text.length)) {
      tokens.push({ kind: "zone", start: i, end: zone.end, text: line.slice(i, zone.end), zone: zone.zone });
      i = lastEnd = zone.end;
      continue;
    }
    if (indicator) {
      tokens.push({
        kind: "indicator",
        start: i,
        end: i + indicator.text.length,
        text: indicator.text,
        indicator: indicator.indicator,
        ...(indicator.derivedBase ? { derivedBase: indicator.derivedBase } : {}),
      });
      i = lastEnd = i + indicator.text.length;
      continue;
    }
    SUFFIX_AT.lastIndex = i;
    const suffix = SUFFIX_FIRST.has(line[i]!) ? SUFFIX_AT.exec(line) : null;
    if (suffix) {
      const unknown = unknownZoneBefore(line, lastEnd, i, suffix[0]);
      // only a zone named as a heading or before its data ("凤冈经开区：…"), not "加快工业园区建设"
      if (unknown && weakBoundaryOk(line, unknown.end, vocab, periods)) tokens.push(unknown);
      i = lastEnd = i + suffix[0].length;
      continue;
    }
    i += 1;
  }
  return tokens;
}

/**
 * The characters a label, zone (with "贵州" before it), indicator or zone suffix starts with, by UTF-16 code:
 * at any other character tokenizeLine finds nothing and moves on. Per vocabulary, built once.
 */
const startsByVocab = new WeakMap<Vocabulary, Uint8Array>();
function startsOf(vocab: Vocabulary): Uint8Array {
  let t = startsByVocab.get(vocab);
  if (!t) {
    t = new Uint8Array(0x10000);
    for (const keys of [LABELS_BY_FIRST.keys(), vocab.zonesByFirst.keys(), vocab.indicatorsByFirst.keys()])
      for (const k of keys) t[k.charCodeAt(0)] = 1;
    for (const k of SUFFIX_FIRST) t[k.charCodeAt(0)] = 1;
    t["贵".charCodeAt(0)] = 1;
    startsByVocab.set(vocab, t);
  }
  return t;
}

function labelAt(line: string, i: number): { text: string; ignoreRest: boolean } | undefined {
  const candidates = LABELS_BY_FIRST.get(line[i]!);
  if (!candidates || (i > 0 && HAN.test(line[i - 1]!))) return undefined;
  for (const l of candidates) {
    if (!line.startsWith(l.text, i)) continue;
    LABEL_COLON.lastIndex = i + l.text.length;
    if (LABEL_COLON.test(line)) return l;
  }
  return undefined;
}

const PROVINCE_AT = /贵州省?/y;
const SUFFIX_AFTER_CORE = new RegExp(`[县市区]?(?:${ZONE_SUFFIXES.join("|")})`, "y");

/**
 * The zone named at `i`: an optional "贵州(省)", a stored name, then — for a bare name — an optional
 * "县/市/区" and zone suffix ("惠水县经济开发区"), or else a boundary (see weakBoundaryOk).
 */
function zoneAt(
  line: string,
  i: number,
  vocab: Vocabulary,
  periods: PeriodMention[],
): { zone: ZoneDef; end: number } | undefined {
  let prefix: RegExpExecArray | null = null;
  if (line[i] === "贵") {
    PROVINCE_AT.lastIndex = i;
    prefix = PROVINCE_AT.exec(line);
  }
  const at = prefix ? i + prefix[0].length : i;
  const candidates = vocab.zonesByFirst.get(line[at]!);
  if (!candidates) return undefined;
  for (const p of candidates) {
    if (!line.startsWith(p.text, at)) continue;
    const end = at + p.text.length;
    if (p.strong) return { zone: p.zone, end };
    SUFFIX_AFTER_CORE.lastIndex = end;
    const suffix = SUFFIX_AFTER_CORE.exec(line);
    if (suffix) return { zone: p.zone, end: end + suffix[0].length };
    if (prefix) continue; // "贵州" + bare short name is no zone mention
    if (weakBoundaryOk(line, end, vocab, periods) && !midSentence(line, i, end)) {
      return { zone: p.zone, end: line[end] === "县" || line[end] === "区" ? end + 1 : end };
    }
  }
  return undefined;
}

/**
 * A bare short name inside a sentence and followed only by punctuation ("维护和平，") is an ordinary word;
 * after an administrative word or a list mark ("我州惠水、龙里") or before a colon it is the zone.
 */
function midSentence(line: string, start: number, end: number): boolean {
  const before = line[start - 1];
  if (before === undefined || !HAN.test(before) || /[州市县省将和与及至]/.test(before)) return false;
  return /^[，,；。!！?？]/.test(line.slice(end, end + 1));
}

function weakBoundaryOk(line: string, end: number, vocab: Vocabulary, periods: PeriodMention[]): boolean {
  const rest = line.slice(end);
  if (ZONE_BOUNDARY.test(rest) || ZONE_CONTINUATION.test(rest)) return true;
  // "惠水和龙里经开区": joined to another zone name
  if (/^[和与及跟]/.test(rest) && vocab.zonesByFirst.get(rest[1]!)?.some((p) => rest.startsWith(p.text, 1)))
    return true;
  if (
    (rest[0] === "县" || rest[0] === "区") &&
    (rest.length === 1 || !HAN.test(rest[1]!) || startsWithData(line, end + 1, vocab, periods))
  )
    return true;
  return startsWithData(line, end, vocab, periods);
}

function startsWithData(line: string, pos: number, vocab: Vocabulary, periods: PeriodMention[]): boolean {
  return periods.some((p) => p.start === pos) || longestAt(vocab.indicatorsByFirst, line, pos) !== undefined;
}

/** "凤冈经开区" that names no zone of the roster; generic phrases ("各经开区", "外贸升级经开区") are not flagged. */
function unknownZoneBefore(
  line: string,
  from: number,
  suffixStart: number,
  suffix: string,
): LineToken | undefined {
  let run = line.slice(from, suffixStart);
  const m = /[\u3400-\u9FFF]+$/.exec(run);
  if (!m) return undefined;
  run = m[0];
  let start = suffixStart - run.length;
  // keep what follows the last administrative word: "遵义市凤冈" → "凤冈", "凤冈县" → "凤冈县"
  const admin = /^.*[省市州县](?=.)/.exec(run.slice(0, -1));
  if (admin) {
    run = run.slice(admin[0].length);
    start += admin[0].length;
  }
  for (let guard = 0; guard < 3; guard++) {
    const stop = NAME_STOP_PREFIX.exec(run);
    if (!stop) break;
    run = run.slice(stop[0].length);
    start += stop[0].length;
  }
  if (run.length < 2 || run.length > 8 || GENERIC_ZONE_WORDS.test(run) || GENERIC_IN_NAME.test(run))
    return undefined;
  const end = suffixStart + suffix.length;
  return { kind: "unknown_zone", start, end, text: line.slice(start, end) };
}
