import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/decimal.js";

/**
 * Decimal.parse and toString take a double-arithmetic shortcut for values a double holds exactly
 * (src/domain/decimal.ts). Checked here against a plain BigInt reading of the same text, on both
 * sides of the shortcut's bounds (9 integer digits, 2^53 units): the stored figure must never differ.
 */
function reference(text: string): string {
  const m = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(text)!;
  const frac = m[3] ?? "";
  let units = BigInt(m[2]!) * 1_000_000n + BigInt((frac.slice(0, 6) || "0").padEnd(6, "0"));
  if (frac.length > 6 && Number(frac[6]) >= 5) units += 1n;
  if (m[1] === "-") units = -units;
  const abs = units < 0n ? -units : units;
  const f = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${units < 0n ? "-" : ""}${abs / 1_000_000n}${f ? `.${f}` : ""}`;
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((d) => d.join(""));

describe("Decimal reads and writes exactly", () => {
  it("parse → toString equals the BigInt reading, for 1–20 integer digits and 0–9 fraction digits", () => {
    fc.assert(
      fc.property(fc.constantFrom("", "-", "+"), digits(1, 20), digits(0, 9), (sign, int, frac) => {
        const text = `${sign}${int}${frac ? `.${frac}` : ""}`;
        expect(Decimal.parse(text).toString()).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("holds at the shortcut's edges", () => {
    for (const text of [
      "999999999.999999",
      "999999999.9999995",
      "1000000000.0000005",
      "9007199254.740991",
      "9007199254.740992",
      "-9007199254.740993",
      "-0.0000004",
      "-0.0000005",
      "000000123.4500",
      "0",
    ])
      expect(Decimal.parse(text).toString(), text).toBe(reference(text));
  });

  it("sums beyond 2^53 units stay exact", () => {
    const big = Decimal.parse("9007199254.740991");
    expect(big.plus(Decimal.parse("0.000001")).toString()).toBe("9007199254.740992");
    expect(big.plus(big).toString()).toBe("18014398509.481982");
  });
});
