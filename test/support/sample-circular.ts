import { assessPeriod } from "../../src/assessment/assess-period.js";
import type { AssessmentModel } from "../../src/assessment/assessment-model.js";
import { loadAssessmentReports } from "../../src/circulars/assessment-reports.js";
import type { Db } from "../../src/db/database.js";
import { loadProgramme } from "../../src/programme/programme-repository.js";
import { SAMPLE_MEMBERSHIPS, SAMPLE_YEAR } from "../../src/programme/sample-programme.js";
import { seedSampleProgramme } from "../../src/programme/seed-programme.js";
import { createCliTestStore } from "./cli-store.js";

/**
 * The 2023Q1 sample circular: the sample programme (`kaiqu seed --sample`) with invented Q1
 * reports. Every member zone reports except 大龙 and 碧江 (foreign trade) and 台江 (provincial),
 * so the circular has 未报送 rows, a 合计 over the reported zones and 暂定 grades. Values come from
 * a seeded LCG: the same figures every run.
 */
export const SAMPLE_Q1_MISSING = new Set(["Z5206-DALONG", "Z5206-BIJIANG", "Z5226-TAIJIANG"]);
/** 金沙 reported late (the row the issue saw split across pages). */
export const SAMPLE_Q1_LATE = new Set(["Z5205-JINSHA"]);
/** When the figures are read: after the Q1 deadline (22 April 2023), 10:00 Shanghai. */
export const SAMPLE_Q1_AT = new Date("2023-04-25T02:00:00Z");

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Zone id → the Q1 values as stored (canonical decimal strings). */
export function sampleQ1Values(): Record<string, Record<string, string>> {
  const rnd = lcg(2023);
  const trade = new Set(
    SAMPLE_MEMBERSHIPS.filter((m) => m.groupCode === "foreign_trade").map((m) => m.zoneId),
  );
  const zones = [...new Set(SAMPLE_MEMBERSHIPS.map((m) => m.zoneId))].sort();
  const out: Record<string, Record<string, string>> = {};
  for (const zoneId of zones) {
    const v: Record<string, string> = {
      trade_total: (Math.round(rnd() * 40000 * 100) / 100).toFixed(2).replace(/\.?0+$/, ""),
      trade_yoy: (Math.round((rnd() * 40 - 10) * 10) / 10).toFixed(1).replace(/\.0$/, ""),
    };
    if (trade.has(zoneId))
      Object.assign(v, {
        projects: String(Math.floor(rnd() * 5)),
        trips: String(Math.floor(rnd() * 6)),
        entities: String(Math.floor(rnd() * 3)),
        trainings: String(Math.floor(rnd() * 3)),
      });
    if (!SAMPLE_Q1_MISSING.has(zoneId)) out[zoneId] = v;
  }
  return out;
}

/** Seeds the sample programme and the Q1 reports (confirmed revisions) into a migrated store. */
export async function seedSampleQ1(db: Db): Promise<void> {
  await seedSampleProgramme(db);
  const zones = await db.zone.findMany({ select: { id: true, prefectureCode: true } });
  const prefectureOf = new Map(zones.map((z) => [z.id, z.prefectureCode]));
  for (const [zoneId, values] of Object.entries(sampleQ1Values())) {
    await db.reportRevision.create({
      data: {
        year: SAMPLE_YEAR,
        quarter: 1,
        zoneId,
        revisionNo: 1,
        status: "confirmed",
        values: JSON.stringify(values),
        contactId: `C${prefectureOf.get(zoneId)}-01`,
        channel: "console",
        rawText: "（样例）",
        late: SAMPLE_Q1_LATE.has(zoneId),
        confirmedAt: new Date("2023-04-20T02:00:00Z"),
      },
    });
  }
}

/** The 2023Q1 sample assessment, read from a throwaway SQLite store seeded with seedSampleQ1. */
export async function sampleQ1Model(): Promise<AssessmentModel> {
  const store = await createCliTestStore("sqlite");
  try {
    return await store.withDb(async (db) => {
      await seedSampleQ1(db);
      const programme = await loadProgramme(db, SAMPLE_YEAR);
      if (!programme) throw new Error("sample programme not seeded");
      const period = { year: SAMPLE_YEAR, quarter: 1 as const };
      const reports = await loadAssessmentReports(db, period);
      return assessPeriod({ programme, period, reports, builtAt: SAMPLE_Q1_AT });
    });
  } finally {
    await store.dispose();
  }
}
