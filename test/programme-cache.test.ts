import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/db/database.js";
import { findContact, listContacts, loadProgramme } from "../src/programme/programme-repository.js";
import { seedSampleProgramme } from "../src/programme/seed-programme.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

// Two handles on one database stand for two bot instances: each has its own in-memory copy of the
// programme and roster, and a change made through one (or by plain SQL) is seen by the other at its next read.
describe.each(TEST_PROVIDERS)("programme and roster cache on %s", (provider) => {
  let a: TestStore;
  let b: Store;
  beforeAll(async () => {
    a = await createTestStore(provider);
    b = await openStore(a.url);
    await seedSampleProgramme(a.db);
  });
  afterAll(async () => {
    await b?.close();
    await a?.dispose();
  });

  it("serves repeated reads from memory (same frozen object) until something changes", async () => {
    const p1 = await loadProgramme(b.db, 2023);
    const p2 = await loadProgramme(b.db, 2023);
    expect(p1).toBeDefined();
    expect(p2).toBe(p1);
    expect(Object.isFrozen(p1!.zones)).toBe(true);
    expect(() => (p1!.zones as unknown[]).push({})).toThrow(TypeError);
  });

  it("a zone renamed through the other handle is seen at once", async () => {
    const before = (await loadProgramme(b.db, 2023))!.zones.find((z) => z.shortName === "惠水")!;
    await a.db.zone.update({ where: { id: before.id }, data: { name: "惠水经济开发区（改）" } });
    const after = (await loadProgramme(b.db, 2023))!.zones.find((z) => z.id === before.id)!;
    expect(after.name).toBe("惠水经济开发区（改）");
  });

  it("settings, targets and contacts changed by plain SQL (no application code) invalidate too", async () => {
    const p = (await loadProgramme(b.db, 2023))!;
    expect(p.settings.reminders.time).toBe("09:30");
    await a.db.$executeRawUnsafe(
      `UPDATE "ProgrammeYear" SET "settings" = '{"reminders":{"time":"10:00"}}' WHERE "year" = 2023`,
    );
    expect((await loadProgramme(b.db, 2023))!.settings.reminders.time).toBe("10:00");

    const someone = (await listContacts(b.db))[0]!;
    expect((await findContact(b.db, someone.id))?.active).toBe(true);
    await a.db.contact.update({ where: { id: someone.id }, data: { active: false } });
    expect((await findContact(b.db, someone.id))?.active).toBe(false);
    // an identity written on another handle is seen too (ContactIdentity bumps the counter)
    await a.db.contactIdentity.update({
      where: { contactId_channel: { contactId: someone.id, channel: "wecom" } },
      data: { externalId: "moved_away" },
    });
    expect((await findContact(b.db, "wecom", "moved_away"))?.id).toBe(someone.id);
    expect((await listContacts(b.db)).some((c) => c.id === someone.id)).toBe(false);
  });

  it("a transaction client reads the tables, never the cache", async () => {
    await a.db.$transaction(async (tx) => {
      await tx.programmeQuarter.update({
        where: { year_quarter: { year: 2023, quarter: 2 } },
        data: { deadline: "2023-07-14" },
      });
      expect((await loadProgramme(tx, 2023))!.quarters.find((q) => q.quarter === 2)!.deadline).toBe(
        "2023-07-14",
      );
    });
    expect((await loadProgramme(b.db, 2023))!.quarters.find((q) => q.quarter === 2)!.deadline).toBe(
      "2023-07-14",
    );
  });
});
