import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitForChannel } from "../bot/inbound/reply-limits.js";
import { splitByBytes, splitByChars } from "../src/text/split-by-bytes.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const strip = (p: string) => p.replace(/^（\d+\/\d+）\n/, "");
const dense = (s: string) => s.replace(/\s/g, "");
/** No lone surrogate: a character was not cut in half. */
const wellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("splitByBytes", () => {
  it("returns a text that fits unchanged, without numbering", () => {
    expect(splitByBytes("进出口3.2亿元", 2048, { numbered: true })).toEqual(["进出口3.2亿元"]);
  });

  it("breaks at line boundaries and numbers the parts （i/n）", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `第${i + 1}行：惠水经开区进出口累计3.2亿元`);
    const parts = splitByBytes(lines.join("\n"), 300, { numbered: true });
    expect(parts.length).toBeGreaterThan(3);
    parts.forEach((p, i) => {
      expect(bytes(p)).toBeLessThanOrEqual(300);
      expect(p.startsWith(`（${i + 1}/${parts.length}）\n`)).toBe(true);
    });
    // every line survives whole, in order
    expect(parts.map(strip).join("\n")).toBe(lines.join("\n"));
  });

  it("cuts an over-long line between characters, never inside a multi-byte one or a surrogate pair", () => {
    const line = "😀惠".repeat(200); // 4-byte + 3-byte characters
    const parts = splitByBytes(line, 50);
    for (const p of parts) {
      expect(bytes(p)).toBeLessThanOrEqual(50);
      expect(p).not.toMatch(/\uFFFD/);
      expect(wellFormed(p)).toBe(true);
    }
    expect(parts.join("")).toBe(line);
  });

  it("keeps the numbering within the limit when the part count reaches two digits", () => {
    const text = Array.from({ length: 200 }, () => "一二三四五六七八九十").join("\n");
    const parts = splitByBytes(text, 100, { numbered: true });
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(100);
    expect(parts.at(-1)!.startsWith(`（${parts.length}/${parts.length}）`)).toBe(true);
  });

  it("property: every part fits, is well-formed, and no character is lost or reordered", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: "grapheme" }),
            fc.constantFrom("惠水经开区", "\n", "进出口3.2亿元", "😀"),
          ),
          {
            maxLength: 60,
          },
        ),
        fc.integer({ min: 40, max: 400 }),
        fc.boolean(),
        (chunks, max, numbered) => {
          const text = chunks.join("");
          const parts = splitByBytes(text, max, { numbered });
          for (const p of parts) {
            expect(bytes(p)).toBeLessThanOrEqual(max);
            expect(wellFormed(p)).toBe(true);
          }
          expect(dense(parts.map(numbered ? strip : (p) => p).join(""))).toBe(dense(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("splitByChars and channel limits", () => {
  it("counts characters, not bytes", () => {
    const parts = splitByChars("惠".repeat(3000), 1500);
    expect(parts.map((p) => [...p].length)).toEqual([1500, 1500]);
  });

  it("WeCom app text ≤ 2048 bytes, WeChat ≤ 1500 characters, console unsplit", () => {
    const long = Array.from({ length: 400 }, (_, i) => `· 第${i}项：进出口额32000万元（3.2亿元）`).join("\n");
    for (const p of splitForChannel("wecom_app", long)) expect(bytes(p)).toBeLessThanOrEqual(2048);
    for (const p of splitForChannel("wechat", long)) expect([...p].length).toBeLessThanOrEqual(1500);
    expect(splitForChannel("console", long)).toEqual([long]);
  });
});
