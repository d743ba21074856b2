import type { Db } from "../../src/db/database.js";

/** Every row of the programme tables, in a stable order (for "nothing changed" assertions). */
export async function dumpProgrammeTables(db: Db): Promise<Record<string, unknown[]>> {
  return {
    programmeYear: await db.programmeYear.findMany({ orderBy: { year: "asc" } }),
    programmeQuarter: await db.programmeQuarter.findMany({ orderBy: [{ year: "asc" }, { quarter: "asc" }] }),
    prefecture: await db.prefecture.findMany({ orderBy: { code: "asc" } }),
    zone: await db.zone.findMany({ orderBy: { id: "asc" } }),
    zoneMembership: await db.zoneMembership.findMany({
      orderBy: [{ year: "asc" }, { zoneId: "asc" }, { groupCode: "asc" }],
    }),
    indicator: await db.indicator.findMany({ orderBy: [{ year: "asc" }, { key: "asc" }] }),
    target: await db.target.findMany({ orderBy: { id: "asc" } }),
    contact: await db.contact.findMany({ orderBy: { id: "asc" } }),
    chatGroup: await db.chatGroup.findMany({ orderBy: { id: "asc" } }),
  };
}
