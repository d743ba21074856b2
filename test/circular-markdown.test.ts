import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type RenderedCircular, renderCircular } from "../src/circulars/render-circular.js";
import {
  APP_MESSAGE_MAX_BYTES,
  PLAIN_TEXT_MAX_CHARS,
  ROBOT_MARKDOWN_MAX_BYTES,
} from "../src/circulars/render-markdown.js";
import { fixtureModel, RENDER_META } from "./support/circular-models.js";

const FIXTURES = path.resolve("test/fixtures/circulars");
/**
 * Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing).
 * Named *.md.txt: Biome formats *.md (it would renumber "2. 2." ties and add blank lines) but skips
 * the .txt files under test/fixtures.
 */
function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("circular chat text (WeCom markdown)", () => {
  let q2: RenderedCircular;
  let q3Sample: RenderedCircular;
  beforeAll(async () => {
    q2 = await renderCircular(fixtureModel(2, false), RENDER_META);
    q3Sample = await renderCircular(fixtureModel(3, true), RENDER_META);
  });

  it("matches the golden files", () => {
    golden("2023Q2.md.txt", q2.text.markdown);
    golden("2023Q3-sample.md.txt", q3Sample.text.markdown);
  });

  it("uses only the WeCom subset: no tables or list markers, colours only info/comment/warning", () => {
    for (const line of q2.text.markdown.split("\n")) {
      expect(line).not.toMatch(/^\s*[-*+] |^\|/);
    }
    const colours = [...q2.text.markdown.matchAll(/<font color="([^"]+)">/g)].map((m) => m[1]);
    expect(new Set(colours)).toEqual(new Set(["info", "warning", "comment"]));
  });

  it("the sample says so", () => {
    expect(q3Sample.text.markdown).toContain("（样例数据，非正式名单，仅供演示）");
    expect(q2.text.markdown).not.toContain("样例");
  });

  it("splits into numbered parts within 4096 bytes (robot), 2048 bytes (app), 1500 characters (WeChat), losing nothing", async () => {
    // A national-scale list makes the text long enough to need several parts.
    const big = await renderCircular(
      {
        ...fixtureModel(2, false),
        zones: fixtureModel(2, false).zones.map((z) => ({
          ...z,
          name: `${z.name}${"很长的名称".repeat(30)}`,
        })),
      },
      RENDER_META,
    );
    for (const [parts, max, measure] of [
      [big.text.robotParts, ROBOT_MARKDOWN_MAX_BYTES, bytes],
      [big.text.appParts, APP_MESSAGE_MAX_BYTES, bytes],
      [big.text.plainParts, PLAIN_TEXT_MAX_CHARS, (s: string) => [...s].length],
    ] as const) {
      expect(parts.length).toBeGreaterThan(1);
      parts.forEach((p, i) => {
        expect(measure(p)).toBeLessThanOrEqual(max);
        expect(p.startsWith(`（${i + 1}/${parts.length}）\n`)).toBe(true);
      });
    }
    const joined = big.text.appParts.map((p) => p.replace(/^（\d+\/\d+）\n/, "")).join("\n");
    expect(joined.replace(/\s+/g, "")).toBe(big.text.markdown.replace(/\s+/g, ""));
    expect(q2.text.robotParts).toEqual([q2.text.markdown.trimEnd()]);
  });

  it("plain text for WeChat rooms has no markup", () => {
    expect(q2.text.plain).not.toMatch(/<font|\*\*|^#|^>/m);
    expect(q2.text.plain).toContain("【2023年第二季度经开区培育工作进展情况通报】");
  });
});
