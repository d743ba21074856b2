import { describe, expect, it } from "vitest";
import { assessPeriod } from "../src/assessment/assess-period.js";
import type { AssessmentModel } from "../src/assessment/assessment-model.js";
import { assessmentModelSchema } from "../src/assessment/assessment-model.js";
import type { Programme } from "../src/programme/programme.js";
import {
  CF,
  CF_Q2_VALUES,
  CF_SETTINGS,
  circularProgramme,
  circularReports,
} from "./support/circular-fixture.js";

const BUILT_AT = new Date("2023-07-20T02:00:00Z");
const Z = CF.zones;

function q2(
  opts: {
    values?: typeof CF_Q2_VALUES;
    late?: Set<string>;
    settings?: unknown;
    quarter?: 1 | 2 | 3 | 4;
  } = {},
) {
  return assessPeriod({
    programme: circularProgramme(opts.settings ? { settings: opts.settings } : {}),
    period: { year: 2023, quarter: opts.quarter ?? 2 },
    reports: circularReports(opts.values, opts.late),
    builtAt: BUILT_AT,
  });
}

const zone = (m: AssessmentModel, id: string) => m.zones.find((z) => z.zoneId === id)!;
const fig = (m: AssessmentModel, id: string, key: string) =>
  zone(m, id).indicators.find((i) => i.key === key)!;
const ft = (m: AssessmentModel) => m.groups.find((g) => g.code === "foreign_trade")!;
const row = (m: AssessmentModel, id: string) => ft(m).headline!.zones.find((r) => r.zoneId === id)!;

