import { assessPeriod } from "../../src/assessment/assess-period.js";
import type { AssessmentModel } from "../../src/assessment/assessment-model.js";
import { circularProgramme, circularReports } from "./circular-fixture.js";

/** The meta every rendering test uses. */
export const RENDER_META = {
  number: 3,
  docNumber: "黔商函〔2023〕3号",
  issuer: "贵州省商务厅经开区培育工作专班",
};

/** The fixture's assessment at Q2 or Q3, read on 20 July 2023 10:00 (Shanghai). */
export function fixtureModel(quarter: 2 | 3, isSample: boolean): AssessmentModel {
  return assessPeriod({
    programme: circularProgramme({ isSample }),
    period: { year: 2023, quarter },
    reports: circularReports(),
    builtAt: new Date("2023-07-20T02:00:00Z"),
  });
}
