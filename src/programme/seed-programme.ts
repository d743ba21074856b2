import type { Db } from "../db/database.js";
import { applyProgrammeData } from "./apply-programme-data.js";
import type { ProgrammeChanges } from "./programme-data.js";
import { SAMPLE_PROGRAMME, SAMPLE_YEAR } from "./sample-programme.js";

export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedRefusedError";
  }
}

/** Generous: the first seed writes a few hundred rows, each a round trip on PostgreSQL. */
export const PROGRAMME_TX_OPTIONS = { timeout: 120_000, maxWait: 30_000 } as const;

/**
 * Loads the sample 2023 programme in one transaction. Idempotent: rows already equal are not
 * written (a second run changes nothing, not even updatedAt). Rows that are not part of the sample
 * are left alone, except the sample year's own lists (deadlines, indicators, memberships, targets),
 * which are reset to the sample. Refuses to touch a 2023 programme that is not marked as a sample.
 */
export async function seedSampleProgramme(db: Db): Promise<ProgrammeChanges> {
  return db.$transaction(async (tx) => {
    const existing = await tx.programmeYear.findUnique({ where: { year: SAMPLE_YEAR } });
    if (existing && !existing.isSample)
      throw new SeedRefusedError(
        `${SAMPLE_YEAR} 年已有正式(非样例)方案「${existing.title}」，样例数据不会覆盖它。` +
          "如需样例，请使用另一个空数据库 (DATABASE_URL)。",
      );
    return applyProgrammeData(tx, SAMPLE_PROGRAMME, { absent: "keep" });
  }, PROGRAMME_TX_OPTIONS);
}
