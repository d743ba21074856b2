import type { IndicatorDef, ZoneDef } from "../programme/programme.js";

// "您是否指 …？": the nearest known name to a word the parser could not place. Edit distance over characters
// after folding shape-alike characters (囗/口, 曰/日, …), which phone keyboards and OCR mix up.

/** Characters that look alike → the one the roster uses. */
const SHAPE_ALIKE: Readonly<Record<string, string>> = {
  囗: "口",
  曰: "日",
  巳: "已",
  己: "已",
  末: "未",
  戌: "戍",
  汩: "汨",
  冶: "治",
  兀: "元",
  士: "土",
  入: "人",
  凖: "准",
  O: "0",
  〇: "0",
};

export function foldShapes(s: string): string {
  let out = "";
  for (const c of s) out += SHAPE_ALIKE[c] ?? c;
  return out;
}

// Rows of the edit-distance table, reused (names are short; a longer pair grows them).
let prevRow = new Int32Array(32);
let curRow = new Int32Array(32);

/** Levenshtein distance with an early exit above `max` (names are short: ≤ 20 characters). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (prevRow.length <= b.length) {
    prevRow = new Int32Array(b.length + 1);
    curRow = new Int32Array(b.length + 1);
  }
  let prev = prevRow;
  let cur = curRow;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, sub);
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length]!;
}

/** How far a word may be from a name: nothing for one character, one edit up to 4, two beyond. */
function allowed(len: number, short: number): number {
  return len <= 2 ? short : len <= 4 ? 1 : 2;
}

/** Edits between two folded names, when within what `allowed` permits (`short`: for two-character names — zones' short names: 都云 → 都匀; field words: none). */
function foldedScore(a: string, b: string, short: number): number | undefined {
  if (a === b) return 0;
  const limit = allowed(Math.min(a.length, b.length), short);
  if (Math.abs(a.length - b.length) > limit) return undefined;
  const d = editDistance(a, b, 2);
  return d <= limit ? d : undefined;
}

/** The indicator whose label or an alias is nearest to `word`, or undefined when none is near. */
export function nearestIndicator(word: string, indicators: IndicatorDef[]): IndicatorDef | undefined {
  if (word.length > 20) return undefined;
  const a = foldShapes(word);
  let best: { ind: IndicatorDef; d: number } | undefined;
  for (const { ind, names } of foldedIndicators(indicators)) {
    for (const b of names) {
      const d = foldedScore(a, b, 0);
      if (d !== undefined && (!best || d < best.d)) best = { ind, d };
    }
  }
  return best?.ind;
}

const ZONE_SUFFIX = /(经济技术开发区|高新技术产业开发区|经济开发区|经开区|开发区|高新区|园区)$/;

// The names to compare against, folded once per roster array (a programme snapshot's, reused across messages).
const indicatorNames = new WeakMap<IndicatorDef[], { ind: IndicatorDef; names: string[] }[]>();
function foldedIndicators(indicators: IndicatorDef[]) {
  let out = indicatorNames.get(indicators);
  if (!out) {
    out = indicators.map((ind) => ({
      ind,
      names: [ind.label, ...ind.aliases].filter((n) => n.length >= 2).map(foldShapes),
    }));
    indicatorNames.set(indicators, out);
  }
  return out;
}
const zoneNames = new WeakMap<ZoneDef[], { zone: ZoneDef; names: string[]; cores: string[] }[]>();
function foldedZones(zones: ZoneDef[]) {
  let out = zoneNames.get(zones);
  if (!out) {
    out = zones.map((zone) => {
      const all = [zone.name, zone.shortName, ...zone.aliases];
      return {
        zone,
        names: all.filter((n) => n.length >= 2).map(foldShapes),
        cores: all
          .map((n) => n.replace(ZONE_SUFFIX, ""))
          .filter((n) => n.length >= 2)
          .map(foldShapes),
      };
    });
    zoneNames.set(zones, out);
  }
  return out;
}

/**
 * Zones whose name, short name or alias is nearest to `word` (at most 3), zones of `prefectureCode` first:
 * "都云" → 都匀 for a 黔南 contact.
 */
export function nearestZones(word: string, zones: ZoneDef[], prefectureCode?: string): ZoneDef[] {
  let memo = nearestMemo.get(zones);
  if (!memo) {
    memo = new Map();
    nearestMemo.set(zones, memo);
  }
  const key = `${prefectureCode ?? ""}\u0000${word}`;
  const known = memo.get(key);
  if (known) return [...known];
  const found = findNearestZones(word, zones, prefectureCode);
  if (memo.size >= 4096) memo.clear();
  memo.set(key, found);
  return [...found];
}

/** Per roster array: word → nearest zones (bounded: emptied at 4096 words). */
const nearestMemo = new WeakMap<ZoneDef[], Map<string, ZoneDef[]>>();

function findNearestZones(word: string, zones: ZoneDef[], prefectureCode?: string): ZoneDef[] {
  const core = word.replace(ZONE_SUFFIX, "");
  const hits: { zone: ZoneDef; d: number; own: boolean }[] = [];
  const fw = word.length > 20 ? undefined : foldShapes(word);
  const fc = core.length > 20 ? undefined : foldShapes(core);
  for (const { zone, names, cores } of foldedZones(zones)) {
    let best: number | undefined;
    for (const [w, ns] of [
      [fw, names],
      [fc, cores],
    ] as const) {
      if (w === undefined) continue;
      for (const n of ns) {
        const d = foldedScore(w, n, w.length === n.length ? 1 : 0);
        if (d !== undefined && (best === undefined || d < best)) best = d;
      }
    }
    if (best !== undefined) hits.push({ zone, d: best, own: zone.prefectureCode === prefectureCode });
  }
  hits.sort((a, b) => Number(b.own) - Number(a.own) || a.d - b.d);
  return hits.slice(0, 3).map((h) => h.zone);
}

/** "，您是否指 都匀？" / "" */
export function didYouMean(names: string[]): string {
  return names.length === 0 ? "" : `，您是否指 ${names.join(" 或 ")}？`;
}
