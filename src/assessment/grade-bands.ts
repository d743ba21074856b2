import { Decimal } from "../domain/decimal.js";
import { ratioAtLeastPct } from "./progress-status.js";

export interface GradeBand {
  grade: string;
  minSharePct: Decimal;
}

/**
 * Reads the band rule from settings (strings) and orders it by descending cut-off.
 * Throws a Chinese message naming the bad band.
 */
export function parseGradeBands(raw: Array<{ grade: string; minSharePct: string }>): GradeBand[] {
  if (raw.length === 0) throw new Error("等次规则（settings.assessment.gradeBands）为空：至少需要一个档次");
  const bands = raw.map((b, i) => {
    const min = Decimal.tryParse(b.minSharePct);
    if (!min || min.isNegative()) {
      throw new Error(
        `等次规则第${i + 1}项（${b.grade}）的 minSharePct 不是非负数：读到 "${b.minSharePct}"，例如 "8"`,
      );
    }
    return { grade: b.grade, minSharePct: min };
  });
  return bands.sort((a, b) => b.minSharePct.cmp(a.minSharePct));
}

/**
 * The first band whose cut-off the zone's share of the group total reaches, decided exactly
 * (value / total ≥ cut-off / 100); undefined without a value, with a non-positive total, or below every band.
 */
export function gradeForShare(
  value: Decimal | undefined,
  total: Decimal,
  bands: GradeBand[],
): string | undefined {
  if (value === undefined || !total.gt(0)) return undefined;
  return bands.find((b) => ratioAtLeastPct(value, total, b.minSharePct))?.grade;
}
