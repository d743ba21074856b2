import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";

describe.each(TEST_PROVIDERS)("kaiqu programme show on %s", (provider) => {
  let store: CliTestStore;
  beforeAll(async () => {
    store = await createCliTestStore(provider);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it("says there is no programme yet before seeding", async () => {
    const r = await runCliCapture(["programme", "show", "--json"], store.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("seed --sample");
  });

  it("after seed --sample shows 9 prefectures, 20 foreign-trade zones with the four quotas and 130 亿元", async () => {
    expect((await runCliCapture(["seed", "--sample"], store.env)).code).toBe(0);
    const r = await runCliCapture(["programme", "show", "--year", "2023", "--json"], store.env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({ year: 2023, isSample: true });
    expect(v.title).toContain("样例");
    expect(v.quarters.map((q: { deadline: string }) => q.deadline)).toEqual([
      "2023-04-22",
      "2023-07-15",
      "2023-10-15",
      "2024-01-15",
    ]);
    expect(v.prefectures).toHaveLength(9);
    const ft = v.groups.foreign_trade as {
      shortName: string;
      prefecture: string;
      targets: Record<string, string>;
    }[];
    expect(ft).toHaveLength(20);
    for (const z of ft) {
      expect(z.targets).toMatchObject({ projects: "10", trips: "15", entities: "5", trainings: "5" });
      expect(z.prefecture).toBeTruthy();
    }
    expect(ft.map((z) => z.shortName)).toEqual(expect.arrayContaining(["惠水", "松桃", "三穗", "龙里"]));
    expect(v.aggregates).toEqual([
      {
        scope: "group",
        groupCode: "foreign_trade",
        indicatorKey: "trade_total",
        value: "1300000",
        unit: "万元",
        valueYi: "130",
      },
    ]);
    expect(v.groups.national.length).toBeGreaterThan(0);
    expect(v.groups.provincial.length).toBeGreaterThan(0);
    expect(v.indicators.map((i: { key: string }) => i.key)).toContain("trade_total");
  });

  it("prints the sample banner, deadlines and money in 亿元 and 万元 as text; the newest year by default", async () => {
    const r = await runCliCapture(["programme", "show"], store.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^【样例 SAMPLE】/);
    expect(r.stdout).toContain("一季度  2023-04-22  时间进度 25%");
    expect(r.stdout).toContain("外贸升级经开区 (20)");
    expect(r.stdout).toContain(
      "名单合计目标: 进出口额 130 亿元（1300000 万元）；各经开区目标之和 130 亿元（1300000 万元）",
    );
  });

  it("rejects a year that is not set up or not a year", async () => {
    const missing = await runCliCapture(["programme", "show", "--year", "2030"], store.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("没有 2030 年度的方案 (已有: 2023)");
    const bad = await runCliCapture(["programme", "show", "--year", "23年"], store.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--year 应为四位年份 (读到 "23年")');
  });
});
