import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { DEFAULT_FILE_LIMITS } from "../src/files/file-limits.js";
import { readReportWorkbook } from "../src/files/read-report-workbook.js";
import { readSpreadsheet } from "../src/files/read-spreadsheet.js";
import { readWorkbookFile } from "../src/files/submit-workbook.js";
import { parseTable } from "../src/parsing/parse-report.js";
import type { ParsedReport } from "../src/parsing/parsed-report.js";
import { sampleParseContext } from "./support/sample-parse-context.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-wbr-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a reading stores: zone → indicator → canonical value. */
const values = (p: ParsedReport) =>
  Object.fromEntries(
    p.sections.map((s) => [
      s.zoneId,
      Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v.value])),
    ]),
  );

/**
 * A bureau's own sheet: a title naming the quarter, a unit row, group headers merged over two columns
 * each ("外贸进出口" over 总额/增速 — folded; "招商引资" over two full indicator names — kept), a 序号
 * column, units in cells ("3.2亿元"), a full zone name and an alias, a 合计 row.
 */
const OWN: (string | number | null)[][] = [
  ["黔南州2023年二季度经开区培育工作进展"],
  ["序号", "园区名称", "外贸进出口", null, "招商引资", null],
  [null, null, "总额（万元）", "增速", "包装招商项目（个）", "赴外招商（次）"],
  [1, "惠水经济开发区", "3.2亿元", "12.5%", 3, 4],
  [2, "龙里", 8000.5, "-3.1%", 0, 2],
  [null, "合计", 40000.5, null, 3, 6],
];
const OWN_MERGES = ["A1:F1", "C2:D2", "E2:F2"];
const EXPECTED = {
  "Z5227-HUISHUI": { trade_total: "32000", trade_yoy: "12.5", projects: "3", trips: "4" },
  "Z5227-LONGLI": { trade_total: "8000.5", trade_yoy: "-3.1", projects: "0", trips: "2" },
};

async function exceljsOwn(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("二季度");
  for (const r of OWN) ws.addRow(r);
  for (const m of OWN_MERGES) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sheetjsOwn(bookType: "xlsx" | "biff8"): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(OWN);
  ws["!merges"] = OWN_MERGES.map((m) => XLSX.utils.decode_range(m));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, "二季度");
  return XLSX.write(wb, { type: "buffer", bookType }) as Buffer;
}

async function read(bytes: Buffer, name: string) {
  const ctx = sampleParseContext({ openPeriod: { year: 2023, quarter: 2 } });
  const grid = await readSpreadsheet(bytes, name, DEFAULT_FILE_LIMITS);
  const reading = readReportWorkbook(grid, ctx);
  expect(reading, name).toBeDefined();
  return reading!;
}

