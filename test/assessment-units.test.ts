import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessPeriod } from "../src/assessment/assess-period.js";
import { describeDiff, diffFigures, figuresHash } from "../src/assessment/figures-hash.js";
import { gradeForShare, parseGradeBands } from "../src/assessment/grade-bands.js";
import { classifyProgress, ratioAtLeastPct } from "../src/assessment/progress-status.js";
import { competitionRanks } from "../src/assessment/rank.js";
import { Decimal } from "../src/domain/decimal.js";
import { CF, CF_Q2_VALUES, circularProgramme, circularReports } from "./support/circular-fixture.js";

const d = (s: string) => Decimal.parse(s);

describe("competitionRanks", () => {
  it("ranks 1,2,2,4 and leaves entries without a value unranked", () => {
    const r = competitionRanks([
      { key: "a", value: d("10") },
      { key: "b", value: d("30") },
      { key: "c", value: d("20") },
      { key: "d", value: undefined },
      { key: "e", value: d("20") },
      { key: "f", value: d("5") },
    ]);
    expect([...r.entries()]).toEqual([
      ["b", 1],
      ["c", 2],
      ["e", 2],
      ["a", 4],
      ["f", 5],
    ]);
  });

  it("property: a rank is 1 + the number of strictly greater values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }), (xs) => {
        const r = competitionRanks(xs.map((x, i) => ({ key: i, value: Decimal.of(x) })));
        xs.forEach((x, i) => {
          expect(r.get(i)).toBe(1 + xs.filter((y) => y > x).length);
        });
      }),
    );
  });
});

describe("classifyProgress and the exact comparison", () => {
  const t = { expectedPct: d("50"), severePct: d("25") };
  it.each([
    ["100", "100", "exceeded"],
    ["120", "100", "exceeded"],
    ["50", "100", "on_track"],
    ["49.999999", "100", "behind"],
    ["25", "100", "behind"],
    ["24.999999", "100", "severely_behind"],
    ["0", "100", "severely_behind"],
    ["5", "0", "no_target"],
  ] as const)("value %s of target %s → %s", (value, target, status) => {
    expect(classifyProgress(d(value), d(target), t)).toBe(status);
  });
  it("no value is 未报送, no target is 无目标", () => {
    expect(classifyProgress(undefined, d("1"), t)).toBe("not_submitted");
    expect(classifyProgress(d("1"), undefined, t)).toBe("no_target");
  });
  it("property: ratioAtLeastPct agrees with exact rational arithmetic", () => {
    const units = fc.bigInt({ min: 0n, max: 10n ** 12n });
    fc.assert(
      fc.property(units, fc.bigInt({ min: 1n, max: 10n ** 12n }), units, (v, tgt, p) => {
        const value = d(`${v / 1000n}.${(v % 1000n).toString().padStart(3, "0")}`);
        const target = d(`${tgt / 1000n}.${(tgt % 1000n).toString().padStart(3, "0")}`);
        const pct = d(`${p / 1000n}.${(p % 1000n).toString().padStart(3, "0")}`);
        // value/target ≥ pct/100  ⇔  100·v ≥ p·tgt / 1000 … all in thousandths: 100·v·1000 ≥ p·tgt
        expect(ratioAtLeastPct(value, target, pct)).toBe(100n * v * 1000n >= p * tgt);
      }),
    );
  });
});

describe("grade bands", () => {
  const bands = parseGradeBands([
    { grade: "三档", minSharePct: "1" },
    { grade: "一档", minSharePct: "8" },
    { grade: "二档", minSharePct: "4" },
  ]);
  it("are ordered by cut-off and a share below every band gets no grade", () => {
    expect(bands.map((b) => b.grade)).toEqual(["一档", "二档", "三档"]);
    expect(gradeForShare(d("8"), d("100"), bands)).toBe("一档");
    expect(gradeForShare(d("7.999999"), d("100"), bands)).toBe("二档");
    expect(gradeForShare(d("0.5"), d("100"), bands)).toBeUndefined();
    expect(gradeForShare(d("5"), d("0"), bands)).toBeUndefined();
    expect(gradeForShare(undefined, d("100"), bands)).toBeUndefined();
  });
  it("a negative or unreadable cut-off is refused in Chinese", () => {
    expect(() => parseGradeBands([{ grade: "一档", minSharePct: "-1" }])).toThrow(/一档.*"-1"/);
  });
});

describe("figuresHash and diffFigures", () => {
  const build = (values = CF_Q2_VALUES, at = "2023-07-20T02:00:00Z") =>
    assessPeriod({
      programme: circularProgramme(),
      period: { year: 2023, quarter: 2 },
      reports: circularReports(values),
      builtAt: new Date(at),
    });

  it("does not depend on when the figures were read", () => {
    expect(figuresHash(build())).toBe(figuresHash(build(CF_Q2_VALUES, "2023-08-01T00:00:00Z")));
    expect(figuresHash(build())).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with a corrected figure and names the zone and the figure", () => {
    const before = build();
    const after = build({
      ...CF_Q2_VALUES,
      [CF.zones.huishui]: { ...CF_Q2_VALUES[CF.zones.huishui], trade_total: "110000" },
    });
    expect(figuresHash(after)).not.toBe(figuresHash(before));
    const diff = diffFigures(before, after);
    expect(diff.zones).toEqual([
      { zoneId: CF.zones.huishui, zoneName: "惠水经开区", changes: ["进出口：100000 → 110000万元"] },
    ]);
    expect(describeDiff(diff)).toEqual(["惠水经开区（进出口：100000 → 110000万元）"]);
  });

  it("a new report and a withdrawn one are named too", () => {
    const before = build();
    const { [CF.zones.songtao]: _dropped, ...rest } = CF_Q2_VALUES;
    const after = build({ ...rest, [CF.zones.dalong]: { trade_total: "1" } });
    expect(describeDiff(diffFigures(before, after))).toEqual([
      "大龙经开区（新报送）",
      "松桃经开区（报送已撤销）",
    ]);
  });
});
