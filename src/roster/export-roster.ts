import type { Db } from "../db/database.js";
import type { ProgrammeData } from "../programme/programme-data.js";
import { readProgrammeData } from "../programme/read-programme-data.js";
import { SAMPLE_PREFECTURES } from "../programme/sample-programme.js";
import { STANDARD_INDICATORS } from "../programme/standard-indicators.js";
import { formatCsv } from "./read-csv.js";
import { helpSheet, rosterSheets, templateSheets } from "./roster-rows.js";
import { writeXlsx } from "./write-xlsx.js";

/** The whole programme year as a roster workbook (说明 + every sheet); undefined when the year is missing. */
export async function exportRosterXlsx(
  db: Db,
  year: number,
): Promise<{ bytes: Buffer; data: ProgrammeData } | undefined> {
  const data = await readProgrammeData(db, year);
  if (!data) return undefined;
  return { bytes: await writeXlsx([helpSheet(), ...rosterSheets(data)]), data };
}

/** The same as one csv per sheet (UTF-8 with BOM), named "<sheet>.csv". */
export async function exportRosterCsv(
  db: Db,
  year: number,
): Promise<{ files: { name: string; bytes: Buffer }[]; data: ProgrammeData } | undefined> {
  const data = await readProgrammeData(db, year);
  if (!data) return undefined;
  return {
    files: rosterSheets(data).map((s) => ({ name: `${s.name}.csv`, bytes: formatCsv(s.rows) })),
    data,
  };
}

/** The empty template: 说明, every sheet with its headers; 市州 and 指标 prefilled with the standard ones. */
export async function rosterTemplateXlsx(): Promise<Buffer> {
  return writeXlsx([
    helpSheet(),
    ...templateSheets({ year: 0, prefectures: SAMPLE_PREFECTURES, indicators: STANDARD_INDICATORS }),
  ]);
}
