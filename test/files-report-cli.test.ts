import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { runCliCapture } from "./support/cli.js";
import { clearDialogueState } from "./support/report-app.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";

const NOW = ["--now", "2023-04-10T10:00:00+08:00"];

describe.each(TEST_PROVIDERS)("a quarter by files only on the console (%s)", (provider) => {
  let url: string;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-form-"));
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const s = await openStore(url);
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabaseUrl(provider));
    await applyMigrations(url);
    await withStore((s) => seedRosterFixture(s.db));
    env = { DATABASE_URL: url, LOG_LEVEL: "silent", FILE_STORE_DIR: path.join(tmp, "files") };
  });
  afterAll(async () => {
    await drop?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("form → filled in a spreadsheet program → submit → echo → 确认 → receipt; the revision keeps the file", async () => {
    const form = path.join(tmp, "form.xlsx");
    const made = await runCliCapture(["report", "form", "--as", ROSTER.contacts.qiannan, ...NOW, form], env);
    expect(made.stderr).toBe("");
    expect(made.stdout).toContain("2023年一季度");

    // the bureau fills it in (exceljs stands in for Excel): the form's structure is what it must keep
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(form) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("填报")!;
    const header = (ws.getRow(3).values as unknown[]).map((v) => String(v ?? ""));
    expect(header).toContain("进出口额（万元）");
    expect(wb.worksheets.map((w) => [w.name, w.state])).toContainEqual(["_kaiqu", "veryHidden"]);
    const col = (h: string) => header.indexOf(h);
    const row = [4, 5, 6].find((r) => String(ws.getCell(r, 1).value).includes("惠水"))!;
    expect(ws.getCell(row, col("包装招商项目（个）")).dataValidation).toMatchObject({ type: "whole" });
    ws.getCell(row, col("进出口额（万元）")).value = 32000;
    ws.getCell(row, col("进出口同比（%）")).value = 12.5;
    ws.getCell(row, col("包装招商项目（个）")).value = 3;
    ws.getCell(row, col("赴外招商（次）")).value = 4;
    ws.getCell(row, col("引进外贸市场主体（家）")).value = 1;
    ws.getCell(row, col("人才培训（场）")).value = 2;
    const filled = path.join(tmp, "filled.xlsx");
    writeFileSync(filled, Buffer.from(await wb.xlsx.writeBuffer()));

    await withStore(clearDialogueState);
    const r = await runCliCapture(
      ["report", "submit", "--as", ROSTER.contacts.qiannan, "--file", filled, "--yes", ...NOW],
      env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("已读取文件「filled.xlsx」");
    expect(r.stdout).toContain("请核对2023年一季度报送内容");
    expect(r.stdout).toContain("已保存2023年一季度报送");
    const rev = await withStore((s) =>
      s.db.reportRevision.findFirst({
        where: { zoneId: ROSTER.zones.huishui, year: 2023, quarter: 1 },
        orderBy: { revisionNo: "desc" },
      }),
    );
    expect(JSON.parse(rev!.values)).toMatchObject({
      trade_total: "32000",
      trade_yoy: "12.5",
      projects: "3",
      trips: "4",
    });
    expect(rev!.rawFileName).toBe("filled.xlsx");
    expect(rev!.rawFileSha256).toMatch(/^[0-9a-f]{64}$/);

    const out = path.join(tmp, "fetched.xlsx");
    const f = await runCliCapture(["report", "file", "--zone", "惠水", "--period", "2023Q1", out], env);
    expect(f.stderr).toBe("");
    expect(readFileSync(out).equals(readFileSync(filled))).toBe(true);
  });

  it("a bureau's own sheet (SheetJS .xls: title row, other column order, units in headers, an extra column) reads alike", async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ["黔南州2023年一季度经开区培育进展"],
      [
        "序号",
        "人才培训（场）",
        "经开区名称",
        "进出口额（亿元）",
        "包装招商项目（个）",
        "赴外招商（次）",
        "引进外贸主体（家）",
        "备注",
      ],
      [1, 2, "惠水经济开发区", 3.3, 3, 4, 1, "无"],
      ["", "", "合计", 3.3, 3, 4, 1, ""],
    ]);
    ws["!merges"] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 7 } }];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, "Sheet1");
    const file = path.join(tmp, "黔南报送.xls");
    writeFileSync(file, XLSX.write(wb, { type: "buffer", bookType: "biff8" }) as Buffer);
    await withStore(clearDialogueState);
    const r = await runCliCapture(
      ["report", "submit", "--as", ROSTER.contacts.qiannan, "--file", file, "--yes", ...NOW],
      env,
    );
    expect(r.stderr).toBe("");
    // the columns and rows not read are named back, by the table reader of pasted tables
    expect(r.stdout).toContain("未识别：列「备注」（工作表“Sheet1” 第2行 H列");
    expect(r.stdout).toContain("未识别：行「合计」（工作表“Sheet1” 第4行 C列");
    expect(r.stdout).toContain("已保存2023年一季度报送");
    const rev = await withStore((s) =>
      s.db.reportRevision.findFirst({
        where: { zoneId: ROSTER.zones.huishui, year: 2023, quarter: 1 },
        orderBy: { revisionNo: "desc" },
      }),
    );
    expect(JSON.parse(rev!.values)).toMatchObject({ trade_total: "33000", projects: "3", trainings: "2" });
  });

  it("a bad cell names sheet, row, column and value; a hostile file is refused; nothing is stored", async () => {
    await withStore(clearDialogueState);
    const before = await withStore((s) => s.db.reportRevision.count());
    const csv = "经开区,进出口额,包装招商项目（个）\r\n惠水,32000,2.5\r\n";
    const file = path.join(tmp, "bad.csv");
    writeFileSync(file, csv);
    const r = await runCliCapture(
      ["report", "submit", "--as", ROSTER.contacts.qiannan, "--file", file, ...NOW],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("文件「bad.csv」（工作表「bad」）有以下问题，未保存任何数据");
    expect(r.stdout).toContain(
      "「进出口额」缺少金额单位，请注明亿元或万元（读到“工作表“bad” 第2行 B列：32000”）",
    );
    expect(r.stdout).toContain(
      "「包装招商项目」应为整数（个数、次数不能有小数）（读到“工作表“bad” 第2行 C列：2.5”）",
    );
    const png = path.join(tmp, "截图.xlsx");
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    const p = await runCliCapture(
      ["report", "submit", "--as", ROSTER.contacts.qiannan, "--file", png, ...NOW],
      env,
    );
    expect(p.code).toBe(1);
    expect(p.stdout).toContain("是 PNG 图片，不是电子表格");
    expect(await withStore((s) => s.db.reportRevision.count())).toBe(before);
  });
});
