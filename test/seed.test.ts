import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/decimal.js";
import { loadProgramme } from "../src/programme/programme-repository.js";
import { SAMPLE_PROGRAMME } from "../src/programme/sample-programme.js";
import { seedSampleProgramme } from "../src/programme/seed-programme.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";
import { dumpProgrammeTables } from "./support/table-dump.js";

describe.each(TEST_PROVIDERS)("seed --sample on %s", (provider) => {
  let store: CliTestStore;
  beforeAll(async () => {
    store = await createCliTestStore(provider);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it("loads the sample through the CLI, and a second run changes nothing (not even updatedAt)", async () => {
    const env = store.env;
    const first = await runCliCapture(["seed", "--sample", "--json"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const firstJson = JSON.parse(first.stdout);
    expect(firstJson.changes.zones.created).toBe(SAMPLE_PROGRAMME.zones!.length);
    expect(firstJson.rows).toMatchObject({
      prefectures: 9,
      memberships: { foreign_trade: 20 },
      contacts: 20,
    });
    const before = await store.withDb(dumpProgrammeTables);

    const second = await runCliCapture(["seed", "--sample", "--json"], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).changed).toBe(0);
    const third = await runCliCapture(["seed", "--sample"], env);
    expect(third.stdout).toContain("未作改动");
    expect(await store.withDb(dumpProgrammeTables)).toEqual(before);
  });

  it("holds what the 2023 notice fixes, marked as a sample", async () => {
    const p = (await store.withDb((db) => loadProgramme(db, 2023)))!;
    expect(p.isSample).toBe(true);
    expect(p.title).toMatch(/样例/);
    expect(p.quarters.map((q) => [q.deadline, q.expectedProgressPct.toString()])).toEqual([
      ["2023-04-22", "25"],
      ["2023-07-15", "50"],
      ["2023-10-15", "75"],
      ["2024-01-15", "100"],
    ]);
    expect(p.prefectures.map((x) => x.code)).toEqual([
      "5201",
      "5202",
      "5203",
      "5204",
      "5205",
      "5206",
      "5223",
      "5226",
      "5227",
    ]);

    const ft = p.zones.filter((z) => z.groups.includes("foreign_trade"));
    expect(ft).toHaveLength(20);
    const ftShort = ft.map((z) => z.shortName);
    expect(ftShort).toEqual(expect.arrayContaining(["惠水", "松桃", "三穗", "龙里"]));
    for (const gone of ["凤冈", "安顺", "炉碧", "万山"]) expect(ftShort).not.toContain(gone);
    expect(p.zones.filter((z) => z.groups.includes("national")).length).toBeGreaterThan(0);
    expect(p.zones.filter((z) => z.groups.includes("provincial")).length).toBeGreaterThan(0);

    const target = (zoneId: string, key: string) =>
      p.targets
        .find((t) => t.scope === "zone" && t.zoneId === zoneId && t.indicatorKey === key)
        ?.value.toString();
    for (const z of ft) {
      expect([
        target(z.id, "projects"),
        target(z.id, "trips"),
        target(z.id, "entities"),
        target(z.id, "trainings"),
      ]).toEqual(["10", "15", "5", "5"]);
    }
    const aggregate = p.targets.find(
      (t) => t.scope === "group" && t.groupCode === "foreign_trade" && t.indicatorKey === "trade_total",
    );
    expect(aggregate?.value.toString()).toBe("1300000");
    const sum = Decimal.sum(ft.map((z) => Decimal.parse(target(z.id, "trade_total")!)));
    expect(sum.toString()).toBe("1300000");

    const dingxiao = p.zones.find((z) => z.id === "Z5223-DINGXIAO")!;
    expect(dingxiao.shortName).toBe("黔西南高新区");
    expect(dingxiao.aliases).toContain("顶效");
    expect(p.zones.map((z) => z.shortName)).toEqual(expect.arrayContaining(["贵阳经开区", "遵义经开区"]));
    const huishui = p.zones.find((z) => z.shortName === "惠水")!;
    expect(huishui).toMatchObject({
      id: "Z5227-HUISHUI",
      name: "贵州惠水经济开发区",
      prefectureCode: "5227",
    });
    expect(huishui.aliases).toContain("惠水经开区");

    const trade = p.indicators.find((i) => i.key === "trade_total")!;
    expect(trade).toMatchObject({
      label: "进出口额",
      unit: "万元",
      kind: "money",
      cumulative: true,
      required: true,
    });
    expect(trade.aliases).toEqual(expect.arrayContaining(["进出口", "外贸进出口", "进出口总额"]));
    expect(p.indicators.find((i) => i.key === "trade_yoy")).toMatchObject({
      kind: "percent",
      cumulative: false,
      required: false,
    });
    expect(p.indicators.find((i) => i.key === "projects")).toMatchObject({
      unit: "个",
      groups: ["foreign_trade"],
      required: true,
    });
    expect(p.settings.reminders.time).toBe("09:30");
  });

  it("gives every prefecture a bureau contact, a bureau lead and a group; two task-force members", async () => {
    const { contacts, groups } = await store.withDb(async (db) => ({
      contacts: await db.contact.findMany({ include: { identities: true } }),
      groups: await db.chatGroup.findMany({ include: { identities: true } }),
    }));
    for (const code of ["5201", "5202", "5203", "5204", "5205", "5206", "5223", "5226", "5227"]) {
      const of = contacts.filter((c) => c.prefectureCode === code);
      expect(of.map((c) => c.role).sort()).toEqual(["bureau_contact", "bureau_lead"]);
      expect(of.every((c) => c.name.includes("样例"))).toBe(true);
      const own = groups.filter((g) => g.prefectureCode === code && g.audience === "prefecture");
      expect(own).toHaveLength(1);
      expect(own[0]!.identities.map((i) => i.channel)).toEqual([
        own[0]!.channel === "wecom_robot" ? "wecom_robot_key_env" : "wecom_chat",
      ]);
    }
    expect(contacts.filter((c) => c.role === "task_force")).toHaveLength(2);
    expect(contacts.every((c) => c.identities.length > 0)).toBe(true);
    const qn = contacts.find((c) => c.id === "C5227-01")!.identities;
    expect(Object.fromEntries(qn.map((i) => [i.channel, [i.externalId, i.verifiedAt]]))).toEqual({
      wecom: ["qn_contact", null],
      wechat: ["wxid_sample_qn_contact", null],
      wechat_alias: ["sample-qn-contact", null],
    });
    expect(groups.filter((g) => g.audience === "task_force")).toHaveLength(1);
    expect(groups.filter((g) => g.audience === "province")).toHaveLength(1);
    expect(new Set(groups.map((g) => g.channel))).toEqual(new Set(["wecom_appchat", "wecom_robot"]));
    for (const g of groups.filter((x) => x.channel === "wecom_robot"))
      expect(g.identities.find((i) => i.channel === "wecom_robot_key_env")?.externalId).toMatch(
        /^WECOM_ROBOT_KEY_[A-Z]+$/,
      );
  });

  it("leaves a programme that is not a sample alone", async () => {
    const before = await store.withDb(async (db) => {
      await db.programmeYear.update({
        where: { year: 2023 },
        data: { isSample: false, title: "2023年正式方案" },
      });
      await expect(seedSampleProgramme(db)).rejects.toThrow(/正式/);
      return dumpProgrammeTables(db);
    });
    const r = await runCliCapture(["seed", "--sample"], store.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("不会覆盖");
    expect(await store.withDb(dumpProgrammeTables)).toEqual(before);
    const noFlag = await runCliCapture(["seed"], store.env);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain("--sample");
  });
});
