import { z } from "zod";
import { groupCodeSchema, indicatorKindSchema } from "../domain/codes.js";
import { progressStatusSchema } from "./progress-status.js";

/**
 * The assessment of one period as a plain data document: every figure is an exact decimal string
 * (money in 万元, rates in %, unrounded at 6 places; rounding happens only when rendered), `null`
 * where there is no figure. This is what a Circular stores (JSON), what `--json` prints and what
 * every renderer reads. Parsed with zod when read back from the store.
 */
const dec = z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal string");

/** What grade shares are measured against (settings.assessment.gradeBasis). */
export const gradeBasisSchema = z.enum(["groupTarget", "reportedTotal"]);
export type GradeBasis = z.infer<typeof gradeBasisSchema>;

export const indicatorAssessmentSchema = z.object({
  key: z.string(),
  value: dec.nullable(),
  target: dec.nullable(),
  completionPct: dec.nullable(),
  status: progressStatusSchema,
});

export const zoneAssessmentSchema = z.object({
  zoneId: z.string(),
  name: z.string(),
  shortName: z.string(),
  prefectureCode: z.string(),
  prefectureName: z.string(),
  prefectureShortName: z.string(),
  groups: z.array(groupCodeSchema),
  submitted: z.boolean(),
  late: z.boolean(),
  /** The confirmed revision the figures come from. */
  revisionNo: z.number().int().nullable(),
  confirmedAt: z.string().nullable(),
  indicators: z.array(indicatorAssessmentSchema),
  /** Worst status over the zone's indicators with a target (the headline decides group lists). */
  overallStatus: progressStatusSchema,
});

export const headlineZoneSchema = z.object({
  zoneId: z.string(),
  value: dec.nullable(),
  target: dec.nullable(),
  completionPct: dec.nullable(),
  status: progressStatusSchema,
  /** Share of the group's reported total, in %. */
  sharePct: dec.nullable(),
  /** Share of the group's annual target, in % (absent in models stored before it was recorded). */
  targetSharePct: dec.nullable().optional(),
  yoyPct: dec.nullable(),
  valueRank: z.number().int().nullable(),
  completionRank: z.number().int().nullable(),
  grade: z.string().nullable(),
});

export const headlineSchema = z.object({
  indicatorKey: z.string(),
  label: z.string(),
  unit: z.string(),
  yoyIndicatorKey: z.string().nullable(),
  groupTarget: dec.nullable(),
  /** Sum over the zones that reported the figure. */
  total: dec,
  completionPct: dec.nullable(),
  status: progressStatusSchema,
  /** Group growth derived from the zones that reported value and growth (last year = value ÷ (1 + g)). */
  yoyPct: dec.nullable(),
  yoyZoneCount: z.number().int(),
  reportedCount: z.number().int(),
  /** Zones in ranking order (by value, unranked last in roster order). */
  zones: z.array(headlineZoneSchema),
});

export const quotaSchema = z.object({
  indicatorKey: z.string(),
  label: z.string(),
  unit: z.string(),
  total: dec,
  /** Zones at or above their annual target. */
  metZoneIds: z.array(z.string()),
  onTrackZoneIds: z.array(z.string()),
  behindZoneIds: z.array(z.string()),
  /** Reported zero. */
  zeroZoneIds: z.array(z.string()),
});

export const groupListsSchema = z.object({
  onTrack: z.array(z.string()),
  behind: z.array(z.string()),
  severelyBehind: z.array(z.string()),
  notSubmitted: z.array(z.string()),
  late: z.array(z.string()),
  atRisk: z.array(z.string()),
  zeroValue: z.array(z.string()),
});

export const groupAssessmentSchema = z.object({
  code: groupCodeSchema,
  label: z.string(),
  zoneIds: z.array(z.string()),
  submittedCount: z.number().int(),
  headline: headlineSchema.nullable(),
  quotas: z.array(quotaSchema),
  lists: groupListsSchema,
  grades: z.array(z.object({ grade: z.string(), zoneIds: z.array(z.string()) })),
  /** Graded among the reported zones while some zone of the group has not reported: the grades are 暂定. */
  gradesProvisional: z.boolean().optional(),
});

export const prefectureProgressSchema = z.object({
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  zoneIds: z.array(z.string()),
  submitted: z.array(z.string()),
  late: z.array(z.string()),
  missing: z.array(z.string()),
});

export const assessmentModelSchema = z.object({
  version: z.literal(1),
  year: z.number().int(),
  quarter: z.number().int().min(1).max(4),
  periodKey: z.string(),
  periodLabel: z.string(),
  programmeTitle: z.string(),
  isSample: z.boolean(),
  /** When the figures were read (ISO instant): the confirmed revisions as they stood then. */
  builtAt: z.string(),
  deadline: z.string().nullable(),
  thresholds: z.object({
    expectedPct: dec,
    severeShareOfExpected: dec,
    severePct: dec,
    atRiskBelowPct: dec,
    atRiskApplies: z.boolean(),
    gradeBands: z.array(z.object({ grade: z.string(), minSharePct: dec })),
    /** Absent in models stored before the rule was recorded: those were graded on the reported total. */
    gradeBasis: gradeBasisSchema.optional(),
  }),
  indicators: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      unit: z.string(),
      kind: indicatorKindSchema,
      /** Absent in models stored before it was recorded (read as required). */
      required: z.boolean().optional(),
    }),
  ),
  zones: z.array(zoneAssessmentSchema),
  groups: z.array(groupAssessmentSchema),
  prefectures: z.array(prefectureProgressSchema),
  totals: z.object({
    zones: z.number().int(),
    submitted: z.number().int(),
    late: z.number().int(),
    missing: z.number().int(),
  }),
});

export type IndicatorAssessment = z.infer<typeof indicatorAssessmentSchema>;
export type ZoneAssessment = z.infer<typeof zoneAssessmentSchema>;
export type HeadlineZone = z.infer<typeof headlineZoneSchema>;
export type Headline = z.infer<typeof headlineSchema>;
export type QuotaAssessment = z.infer<typeof quotaSchema>;
export type GroupLists = z.infer<typeof groupListsSchema>;
export type GroupAssessment = z.infer<typeof groupAssessmentSchema>;
export type PrefectureProgress = z.infer<typeof prefectureProgressSchema>;
export type AssessmentModel = z.infer<typeof assessmentModelSchema>;

/** Reads a stored model back; throws naming what is wrong. */
export function parseAssessmentModel(json: string): AssessmentModel {
  return assessmentModelSchema.parse(JSON.parse(json));
}