describe("a returned workbook is read by the table reader of pasted tables", () => {
  it("a bureau's own sheet: title period, merged group headers, units in cells, aliases, 合计 named back", async () => {
    const r = await read(await exceljsOwn(), "own.xlsx");
    expect(r.parsed.issues).toEqual([]);
    expect(values(r.parsed)).toEqual(EXPECTED);
    expect(r.parsed.period).toEqual({ year: 2023, quarter: 2 });
    expect(r.parsed.periodSource).toBe("explicit");
    expect(r.parsed.notes.map((n) => n.message)).toContainEqual(expect.stringContaining("行「合计」"));
    // the same claims as the sheet's cells pasted into a chat
    const pasted = parseTable(
      { rows: r.cells.rows },
      sampleParseContext({ openPeriod: { year: 2023, quarter: 2 } }),
    );
    expect(values(pasted)).toEqual(EXPECTED);
    expect(r.parsed.sections[0]!.values.trade_total!.where).toBe("工作表“二季度” 第4行 C列");
  });

  it("SheetJS xlsx and .xls of the same sheet read alike", async () => {
    for (const [bookType, name] of [
      ["xlsx", "own-sheetjs.xlsx"],
      ["biff8", "own.xls"],
    ] as const) {
      const r = await read(sheetjsOwn(bookType), name);
      expect(r.parsed.issues, name).toEqual([]);
      expect(values(r.parsed), name).toEqual(EXPECTED);
    }
  });

  it.skipIf(!existsSync("/usr/bin/soffice"))(
    "the workbook saved through LibreOffice (xlsx and xls) reads alike",
    async () => {
      const src = path.join(tmp, "own-src.xlsx");
      writeFileSync(src, await exceljsOwn());
      for (const ext of ["xlsx", "xls"]) {
        const outDir = path.join(tmp, `lo-${ext}`);
        execFileSync(
          "/usr/bin/soffice",
          [
            `-env:UserInstallation=file://${tmp}/lo-profile`,
            "--headless",
            "--convert-to",
            ext,
            "--outdir",
            outDir,
            src,
          ],
          { stdio: "ignore", timeout: 120_000 },
        );
        const r = await read(readFileSync(path.join(outDir, `own-src.${ext}`)), `lo.${ext}`);
        expect(r.parsed.issues, ext).toEqual([]);
        expect(values(r.parsed), ext).toEqual(EXPECTED);
      }
    },
    240_000,
  );

  it("zones as columns, the unit in a title row", async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ["单位：万元"],
      ["指标", "惠水", "龙里"],
      ["进出口额", 32000, 8000],
      ["包装招商项目（个）", 3, 1],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, "Sheet1");
    const r = await read(XLSX.write(wb, { type: "buffer", bookType: "xlsx" }) as Buffer, "cols.xlsx");
    expect(r.parsed.issues).toEqual([]);
    expect(values(r.parsed)).toEqual({
      "Z5227-HUISHUI": { trade_total: "32000", projects: "3" },
      "Z5227-LONGLI": { trade_total: "8000", projects: "1" },
    });
  });

  it("a bad cell is a question naming sheet, row, column and the value read", async () => {
    const csv = "经开区,进出口额,包装招商项目（个）\r\n惠水,32000,2.5\r\n";
    const r = await read(Buffer.from(csv), "黔南.csv");
    const messages = r.parsed.issues.map((i) => i.message);
    expect(messages).toContainEqual(expect.stringContaining("读到“工作表“黔南” 第2行 B列：32000”"));
    expect(messages).toContainEqual(expect.stringContaining("读到“工作表“黔南” 第2行 C列：2.5”"));
    expect(r.parsed.sections.flatMap((s) => Object.keys(s.values))).toEqual([]);
  });

  it("formulas: a cached value is read, none cached is asked about (never read as empty)", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("报送");
    ws.addRow(["经开区", "进出口额（万元）", "包装招商项目（个）"]);
    ws.addRow(["惠水", { formula: "30000+2000", result: 32000 }, { formula: "1+2" }]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await read(bytes, "f.xlsx");
    expect(r.parsed.sections[0]!.values.trade_total!.value).toBe("32000");
    expect(r.uncomputed).toEqual(["工作表“报送” 第2行 C列"]);
    const out = await readWorkbookFile({ bytes, name: "f.xlsx" }, DEFAULT_FILE_LIMITS, sampleParseContext());
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toContain("工作表“报送” 第2行 C列是公式，但文件里没有保存计算结果");
  });

  it("a workbook without a report table is said so", async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ["姓名", "电话"],
      ["张三", "0854-1234567"],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, "通讯录");
    const bytes = XLSX.write(wb, { type: "buffer", bookType: "xlsx" }) as Buffer;
    const out = await readWorkbookFile(
      { bytes, name: "通讯录.xlsx" },
      DEFAULT_FILE_LIMITS,
      sampleParseContext(),
    );
    expect(out).toMatchObject({ ok: false, message: expect.stringContaining("没有在文件中找到报送表") });
  });
});
