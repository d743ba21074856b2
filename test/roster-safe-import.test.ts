import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSampleProgramme } from "../src/programme/seed-programme.js";
import { importRoster } from "../src/roster/import-roster.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { buildXlsx } from "./support/xlsx-builder.js";

// #18: a workbook holding one contact row must not wipe the roster.
const HEAD = [
  "编号",
  "姓名",
  "角色",
  "市州",
  "企业微信账号(UserID)",
  "微信ID(wxid)",
  "微信号",
  "手机",
  "启用",
];
const ONE_CONTACT = [HEAD, ["C5227-01", "样例联络员-黔南", "联络员", "黔南", "qn_contact", "", "", "", "是"]];

describe.each(TEST_PROVIDERS)("roster import on %s", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedSampleProgramme(store.db);
  });
  afterAll(async () => {
    await store?.dispose();
  });
  const file = async (sheets: Parameters<typeof buildXlsx>[0]) => [
    { path: "名单.xlsx", bytes: await buildXlsx(sheets) },
  ];
  const active = () => store.db.contact.count({ where: { active: true } });

  it("rows absent from the sheet are left alone without --replace", async () => {
    const before = await active();
    const r = await importRoster(store.db, await file({ 联系人: ONE_CONTACT }));
    expect(r.ok).toBe(true);
    expect(r.changes.contacts.deactivated).toBe(0);
    expect(r.deactivated).toEqual({ zones: [], contacts: [], chatGroups: [] });
    expect(await active()).toBe(before);
  });

  it("the dry run of --replace names every contact that would be deactivated; the last task force is refused", async () => {
    const before = await active();
    const r = await importRoster(store.db, await file({ 联系人: ONE_CONTACT }), {
      dryRun: true,
      replace: true,
    });
    expect(r.ok).toBe(false);
    expect(r.deactivated.contacts).toContain("样例专班-张（TF-01）");
    expect(r.deactivated.contacts).toContain("样例分管领导-黔南（C5227-LEAD）");
    expect(r.deactivated.contacts).toHaveLength(before - 1);
    expect(r.issues.map((i) => i.message).join("\n")).toContain("省专班");
    const real = await importRoster(store.db, await file({ 联系人: ONE_CONTACT }), { replace: true });
    expect(real.ok).toBe(false);
    expect(await active()).toBe(before);
  });

  it("--replace keeping one task-force member deactivates the rest, listed by name", async () => {
    const rows = [
      ...ONE_CONTACT,
      ["TF-01", "样例专班-张", "省专班", "", "tf_zhang", "wxid_sample_tf_zhang", "", "", "是"],
    ];
    const dry = await importRoster(store.db, await file({ 联系人: rows }), { dryRun: true, replace: true });
    expect(dry.ok).toBe(true);
    expect(dry.deactivated.contacts).toContain("样例专班-李（TF-02）");
    expect(await store.db.contact.count({ where: { active: true, role: "task_force" } })).toBe(2);
  });
});
