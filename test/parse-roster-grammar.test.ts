// Roster import and the parser share data and grammar: roster numbers are read by the one number grammar,
// and the short forms the parser accepts are the indicators' aliases from the roster's 指标 sheet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/parsing/parse-report.js";
import { loadProgramme } from "../src/programme/programme-repository.js";
import { importRoster } from "../src/roster/import-roster.js";
import { GROUP_WORDS, KIND_WORDS, parseDecimal, wordOf } from "../src/roster/roster-values.js";
import { ROSTER, ROSTER_INDICATORS, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

describe("roster numbers: the parser's grammar", () => {
  it("reads what the grammar reads, whole cells only", () => {
    const read = (t: string) => parseDecimal(t)?.toString();
    expect(read("1,300,000")).toBe("1300000");
    expect(read(" １５０ ０００ ")).toBe("150000");
    expect(read("３．５")).toBe("3.5");
    expect(read("十五")).toBe("15");
    expect(read("-2.5")).toBe("-2.5");
    expect(read("＋7")).toBe("7");
  });

  it("refuses what the grammar refuses, and magnitudes (the 单位 column gives the unit)", () => {
    for (const t of ["3,2", "1,30,000", "3亿", "15万", "1亿2000", "12a", "", "3.2.1", "三五"])
      expect([t, parseDecimal(t)]).toEqual([t, undefined]);
  });
});

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The fixture's 指标 sheet as a csv, with `extra` aliases added to one indicator. */
function indicatorCsv(key: string, extra: string[]): Buffer {
  const head = ["指标代码", "名称", "别名", "单位", "类型", "累计", "必报", "适用名单", "排序"];
  const rows = ROSTER_INDICATORS.map((i, n) => [
    i.key,
    i.label,
    [...i.aliases, ...(i.key === key ? extra : [])].join("、"),
    i.unit,
    wordOf(KIND_WORDS, i.kind as keyof typeof KIND_WORDS),
    i.cumulative ? "是" : "否",
    i.required ? "是" : "否",
    i.groups.map((g) => wordOf(GROUP_WORDS, g as keyof typeof GROUP_WORDS)).join("、"),
    String((n + 1) * 10),
  ]);
  return Buffer.from(`${[head, ...rows].map((r) => r.map(csvCell).join(",")).join("\n")}\n`, "utf8");
}

describe.each(TEST_PROVIDERS)("an alias added in the roster's 指标 sheet is read by the parser (%s)", (p) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(p);
    await seedRosterFixture(store.db);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  async function parse(text: string) {
    const programme = (await loadProgramme(store.db, ROSTER.year))!;
    return parseReport(text, {
      zones: programme.zones,
      indicators: programme.indicators,
      year: ROSTER.year,
    });
  }

  // 招商活动 is an alias in production (standard-indicators.ts), not in the fixture
  it("招商活动 is no field before the import and 赴外招商 after it", async () => {
    const text = "惠水经开区 招商活动5次，赴外招商5次";
    const before = await parse(text);
    expect(before.sections[0]!.values.trips?.value).toBe("5");
    // before the import "招商活动5次" is not a field: it is named back (never silently read or dropped)
    expect(before.notes.map((n) => n.read)).toEqual(["招商活动5次"]);

    const r = await importRoster(
      store.db,
      [{ path: "2023-指标.csv", bytes: indicatorCsv("trips", ["招商活动"]) }],
      {
        year: ROSTER.year,
      },
    );
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);

    const after = await parse("惠水经开区 招商活动5次");
    expect(after.sections.map((s) => [s.zoneId, s.values.trips?.value])).toEqual([
      [ROSTER.zones.huishui, "5"],
    ]);
    expect(after.notes).toEqual([]);
  });
});