describe("assessPeriod — the Q2 scenario, figure by figure (hand-computed)", () => {
  const m = q2();

  it("records the moment and the thresholds it used", () => {
    expect(m.builtAt).toBe("2023-07-20T02:00:00.000Z");
    expect(m.periodKey).toBe("2023Q2");
    expect(m.periodLabel).toBe("2023年第二季度");
    expect(m.deadline).toBe("2023-07-15");
    expect(m.thresholds).toEqual({
      expectedPct: "50",
      severeShareOfExpected: "0.5",
      severePct: "25",
      atRiskBelowPct: "60",
      atRiskApplies: false,
      gradeBands: [
        { grade: "一档", minSharePct: "30" },
        { grade: "二档", minSharePct: "20" },
        { grade: "三档", minSharePct: "5" },
        { grade: "四档", minSharePct: "0" },
      ],
      gradeBasis: "reportedTotal",
    });
    expect(() => assessmentModelSchema.parse(JSON.parse(JSON.stringify(m)))).not.toThrow();
  });

  it("per zone and indicator: value, target, completion and status", () => {
    expect(fig(m, Z.baiyun, "trade_total")).toEqual({
      key: "trade_total",
      value: "200000",
      target: "400000",
      completionPct: "50",
      status: "on_track", // exactly at the 50 % time-progress: 进度正常
    });
    expect(fig(m, Z.qingzhen, "trade_total")).toMatchObject({ completionPct: "50", status: "on_track" });
    expect(fig(m, Z.huishui, "trade_total")).toMatchObject({ completionPct: "100", status: "exceeded" });
    expect(fig(m, Z.longli, "trade_total")).toMatchObject({ completionPct: "20", status: "severely_behind" });
    // zero target: the figure is kept, no completion rate, neither praised nor criticised
    expect(fig(m, Z.songtao, "trade_total")).toEqual({
      key: "trade_total",
      value: "30000",
      target: "0",
      completionPct: null,
      status: "no_target",
    });
    // no confirmed report
    expect(fig(m, Z.dalong, "trade_total")).toEqual({
      key: "trade_total",
      value: null,
      target: "500000",
      completionPct: null,
      status: "not_submitted",
    });
    expect(zone(m, Z.dalong)).toMatchObject({
      submitted: false,
      late: false,
      revisionNo: null,
      overallStatus: "not_submitted",
    });
    // quotas: 8 of 15 trips = 53.333333 %; 2 of 5 trainings = 40 % (< 50, ≥ 25); 0 entities = severe
    expect(fig(m, Z.baiyun, "trips")).toMatchObject({
      value: "8",
      target: "15",
      completionPct: "53.333333",
      status: "on_track",
    });
    expect(fig(m, Z.baiyun, "trainings")).toMatchObject({ completionPct: "40", status: "behind" });
    expect(fig(m, Z.qingzhen, "entities")).toMatchObject({
      value: "0",
      completionPct: "0",
      status: "severely_behind",
    });
    expect(fig(m, Z.songtao, "trainings")).toMatchObject({
      value: "5",
      completionPct: "100",
      status: "exceeded",
    });
    // growth rate has no target; free text is not assessed
    expect(fig(m, Z.qingzhen, "trade_yoy")).toMatchObject({ value: "-5", target: null, status: "no_target" });
    expect(fig(m, Z.longli, "trade_yoy")).toMatchObject({ value: null, status: "not_submitted" });
    expect(zone(m, Z.longli).indicators.map((i) => i.key)).not.toContain("notes");
    // overall = worst measured indicator (白云's trainings are behind)
    expect(zone(m, Z.baiyun).overallStatus).toBe("behind");
    expect(zone(m, Z.guiyang).indicators.map((i) => [i.key, i.status])).toEqual([
      ["trade_total", "no_target"],
      ["trade_yoy", "no_target"],
    ]);
  });

  it("the group total against 130 亿元, shares, growth, ranks with ties and grades", () => {
    const h = ft(m).headline!;
    expect(h).toMatchObject({
      indicatorKey: "trade_total",
      yoyIndicatorKey: "trade_yoy",
      groupTarget: "1300000",
      total: "450000",
      completionPct: "34.615385",
      status: "behind",
      // last year = value ÷ (1 + g): 181818.181818 + 105263.157895 + 83333.333333 + 30000 = 400414.673046
      // (430000 − 400414.673046) × 100 ÷ 400414.673046 = 7.388672
      yoyPct: "7.388672",
      yoyZoneCount: 4,
      reportedCount: 5,
    });
    expect(h.zones.map((r) => [r.zoneId, r.valueRank, r.completionRank, r.sharePct, r.grade])).toEqual([
      [Z.baiyun, 1, 2, "44.444444", "一档"],
      [Z.qingzhen, 2, 2, "22.222222", "二档"], // value tie with 惠水: both 2nd, next is 4th
      [Z.huishui, 2, 1, "22.222222", "二档"],
      [Z.songtao, 4, null, "6.666667", "三档"], // zero target: no completion rank
      [Z.longli, 5, 4, "4.444444", "四档"], // completion 1,2,2,4
      [Z.dalong, null, null, null, null], // not submitted: unranked, last
    ]);
    expect(row(m, Z.qingzhen).yoyPct).toBe("-5");
    expect(ft(m).grades).toEqual([
      { grade: "一档", zoneIds: [Z.baiyun] },
      { grade: "二档", zoneIds: [Z.qingzhen, Z.huishui] },
      { grade: "三档", zoneIds: [Z.songtao] },
      { grade: "四档", zoneIds: [Z.longli] },
    ]);
  });

  it("lists: on track, behind, not submitted, late; no at-risk list before Q3", () => {
    expect(ft(m).lists).toEqual({
      onTrack: [Z.baiyun, Z.qingzhen, Z.huishui],
      behind: [Z.longli],
      severelyBehind: [Z.longli],
      notSubmitted: [Z.dalong],
      late: [Z.longli],
      atRisk: [],
      zeroValue: [],
    });
    expect(ft(m).submittedCount).toBe(5);
    expect(m.totals).toEqual({ zones: 8, submitted: 6, late: 1, missing: 2 });
  });

  it("the four work quotas: totals, met, behind, zero", () => {
    const quotas = Object.fromEntries(ft(m).quotas.map((q) => [q.indicatorKey, q]));
    expect(Object.keys(quotas)).toEqual(["projects", "trips", "entities", "trainings"]);
    expect(quotas.projects).toMatchObject({
      total: "22",
      metZoneIds: [Z.qingzhen],
      onTrackZoneIds: [Z.baiyun],
      behindZoneIds: [Z.songtao, Z.huishui, Z.longli],
      zeroZoneIds: [Z.longli],
    });
    expect(quotas.trips).toMatchObject({
      total: "25",
      metZoneIds: [],
      onTrackZoneIds: [Z.baiyun, Z.songtao],
    });
    expect(quotas.entities).toMatchObject({ total: "6", zeroZoneIds: [Z.qingzhen, Z.longli] });
    expect(quotas.trainings).toMatchObject({ total: "13", metZoneIds: [Z.qingzhen, Z.songtao] });
  });

  it("groups without an aggregate target list submission and no headline", () => {
    const national = m.groups.find((g) => g.code === "national")!;
    const provincial = m.groups.find((g) => g.code === "provincial")!;
    expect(national).toMatchObject({
      zoneIds: [Z.guiyang],
      submittedCount: 1,
      headline: null,
      quotas: [],
      grades: [],
    });
    expect(provincial.lists.notSubmitted).toEqual([Z.duyun]);
    expect(m.prefectures.map((p) => [p.shortName, p.submitted.length, p.late, p.missing])).toEqual([
      ["贵阳", 3, [], []],
      ["铜仁", 1, [], [Z.dalong]],
      ["黔南州", 2, [Z.longli], [Z.duyun]],
    ]);
  });
});

