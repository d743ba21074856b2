import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readXlsx } from "../src/roster/read-xlsx.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";
import { dumpProgrammeTables } from "./support/table-dump.js";

describe.each(TEST_PROVIDERS)("roster round trip on %s", (provider) => {
  let seeded: CliTestStore;
  let fresh: CliTestStore;
  let fromCsv: CliTestStore;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  beforeAll(async () => {
    [seeded, fresh, fromCsv] = await Promise.all([
      createCliTestStore(provider),
      createCliTestStore(provider),
      createCliTestStore(provider),
    ]);
    dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-roster-rt-"));
    expect((await runCliCapture(["seed", "--sample"], seeded.env)).code).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([seeded?.dispose(), fresh?.dispose(), fromCsv?.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("export → import into an empty store → export gives the same bytes; a second import changes nothing", async () => {
    const first = await runCliCapture(["roster", "export", file("a.xlsx"), "--year", "2023"], seeded.env);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("经开区 57，名单 31，目标 101，联系人 20，群聊 11");
    const imported = await runCliCapture(["roster", "import", file("a.xlsx"), "--json"], fresh.env);
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result).toMatchObject({ ok: true, year: 2023, dryRun: false });
    expect(result.changes.targets.created).toBe(101);
    const after = await fresh.withDb(dumpProgrammeTables);

    const again = await runCliCapture(["roster", "import", file("a.xlsx"), "--json"], fresh.env);
    expect(JSON.parse(again.stdout).changed).toBe(0);
    expect(await fresh.withDb(dumpProgrammeTables)).toEqual(after);

    expect((await runCliCapture(["roster", "export", file("b.xlsx")], fresh.env)).code).toBe(0);
    expect(readFileSync(file("b.xlsx")).equals(readFileSync(file("a.xlsx")))).toBe(true);

    const show = JSON.parse((await runCliCapture(["programme", "show", "--json"], fresh.env)).stdout);
    expect(show.groups.foreign_trade).toHaveLength(20);
    expect(show.aggregates[0]).toMatchObject({ value: "1300000", valueYi: "130" });
  });

  it("importing the export into the store it came from changes nothing (updatedAt included)", async () => {
    const before = await seeded.withDb(dumpProgrammeTables);
    const r = await runCliCapture(["roster", "import", file("a.xlsx")], seeded.env);
    expect(r.stdout).toContain("没有变化");
    expect(await seeded.withDb(dumpProgrammeTables)).toEqual(before);
  });

  it("the csv export (one file per sheet) imports to the same programme", async () => {
    const csvDir = file("csv");
    expect((await runCliCapture(["roster", "export", csvDir, "--csv"], seeded.env)).code).toBe(0);
    const csvFiles = readdirSync(csvDir).sort();
    expect(csvFiles).toEqual(
      [
        "市州.csv",
        "年度.csv",
        "指标.csv",
        "培育名单.csv",
        "目标.csv",
        "经开区.csv",
        "群聊.csv",
        "联系人.csv",
      ].sort(),
    );
    expect(readFileSync(path.join(csvDir, "联系人.csv")).subarray(0, 3)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf]),
    );
    const r = await runCliCapture(
      ["roster", "import", ...csvFiles.map((f) => path.join(csvDir, f))],
      fromCsv.env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((await runCliCapture(["roster", "export", file("c.xlsx")], fromCsv.env)).code).toBe(0);
    expect(readFileSync(file("c.xlsx")).equals(readFileSync(file("a.xlsx")))).toBe(true);
  });

  it("--dry-run reports the changes and writes nothing; a sheet is the complete list of its kind", async () => {
    const tpl = await runCliCapture(["roster", "template", file("t.xlsx")], seeded.env);
    expect(tpl.code).toBe(0);
    const sheets = await readXlsx(readFileSync(file("t.xlsx")), "t.xlsx");
    expect(sheets.map((s) => s.name)).toEqual([
      "说明",
      "年度",
      "指标",
      "市州",
      "经开区",
      "培育名单",
      "目标",
      "联系人",
      "群聊",
    ]);
    expect(sheets.find((s) => s.name === "联系人")?.headers).toContain("企业微信账号(UserID)");
    expect(sheets.find((s) => s.name === "市州")?.rows).toHaveLength(9);

    const before = await seeded.withDb(dumpProgrammeTables);
    const csv = file("只有惠水-培育名单.csv");
    writeFileSync(csv, "经开区,名单\n惠水,外贸升级\n惠水经开区,国家级培育\n");
    const dry = await runCliCapture(["roster", "import", csv, "--dry-run", "--json"], seeded.env);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan).toMatchObject({ ok: true, dryRun: true, year: 2023 });
    expect(plan.changes.memberships).toMatchObject({ created: 1, unchanged: 1, deleted: 30 });
    expect(await seeded.withDb(dumpProgrammeTables)).toEqual(before);
  });
});

describe.runIf(TEST_PROVIDERS.includes("sqlite") && TEST_PROVIDERS.includes("postgresql"))(
  "roster round trip across stores",
  () => {
    it("a SQLite export imported into PostgreSQL exports to the same bytes (and back)", async () => {
      const [lite, pg] = await Promise.all([createCliTestStore("sqlite"), createCliTestStore("postgresql")]);
      const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-roster-x-"));
      try {
        expect((await runCliCapture(["seed", "--sample"], lite.env)).code).toBe(0);
        expect((await runCliCapture(["roster", "export", path.join(dir, "lite.xlsx")], lite.env)).code).toBe(
          0,
        );
        expect((await runCliCapture(["roster", "import", path.join(dir, "lite.xlsx")], pg.env)).code).toBe(0);
        expect((await runCliCapture(["roster", "export", path.join(dir, "pg.xlsx")], pg.env)).code).toBe(0);
        expect(
          readFileSync(path.join(dir, "pg.xlsx")).equals(readFileSync(path.join(dir, "lite.xlsx"))),
        ).toBe(true);
      } finally {
        await Promise.all([lite.dispose(), pg.dispose()]);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
