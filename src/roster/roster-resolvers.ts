import type { IndicatorRow, PrefectureRow, ZoneRow } from "../programme/programme-data.js";
import { foldAscii } from "./roster-values.js";

const norm = (s: string) => foldAscii(s).replace(/\s+/g, "").toLowerCase();

/** Finds a thing by any of its names; a name shared by two things is ambiguous. */
export class NameIndex<T> {
  private readonly byName = new Map<string, T[]>();

  add(item: T, names: string[]): void {
    for (const n of new Set(names.map(norm).filter((x) => x !== ""))) {
      const list = this.byName.get(n) ?? [];
      if (!list.includes(item)) list.push(item);
      this.byName.set(n, list);
    }
  }

  find(name: string): { item?: T; ambiguous?: T[] } {
    const list = this.byName.get(norm(name)) ?? [];
    if (list.length === 1) return { item: list[0]! };
    return list.length > 1 ? { ambiguous: list } : {};
  }
}

export function prefectureIndex(prefectures: PrefectureRow[]): NameIndex<PrefectureRow> {
  const idx = new NameIndex<PrefectureRow>();
  for (const p of prefectures) idx.add(p, [p.code, p.name, p.shortName]);
  return idx;
}

export function zoneIndex(zones: ZoneRow[]): NameIndex<ZoneRow> {
  const idx = new NameIndex<ZoneRow>();
  for (const z of zones) idx.add(z, [z.id, z.name, z.shortName, ...z.aliases]);
  return idx;
}

export function indicatorIndex(indicators: IndicatorRow[]): NameIndex<IndicatorRow> {
  const idx = new NameIndex<IndicatorRow>();
  for (const i of indicators) idx.add(i, [i.key, i.label, ...i.aliases]);
  return idx;
}