describe("assessPeriod — thresholds are data", () => {
  it("at Q3 (75 %) zones below 60 % completion are at risk of leaving the list", () => {
    const m = q2({ quarter: 3 });
    expect(m.thresholds).toMatchObject({ expectedPct: "75", severePct: "37.5", atRiskApplies: true });
    expect(ft(m).lists.atRisk).toEqual([Z.baiyun, Z.qingzhen, Z.longli]);
    expect(fig(m, Z.baiyun, "trade_total").status).toBe("behind"); // 50 < 75, ≥ 37.5
    expect(fig(m, Z.baiyun, "trainings").status).toBe("behind"); // 40 ≥ 37.5
  });

  it("settings change statuses, the at-risk line and the grade bands", () => {
    const m = q2({
      quarter: 4,
      settings: {
        assessment: {
          severeShareOfExpected: "0.3",
          atRiskBelowPct: "45",
          gradeBasis: "reportedTotal",
          gradeBands: [
            { grade: "A", minSharePct: "40" },
            { grade: "B", minSharePct: "10" },
            { grade: "C", minSharePct: "0" },
          ],
        },
      },
    });
    expect(m.thresholds.severePct).toBe("30");
    expect(fig(m, Z.longli, "trade_total").status).toBe("severely_behind"); // 20 < 30
    expect(fig(m, Z.baiyun, "trade_total").status).toBe("behind"); // 50 ≥ 30
    expect(ft(m).lists.atRisk).toEqual([Z.longli]);
    expect(ft(m).grades.map((g) => [g.grade, g.zoneIds])).toEqual([
      ["A", [Z.baiyun]],
      ["B", [Z.qingzhen, Z.huishui]],
      ["C", [Z.songtao, Z.longli]],
    ]);
  });

  it("grades among the reported zones are 暂定 until every zone of the group has reported", () => {
    expect(ft(q2()).gradesProvisional).toBe(true); // 大龙 has not reported
    const all = q2({ values: { ...CF_Q2_VALUES, [Z.dalong]: { trade_total: "450000" } } });
    expect(ft(all).gradesProvisional).toBe(false);
    // Shares of the reported total move with every report: 白云 falls from 一档 to 二档.
    expect(row(all, Z.baiyun)).toMatchObject({ sharePct: "22.222222", grade: "二档" });
    expect(row(all, Z.dalong)).toMatchObject({ sharePct: "50", grade: "一档" });
  });

  it("graded on the group's annual target (the default): a zone's grade does not wait for the others", () => {
    const bands = CF_SETTINGS.assessment.gradeBands;
    const byTarget = q2({ settings: { assessment: { gradeBands: bands } } });
    expect(byTarget.thresholds.gradeBasis).toBe("groupTarget");
    expect(ft(byTarget).gradesProvisional).toBeUndefined();
    // value ÷ 1 300 000 × 100: 15.38 % ≥ 5 → 三档; 2.31 % and 1.54 % → 四档
    expect(ft(byTarget).headline!.zones.map((r) => [r.zoneId, r.targetSharePct, r.grade])).toEqual([
      [Z.baiyun, "15.384615", "三档"],
      [Z.qingzhen, "7.692308", "三档"],
      [Z.huishui, "7.692308", "三档"],
      [Z.songtao, "2.307692", "四档"],
      [Z.longli, "1.538462", "四档"],
      [Z.dalong, null, null],
    ]);
    const all = q2({
      settings: { assessment: { gradeBands: bands } },
      values: { ...CF_Q2_VALUES, [Z.dalong]: { trade_total: "450000" } },
    });
    for (const id of [Z.baiyun, Z.qingzhen, Z.huishui, Z.songtao, Z.longli])
      expect(row(all, id).grade).toBe(row(byTarget, id).grade);
    expect(row(all, Z.dalong).grade).toBe("一档"); // 34.6 % of the target
    expect(() => q2({ settings: { assessment: { gradeBasis: "share", gradeBands: bands } } })).toThrow(
      /gradeBasis/,
    );
  });

  it("boundaries are exact: a share of 29.99999992 % is not 30 %, though it shows as 30", () => {
    // 299999.9995 of a total 1000000.001 = 29.99999992… % → rounded at 6 places "30", grade still 二档
    const values = {
      [Z.baiyun]: { trade_total: "299999.9995" },
      [Z.qingzhen]: { trade_total: "700000.0015" },
    };
    const m = q2({ values, late: new Set() });
    expect(ft(m).headline!.total).toBe("1000000.001");
    expect(row(m, Z.baiyun).sharePct).toBe("30");
    expect(row(m, Z.baiyun).grade).toBe("二档");
    expect(row(m, Z.qingzhen).grade).toBe("一档");
  });

  it("completion exactly at half the expected progress is 进度滞后, just below is 严重滞后", () => {
    const at = q2({ values: { [Z.huishui]: { trade_total: "25000" } }, late: new Set() });
    expect(fig(at, Z.huishui, "trade_total")).toMatchObject({ completionPct: "25", status: "behind" });
    const below = q2({ values: { [Z.huishui]: { trade_total: "24999.999999" } }, late: new Set() });
    expect(fig(below, Z.huishui, "trade_total").status).toBe("severely_behind");
    expect(fig(below, Z.huishui, "trade_total").completionPct).toBe("25"); // displayed rate rounds up, status does not
  });

  it("a period of another programme year is refused", () => {
    expect(() =>
      assessPeriod({
        programme: circularProgramme(),
        period: { year: 2024, quarter: 1 },
        reports: [],
        builtAt: BUILT_AT,
      }),
    ).toThrow(/2023/);
  });

  it("a bad threshold is refused when the settings are read, and again (in Chinese) by the assessment", () => {
    expect(() => q2({ settings: { assessment: { atRiskBelowPct: "六十" } } })).toThrow(/atRiskBelowPct/);
    expect(() => q2({ settings: { assessment: { gradeBands: [] } } })).toThrow(/gradeBands/);
    // Settings that bypassed the schema (e.g. edited in the store) are still caught before any figure.
    const assessWith = (assessment: Partial<Programme["settings"]["assessment"]>) => {
      const programme = circularProgramme();
      programme.settings = {
        ...programme.settings,
        assessment: { ...programme.settings.assessment, ...assessment },
      };
      return () =>
        assessPeriod({ programme, period: { year: 2023, quarter: 2 }, reports: [], builtAt: BUILT_AT });
    };
    expect(assessWith({ atRiskBelowPct: "六十" })).toThrow(/atRiskBelowPct.*六十/);
    expect(assessWith({ gradeBands: [] })).toThrow(/gradeBands/);
  });
});
