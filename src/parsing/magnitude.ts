import { Decimal } from "../domain/decimal.js";

const LOW = Decimal.of(2000);
const HIGH = Decimal.of(50000);

/**
 * True when `value` is about 10 000× off `reference` (either way): the ratio lies in [2000, 50000] or its
 * inverse. Typical of 元/万元 or 万元/亿元 confusion; the dialogue then asks "是否应为万元？".
 * False when either side is zero/absent (no basis for comparison).
 */
export function suspectWanYuanConfusion(value: Decimal, reference: Decimal | undefined): boolean {
  if (!reference || reference.isZero() || value.isZero()) return false;
  const a = value.abs();
  const b = reference.abs();
  const [big, small] = a.gte(b) ? [a, b] : [b, a];
  // big/small within [LOW, HIGH]  ⇔  small*LOW <= big <= small*HIGH (no division, no rounding)
  return big.gte(small.times(LOW)) && big.lte(small.times(HIGH));
}
