import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { findContact, findContactByRef, listContacts } from "../src/programme/programme-repository.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";

/**
 * The contact_identity migration moves today's per-platform Contact columns into ContactIdentity
 * rows on a store that holds data: written with the plain drivers as the schema was before it.
 */
describe.each(TEST_PROVIDERS)("contact_identity migration on %s", (provider) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("moves WeCom userids, WeChat ids and aliases into identities; nothing else changes", async () => {
    const { url, drop } = await createTestDatabaseUrl(provider);
    cleanups.push(drop);
    const before = await applyMigrations(url, { before: "_contact_identity" });
    expect(before.pending.some((m) => m.endsWith("_contact_identity"))).toBe(true);

    const store = await openStore(url);
    const t = "'2023-04-01T00:00:00.000Z'";
    const ts = provider === "sqlite" ? "'2023-04-01 00:00:00'" : t;
    await store.db.$executeRawUnsafe(
      `INSERT INTO "Prefecture" ("code", "name", "shortName", "sortOrder") VALUES ('5227', '黔南州', '黔南', 1)`,
    );
    const rows: Array<[string, string, string | null, string | null, string | null, boolean]> = [
      ["C1", "bureau_contact", "qn_li", "wxid_li", "li-alias", true],
      ["C2", "bureau_lead", "qn_wang", null, null, true],
      ["C3", "bureau_contact", null, "wxid_zhao", "shared", true],
      ["C4", "bureau_contact", null, null, "shared", false], // a repeated alias: stays with C3
      ["TF", "task_force", "tf_zhang", null, "", true], // an empty alias is no identity
    ];
    for (const [id, role, wecom, wechat, alias, active] of rows) {
      const q = (v: string | null) => (v === null ? "NULL" : `'${v}'`);
      await store.db.$executeRawUnsafe(
        `INSERT INTO "Contact" ("id", "name", "role", "prefectureCode", "wecomUserId", "wechatId", "wechatAlias", "active", "createdAt", "updatedAt")
         VALUES ('${id}', '名-${id}', '${role}', ${role === "task_force" ? "NULL" : "'5227'"}, ${q(wecom)}, ${q(wechat)}, ${q(alias)}, ${
           provider === "sqlite" ? (active ? 1 : 0) : active
         }, ${ts}, ${ts})`,
      );
    }
    await store.close();

    const after = await applyMigrations(url);
    expect(after.pending).toEqual([]);
    const migrated = await openStore(url);
    cleanups.push(() => migrated.close());

    const identities = await migrated.db.contactIdentity.findMany({
      orderBy: [{ contactId: "asc" }, { channel: "asc" }],
    });
    expect(identities.map((i) => [i.contactId, i.channel, i.externalId, i.verifiedAt])).toEqual([
      ["C1", "wechat", "wxid_li", null],
      ["C1", "wechat_alias", "li-alias", null],
      ["C1", "wecom", "qn_li", null],
      ["C2", "wecom", "qn_wang", null],
      ["C3", "wechat", "wxid_zhao", null],
      ["C3", "wechat_alias", "shared", null],
      ["TF", "wecom", "tf_zhang", null],
    ]);
    const contacts = await migrated.db.contact.findMany({ orderBy: { id: "asc" } });
    expect(contacts.map((c) => [c.id, c.role, c.prefectureCode, c.active])).toEqual([
      ["C1", "bureau_contact", "5227", true],
      ["C2", "bureau_lead", "5227", true],
      ["C3", "bureau_contact", "5227", true],
      ["C4", "bureau_contact", "5227", false],
      ["TF", "task_force", null, true],
    ]);
    expect(contacts[0]).not.toHaveProperty("wecomUserId");

    // the senders are found by (channel, external id); --as by any of them
    expect((await findContact(migrated.db, "wecom", "qn_li"))?.id).toBe("C1");
    expect((await findContact(migrated.db, "wechat", "wxid_zhao"))?.id).toBe("C3");
    expect(await findContact(migrated.db, "wechat", "qn_li")).toBeUndefined();
    expect((await findContactByRef(migrated.db, "tf_zhang"))?.id).toBe("TF");
    expect((await listContacts(migrated.db)).find((c) => c.id === "C1")?.identities).toEqual({
      wechat: "wxid_li",
      wechat_alias: "li-alias",
      wecom: "qn_li",
    });

    // the cache triggers survive the redefined Contact table and cover identities
    const version = async () =>
      Number((await migrated.db.cacheVersion.findUniqueOrThrow({ where: { name: "roster" } })).version);
    const v0 = await version();
    await migrated.db.contact.update({ where: { id: "C2" }, data: { name: "改名" } });
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await migrated.db.contactIdentity.delete({
      where: { contactId_channel: { contactId: "C2", channel: "wecom" } },
    });
    expect(await version()).toBeGreaterThan(v1);
    expect(await findContact(migrated.db, "wecom", "qn_wang")).toBeUndefined();
  });
});
