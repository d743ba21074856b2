/**
 * Exact decimal arithmetic on BigInt with a fixed scale of 6 fractional digits.
 * Money (万元), percentages and counts go through this; no binary floating point.
 * Values are immutable; the string form has no exponent and no trailing zeros.
 */
const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;
/** Units whose magnitude a double holds exactly (2^53 - 1). */
const MAX_SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER);

export class Decimal {
  private constructor(readonly units: bigint) {}

  static readonly ZERO = new Decimal(0n);

  static of(value: string | number | bigint | Decimal): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === "bigint") return new Decimal(value * FACTOR);
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      if (Number.isInteger(value)) return new Decimal(BigInt(value) * FACTOR);
      return Decimal.parse(value.toFixed(SCALE));
    }
    return Decimal.parse(value);
  }

  /** Parses "-12.5", "3", "0.0001"; throws on anything else. Digits beyond the scale are rounded half-up. */
  static parse(text: string): Decimal {
    const m = DECIMAL_TEXT.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal: "${text}"`);
    const int = m[2]!;
    const frac = m[3] ?? "";
    const up = frac.length > SCALE && Number(frac[SCALE]) >= 5;
    if (int.length <= 9) {
      // below 10^15 units: exact in a double, one BigInt made instead of three and a product
      let n = Number(int) * 1_000_000 + (frac === "" ? 0 : Number(frac.slice(0, SCALE).padEnd(SCALE, "0")));
      if (up) n += 1;
      return new Decimal(BigInt(m[1] === "-" ? -n : n));
    }
    let units = BigInt(int) * FACTOR + BigInt((frac.slice(0, SCALE) || "0").padEnd(SCALE, "0"));
    if (up) units += 1n;
    return new Decimal(m[1] === "-" ? -units : units);
  }

  static tryParse(text: string): Decimal | undefined {
    try {
      return Decimal.parse(text);
    } catch {
      return undefined;
    }
  }

  static sum(values: Iterable<Decimal>): Decimal {
    let total = 0n;
    for (const v of values) total += v.units;
    return new Decimal(total);
  }

  plus(o: Decimal | string | number): Decimal {
    return new Decimal(this.units + Decimal.of(o).units);
  }
  minus(o: Decimal | string | number): Decimal {
    return new Decimal(this.units - Decimal.of(o).units);
  }
  times(o: Decimal | string | number): Decimal {
    return new Decimal(roundDiv(this.units * Decimal.of(o).units, FACTOR));
  }
  /** Division rounded half-up at the scale. Throws on division by zero. */
  div(o: Decimal | string | number): Decimal {
    const d = Decimal.of(o).units;
    if (d === 0n) throw new RangeError("division by zero");
    return new Decimal(roundDiv(this.units * FACTOR, d));
  }
  neg(): Decimal {
    return new Decimal(-this.units);
  }
  abs(): Decimal {
    return this.units < 0n ? this.neg() : this;
  }
  cmp(o: Decimal | string | number): -1 | 0 | 1 {
    const u = Decimal.of(o).units;
    return this.units < u ? -1 : this.units > u ? 1 : 0;
  }
  eq(o: Decimal | string | number): boolean {
    return this.cmp(o) === 0;
  }
  lt(o: Decimal | string | number): boolean {
    return this.cmp(o) < 0;
  }
  lte(o: Decimal | string | number): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Decimal | string | number): boolean {
    return this.cmp(o) > 0;
  }
  gte(o: Decimal | string | number): boolean {
    return this.cmp(o) >= 0;
  }
  isZero(): boolean {
    return this.units === 0n;
  }
  isNegative(): boolean {
    return this.units < 0n;
  }
  isInteger(): boolean {
    return this.units % FACTOR === 0n;
  }

  /** Rounded half-up (away from zero) to `places` fractional digits. */
  round(places: number): Decimal {
    if (places >= SCALE) return this;
    const step = 10n ** BigInt(SCALE - places);
    return new Decimal(roundDiv(this.units, step) * step);
  }

  /** Canonical text: no trailing zeros, no exponent ("32000", "-3.1", "0.5"). */
  toString(): string {
    const neg = this.units < 0n;
    if (this.units <= MAX_SAFE_UNITS && this.units >= -MAX_SAFE_UNITS) {
      // within 2^53: the same digits from double arithmetic, which is exact on integers this small
      const abs = Math.abs(Number(this.units));
      const fracUnits = abs % 1_000_000;
      const int = (abs - fracUnits) / 1_000_000;
      if (fracUnits === 0) return `${neg ? "-" : ""}${int}`;
      let frac = String(fracUnits).padStart(SCALE, "0");
      let end = frac.length;
      while (frac.charCodeAt(end - 1) === 48) end--;
      frac = frac.slice(0, end);
      return `${neg ? "-" : ""}${int}.${frac}`;
    }
    const abs = neg ? -this.units : this.units;
    const int = abs / FACTOR;
    const frac = (abs % FACTOR).toString().padStart(SCALE, "0").replace(/0+$/, "");
    return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
  }

  /** Fixed number of fractional digits, rounded half-up ("12.50" for places=2). */
  toFixed(places: number): string {
    const r = this.round(places);
    const neg = r.units < 0n;
    const abs = neg ? -r.units : r.units;
    const int = abs / FACTOR;
    const frac = (abs % FACTOR).toString().padStart(SCALE, "0").slice(0, places);
    return `${neg ? "-" : ""}${int}${places > 0 ? `.${frac}` : ""}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

function roundDiv(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  return neg ? -q : q;
}
