import type { Decimal } from "../domain/decimal.js";
import { readNumber } from "./number-grammar.js";

/**
 * Reads a number written with Arabic digits, Chinese numerals or both: "15", "１５", "十五", "两", "一千二百万"
 * (= 12 000 000), "零点五", "二〇二三", "3.2亿" (= 320 000 000), "32000万", "1,234.5", "一万二" (= 12 000),
 * "7亿8千万", "负3.1". Undefined for anything that is not exactly one number. The grammar is number-grammar.ts
 * (the one grammar of the product); this is its whole-string form.
 */
export function parseChineseNumber(input: string): Decimal | undefined {
  return readNumber(foldDigits(input));
}

/** Full-width digits and signs to ASCII; leaves everything else alone. */
export function foldDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF0B\uFF0D\uFF0E\uFF0C]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}
