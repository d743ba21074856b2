import type { Db } from "../../src/db/database.js";
import { listProgrammeYears } from "../../src/programme/programme-repository.js";
import { CliError } from "./cli-context.js";

/** Parses a --year value ("2023"); CliError naming the option otherwise. */
export function parseYearOption(text: string): number {
  const t = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d{4}$/.test(t)) throw new CliError(`--year 应为四位年份 (读到 "${text}")，例如 --year 2023`, 2);
  return Number(t);
}

/** The programme year to work on: --year when given (must exist), else the newest one in the store. */
export async function resolveProgrammeYear(db: Db, year: string | undefined): Promise<number> {
  const years = await listProgrammeYears(db);
  if (year !== undefined) {
    const y = parseYearOption(year);
    if (!years.includes(y))
      throw new CliError(
        `没有 ${y} 年度的方案 (已有: ${years.join("、") || "无"})。` +
          "先运行 npm run kaiqu -- seed --sample 或 kaiqu roster import FILE。",
      );
    return y;
  }
  const newest = years.at(-1);
  if (newest === undefined)
    throw new CliError(
      "数据库中还没有任何年度方案。先运行 npm run kaiqu -- seed --sample (样例) 或 kaiqu roster import FILE。",
    );
  return newest;
}
