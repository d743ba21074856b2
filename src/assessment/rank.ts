import type { Decimal } from "../domain/decimal.js";

/**
 * Competition ranking ("1,2,2,4"): higher values rank first, equal values share a rank and the
 * next rank skips. Entries without a value get no rank. Returns the rank by key.
 */
export function competitionRanks<K>(entries: Array<{ key: K; value: Decimal | undefined }>): Map<K, number> {
  const ranked = entries
    .filter((e): e is { key: K; value: Decimal } => e.value !== undefined)
    .map((e, i) => ({ ...e, i }))
    .sort((a, b) => b.value.cmp(a.value) || a.i - b.i);
  const out = new Map<K, number>();
  let rank = 0;
  ranked.forEach((e, pos) => {
    const prev = ranked[pos - 1];
    if (!prev?.value.eq(e.value)) rank = pos + 1;
    out.set(e.key, rank);
  });
  return out;
}
