import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_PROGRAMME, SAMPLE_ZONES } from "../src/programme/sample-programme.js";
import { readXlsx } from "../src/roster/read-xlsx.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";
import { dumpProgrammeTables } from "./support/table-dump.js";
import { buildXlsx } from "./support/xlsx-builder.js";

/** The sample's 经开区 sheet, with short names and 启用 as `edit` says. */
function zoneSheet(edit: { shortName?: Record<string, string>; off?: string[] } = {}) {
  return [
    ["编号", "名称", "简称", "别名", "市州", "启用"],
    ...SAMPLE_ZONES.map((z) => [
      z.id,
      z.name,
      edit.shortName?.[z.shortName] ?? z.shortName,
      z.aliases.join("、"),
      z.prefectureCode,
      edit.off?.includes(z.id) ? "否" : "是",
    ]),
  ];
}

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

  it("zones swapping short names and WeCom accounts moving between contacts import in one go", async () => {
    // Row order matters without the release step: C5227-01 takes qn_lead while C5227-LEAD still holds it.
    const move: Record<string, string> = {
      "C5227-01": "qn_lead",
      "C5227-LEAD": "qn_lead_new",
      "C5201-01": "gy_lead",
      "C5201-LEAD": "gy_contact",
    };
    const swap: Record<string, string> = { 惠水: "龙里", 龙里: "惠水" };
    const xlsx = await buildXlsx({
      经开区: zoneSheet({ shortName: swap }),
      联系人: [
        ["编号", "姓名", "角色", "市州", "企业微信账号", "微信ID", "微信号", "手机", "启用"],
        ...SAMPLE_PROGRAMME.contacts!.map((c) => [
          c.id,
          c.name,
          c.role === "task_force" ? "省专班" : c.role === "bureau_lead" ? "分管领导" : "联络员",
          c.prefectureCode ?? "",
          move[c.id] ?? c.identities.wecom ?? "",
          c.identities.wechat ?? "",
          c.identities.wechat_alias ?? "",
          "",
          "是",
        ]),
      ],
    });
    writeFileSync(file("moves.xlsx"), xlsx);
    const r = await runCliCapture(["roster", "import", file("moves.xlsx"), "--json"], fresh.env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const { changes } = JSON.parse(r.stdout);
    expect(changes.zones).toMatchObject({ updated: 2, created: 0, deactivated: 0 });
    expect(changes.contacts).toMatchObject({ updated: 4, created: 0, deactivated: 0 });
    const stored = await fresh.withDb(async (db) => ({
      zones: await db.zone.findMany({ where: { id: { in: ["Z5227-HUISHUI", "Z5227-LONGLI"] } } }),
      contacts: await db.contactIdentity.findMany({
        where: { contactId: { in: Object.keys(move) }, channel: "wecom" },
      }),
    }));
    expect(Object.fromEntries(stored.zones.map((z) => [z.id, z.shortName]))).toEqual({
      "Z5227-HUISHUI": "龙里",
      "Z5227-LONGLI": "惠水",
    });
    expect(Object.fromEntries(stored.contacts.map((c) => [c.contactId, c.externalId]))).toEqual(move);
    const again = await runCliCapture(["roster", "import", file("moves.xlsx"), "--json"], fresh.env);
    expect(JSON.parse(again.stdout).changed).toBe(0);
  });

  it("a zone switched off while it still has memberships and targets exports and imports back unchanged", async () => {
    // 清镇 off in the 经开区 sheet only: its 2023 memberships and targets stay (inert while it is off).
    writeFileSync(file("off.xlsx"), await buildXlsx({ 经开区: zoneSheet({ off: ["Z5201-QINGZHEN"] }) }));
    expect((await runCliCapture(["roster", "import", file("off.xlsx")], seeded.env)).code).toBe(0);
    const show = JSON.parse((await runCliCapture(["programme", "show", "--json"], seeded.env)).stdout);
    expect(show.groups.foreign_trade).toHaveLength(19);

    const before = await seeded.withDb(dumpProgrammeTables);
    expect((await runCliCapture(["roster", "export", file("off-1.xlsx")], seeded.env)).code).toBe(0);
    const again = await runCliCapture(["roster", "import", file("off-1.xlsx"), "--json"], seeded.env);
    expect(again.stderr).toBe("");
    expect(JSON.parse(again.stdout).changed).toBe(0);
    expect(await seeded.withDb(dumpProgrammeTables)).toEqual(before);
    expect((await runCliCapture(["roster", "export", file("off-2.xlsx")], seeded.env)).code).toBe(0);
    expect(readFileSync(file("off-2.xlsx")).equals(readFileSync(file("off-1.xlsx")))).toBe(true);

    // A file that lists the switched-off zone in a group without switching it on is still refused.
    const csv = file("清镇-培育名单.csv");
    writeFileSync(csv, "经开区编号,名单\nZ5201-QINGZHEN,外贸升级\n");
    const refused = await runCliCapture(["roster", "import", csv], seeded.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("经开区 Z5201-QINGZHEN（清镇）已停用");
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
