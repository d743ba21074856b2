import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import type { ParseContext } from "./parsed-report.js";

export interface ZonePattern {
  text: string;
  zone: ZoneDef;
  /** A name with a zone suffix (经开区, 开发区, 园区, …) matches anywhere; a bare short name needs a boundary. */
  strong: boolean;
}

export interface IndicatorPattern {
  text: string;
  indicator: IndicatorDef;
  /**
   * For the derived "同比" names of a rate labelled e.g. "进出口同比": the base ("进出口"). Such a name belongs
   * to the rate only when the money figure before it on the line is that base's ("出口…同比" is not 进出口同比).
   */
  derivedBase?: string;
}

/** Lookup tables built once per ParseContext (cached by object identity). */
export interface Vocabulary {
  zonesByFirst: Map<string, ZonePattern[]>;
  indicatorsByFirst: Map<string, IndicatorPattern[]>;
  indicators: IndicatorDef[];
  zones: ZoneDef[];
}

export const ZONE_SUFFIXES = [
  "高新技术产业开发区",
  "经济技术开发区",
  "经济开发区",
  "工业园区",
  "产业园区",
  "高新区",
  "经开区",
  "开发区",
  "工业园",
  "园区",
];
const SUFFIX_RE = new RegExp(`(?:${ZONE_SUFFIXES.join("|")})$`);
const PROVINCE_PREFIX = /^贵州省?/;

/** Built per (zones, indicators) pair: a programme snapshot's arrays are reused across messages. */
const cache = new WeakMap<ZoneDef[], WeakMap<IndicatorDef[], Vocabulary>>();

export function vocabularyOf(ctx: ParseContext): Vocabulary {
  let byIndicators = cache.get(ctx.zones);
  if (!byIndicators) {
    byIndicators = new WeakMap();
    cache.set(ctx.zones, byIndicators);
  }
  let v = byIndicators.get(ctx.indicators);
  if (!v) {
    v = build(ctx);
    byIndicators.set(ctx.indicators, v);
  }
  return v;
}

/**
 * Zone names are stored once each (name, short name, aliases and their cores without province prefix or zone
 * suffix); "贵州省" before and "县/市/区 + 经开区/开发区/…" after are matched around them (see line-tokens).
 */
function build(ctx: ParseContext): Vocabulary {
  const zonePatterns = new Map<string, ZonePattern | null>(); // null = ambiguous (two zones), dropped
  const addZone = (text: string, zone: ZoneDef, strong: boolean) => {
    if (text.length < 2) return;
    const prev = zonePatterns.get(text);
    if (prev === undefined) zonePatterns.set(text, { text, zone, strong });
    else if (prev !== null && prev.zone.id !== zone.id) zonePatterns.set(text, null);
    else if (prev !== null && strong && !prev.strong) prev.strong = true;
  };
  for (const zone of ctx.zones) {
    for (const base of new Set(
      [zone.name, zone.shortName, ...zone.aliases].map((s) => s.trim()).filter(Boolean),
    )) {
      const unprefixed = base.replace(PROVINCE_PREFIX, "");
      addZone(unprefixed, zone, SUFFIX_RE.test(unprefixed));
      const core = unprefixed.replace(SUFFIX_RE, "");
      if (core !== unprefixed) addZone(core, zone, false);
    }
  }

  const indicatorPatterns = new Map<string, IndicatorPattern | null>();
  const addIndicator = (text: string, indicator: IndicatorDef, derivedBase?: string) => {
    const t = text.trim();
    if (t.length < 2) return;
    const prev = indicatorPatterns.get(t);
    if (prev === undefined)
      indicatorPatterns.set(t, derivedBase ? { text: t, indicator, derivedBase } : { text: t, indicator });
    else if (prev !== null && prev.indicator.key !== indicator.key) indicatorPatterns.set(t, null);
  };
  const sorted = [...ctx.indicators].sort((a, b) => a.sortOrder - b.sortOrder);
  for (const ind of sorted) {
    for (const name of [ind.label, ...ind.aliases]) {
      addIndicator(name, ind);
      const stem = name.replace(/(总额|金额|总值|额|数量|个数|次数|场次|数)$/, "");
      if (stem !== name) addIndicator(stem, ind);
    }
  }
  // "同比" alone names the year-on-year rate when exactly one percent indicator is a 同比 rate
  const yoy = sorted.filter((i) => i.kind === "percent" && /同比/.test(i.label));
  if (yoy.length === 1 && !indicatorPatterns.has("同比")) {
    const base = yoy[0]!.label.replace(/同比.*$/, "");
    for (const word of [
      "同比",
      "同比增长",
      "同比增速",
      "同比增幅",
      "较上年同期",
      "较去年同期",
      "比上年同期",
      "比去年同期",
    ])
      addIndicator(word, yoy[0]!, base || undefined);
  }

  return {
    zonesByFirst: byFirstChar([...zonePatterns.values()].filter((p): p is ZonePattern => p !== null)),
    indicatorsByFirst: byFirstChar(
      [...indicatorPatterns.values()].filter((p): p is IndicatorPattern => p !== null),
    ),
    indicators: sorted,
    zones: ctx.zones,
  };
}

function byFirstChar<T extends { text: string }>(patterns: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const p of patterns) {
    const first = p.text[0]!;
    const list = map.get(first) ?? [];
    list.push(p);
    map.set(first, list);
  }
  for (const list of map.values()) list.sort((a, b) => b.text.length - a.text.length);
  return map;
}

/** Longest pattern of the table that starts at `pos`. */
export function longestAt<T extends { text: string }>(
  table: Map<string, T[]>,
  line: string,
  pos: number,
  accept: (p: T) => boolean = () => true,
): T | undefined {
  const list = table.get(line[pos]!);
  if (!list) return undefined;
  for (const p of list) if (line.startsWith(p.text, pos) && accept(p)) return p;
  return undefined;
}
