import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { DEFAULT_FILE_LIMITS, FileRefusal, type FileRefusalCode } from "../src/files/file-limits.js";
import { readSpreadsheet } from "../src/files/read-spreadsheet.js";
import { expandExponent, numberText, type SheetGrid } from "../src/files/sheet-grid.js";
import { scanBiffGlobals } from "../src/files/sniff-file.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const texts = (s: SheetGrid) => s.rows.map((r) => Array.from(r, (c) => c?.text ?? ""));

async function refusal(bytes: Buffer, name = "x.xlsx", limits = DEFAULT_FILE_LIMITS): Promise<FileRefusal> {
  try {
    await readSpreadsheet(bytes, name, limits);
  } catch (e) {
    if (e instanceof FileRefusal) return e;
    throw e;
  }
  throw new Error("the file was read instead of refused");
}
async function expectRefused(
  bytes: Buffer,
  code: FileRefusalCode,
  name?: string,
  limits?: typeof DEFAULT_FILE_LIMITS,
) {
  const r = await refusal(bytes, name, limits);
  expect(r.code).toBe(code);
  expect(r.message).toMatch(/[\u4e00-\u9fff]/);
  return r;
}

/** The reference table every writer below writes. */
const TABLE = [
  ["经开区", "进出口额（万元）", "增速", "包装招商项目（个）"],
  ["惠水", 32000.5, 0.125, 3],
  ["都匀", 0.1, -0.031, 0],
];

async function exceljsWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("报送");
  ws.addRow(["2023年一季度报送表"]);
  ws.mergeCells("A1:D1");
  for (const r of TABLE) ws.addRow(r);
  ws.getCell("C3").numFmt = "0.0%";
  ws.getCell("C4").numFmt = "0.0%";
  // a formula with a cached result that carries a float artefact, and one without a cached result
  ws.getCell("E2").value = { formula: "0.1+0.2", result: 0.30000000000000004 };
  ws.getCell("E3").value = { formula: "B3*2" } as ExcelJS.CellFormulaValue;
  const hidden = wb.addWorksheet("标记", { state: "veryHidden" });
  hidden.getCell("A1").value = "kaiqu";
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sheetjsWorkbook(bookType: "xlsx" | "biff8"): Buffer {
  const ws = XLSX.utils.aoa_to_sheet([["2023年一季度报送表"], ...TABLE]);
  ws["!merges"] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 3 } }];
  for (const a of ["C3", "C4"]) ws[a]!.z = "0.0%";
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, "报送");
  return XLSX.write(wb, { type: "buffer", bookType }) as Buffer;
}

const EXPECTED = [
  ["2023年一季度报送表", "2023年一季度报送表", "2023年一季度报送表", "2023年一季度报送表"],
  ["经开区", "进出口额（万元）", "增速", "包装招商项目（个）"],
  ["惠水", "32000.5", "12.5%", "3"],
  ["都匀", "0.1", "-3.1%", "0"],
];

describe("spreadsheets become cell grids, whatever wrote them", () => {
  it("exceljs xlsx: exact numbers, percent cells, merged title, formulas by cached value, hidden sheets", async () => {
    const grid = await readSpreadsheet(await exceljsWorkbook(), "报送.xlsx", DEFAULT_FILE_LIMITS);
    expect(grid.kind).toBe("xlsx");
    const [sheet, marker] = grid.sheets;
    expect(texts(sheet!).map((r) => r.slice(0, 4))).toEqual(EXPECTED);
    expect(sheet!.merges).toEqual([{ top: 0, left: 0, bottom: 0, right: 3 }]);
    expect(sheet!.rows[2]![1]).toEqual({ text: "32000.5", number: "32000.5" });
    expect(sheet!.rows[1]![4]).toEqual({ text: "0.3", number: "0.3", formula: true });
    expect(sheet!.rows[2]![4]).toEqual({ text: "", formula: true, uncomputed: true });
    expect(marker).toMatchObject({ name: "标记", hidden: true });
  });

  it("SheetJS xlsx and .xls read alike", async () => {
    for (const bookType of ["xlsx", "biff8"] as const) {
      const grid = await readSpreadsheet(sheetjsWorkbook(bookType), "报送", DEFAULT_FILE_LIMITS);
      expect(grid.kind).toBe(bookType === "xlsx" ? "xlsx" : "xls");
      expect(texts(grid.sheets[0]!).map((r) => r.slice(0, 4))).toEqual(EXPECTED);
    }
  });

  it.skipIf(!existsSync("/usr/bin/soffice"))(
    "a workbook saved through LibreOffice (xlsx and xls) reads like the original",
    async () => {
      const src = path.join(tmp, "lo-src.xlsx");
      writeFileSync(src, await exceljsWorkbook());
      for (const ext of ["xls", "xlsx"]) {
        const outDir = path.join(tmp, `lo-${ext}`);
        execFileSync(
          "soffice",
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
        const grid = await readSpreadsheet(
          readFileSync(path.join(outDir, `lo-src.${ext}`)),
          `lo.${ext}`,
          DEFAULT_FILE_LIMITS,
        );
        expect(
          texts(grid.sheets[0]!)
            .slice(1)
            .map((r) => r.slice(0, 4)),
        ).toEqual(EXPECTED.slice(1));
        expect(grid.sheets[0]!.rows[0]![0]!.text).toBe("2023年一季度报送表");
      }
    },
    180_000,
  );

  it("csv in UTF-8 with BOM, plain UTF-8 and GBK gives the same cells", async () => {
    const csv = '经开区,进出口额（万元）,"备注,含逗号"\r\n惠水,"32,000.5",正常\r\n';
    const variants: [Buffer, string][] = [
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), "UTF-8 (BOM)"],
      [Buffer.from(csv), "UTF-8"],
      [iconv.encode(csv, "gbk"), "GB18030"],
    ];
    for (const [bytes, encoding] of variants) {
      const grid = await readSpreadsheet(bytes, "黔南.csv", DEFAULT_FILE_LIMITS);
      expect(grid).toMatchObject({ kind: "csv", encoding });
      expect(grid.sheets[0]!.name).toBe("黔南");
      expect(texts(grid.sheets[0]!)).toEqual([
        ["经开区", "进出口额（万元）", "备注,含逗号"],
        ["惠水", "32,000.5", "正常"],
      ]);
    }
  });

  it("numbers are exact decimals without float artefacts or exponents", () => {
    expect(numberText(0.1 + 0.2)).toBe("0.3");
    expect(numberText(1.1 * 3)).toBe("3.3");
    expect(numberText(1e21)).toBe("1000000000000000000000");
    expect(numberText(1.5e-7)).toBe("0.00000015");
    expect(numberText(-32000.25)).toBe("-32000.25");
    expect(expandExponent("1.25e+2")).toBe("125");
  });
});

describe("hostile files are refused before any work, with a Chinese reason", () => {
  it("not a spreadsheet, judged by content and not by name", async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      randomBytes(200),
    ]);
    expect((await expectRefused(png, "not_spreadsheet", "报送.xlsx")).message).toContain("PNG");
    const docx = new JSZip();
    docx.file("[Content_Types].xml", "<Types/>");
    docx.file("word/document.xml", "<w:document/>");
    const r = await expectRefused(
      await docx.generateAsync({ type: "nodebuffer" }),
      "not_spreadsheet",
      "报送.xlsx",
    );
    expect(r.message).toContain("Word");
    await expectRefused(randomBytes(4096), "not_spreadsheet", "报送.csv");
  });

  it("empty and oversized files", async () => {
    await expectRefused(Buffer.alloc(0), "empty");
    await expectRefused(Buffer.from("\r\n,,\r\n"), "empty", "a.csv");
    const big = Buffer.alloc(DEFAULT_FILE_LIMITS.maxBytes + 1, 0x41);
    expect((await expectRefused(big, "too_large", "a.csv")).message).toContain("5 MB");
    await expectRefused(await exceljsWorkbook(), "too_large", "a.xlsx", {
      ...DEFAULT_FILE_LIMITS,
      maxBytes: 1000,
    });
  });

  it("a zip bomb is refused from the central directory, and a lying directory by the capped inflate", async () => {
    const bomb = new JSZip();
    bomb.file("[Content_Types].xml", "<Types/>");
    bomb.file("xl/workbook.xml", "<workbook/>");
    bomb.file("xl/worksheets/sheet1.xml", Buffer.alloc(20 * 1024 * 1024, 0x20));
    const bytes = await bomb.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    expect(bytes.length).toBeLessThan(DEFAULT_FILE_LIMITS.maxBytes);
    expect((await expectRefused(bytes, "zip_bomb")).message).toContain("压缩");

    // the same archive with the sheet's declared size patched down to 100 bytes in both headers
    const liar = Buffer.from(bytes);
    for (let i = 0; i + 4 <= liar.length; i++) {
      const sig = liar.readUInt32LE(i);
      if (sig === 0x02014b50 && liar.readUInt32LE(i + 24) === 20 * 1024 * 1024)
        liar.writeUInt32LE(100, i + 24);
      if (sig === 0x04034b50 && liar.readUInt32LE(i + 22) === 20 * 1024 * 1024)
        liar.writeUInt32LE(100, i + 22);
    }
    expect((await expectRefused(liar, "zip_bomb")).message).toContain("声明");
  });

  it("encrypted: an OOXML EncryptedPackage container and an .xls with FILEPASS", async () => {
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, "/EncryptionInfo", randomBytes(64));
    XLSX.CFB.utils.cfb_add(cfb, "/EncryptedPackage", randomBytes(4096));
    const enc = Buffer.from(XLSX.CFB.write(cfb, { type: "buffer" }) as Uint8Array);
    expect((await expectRefused(enc, "encrypted", "报送.xlsx")).message).toContain("密码");

    const xls = XLSX.CFB.read(sheetjsWorkbook("biff8"), { type: "buffer" });
    const entry = xls.FileIndex.find((e: { name: string }) => e.name === "Workbook");
    const stream = Buffer.from(entry.content as Uint8Array);
    const bofLen = stream.readUInt16LE(2);
    const filePass = Buffer.from([0x2f, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00]);
    entry.content = Buffer.concat([stream.subarray(0, 4 + bofLen), filePass, stream.subarray(4 + bofLen)]);
    const patched = Buffer.from(XLSX.CFB.write(xls, { type: "buffer" }) as Uint8Array);
    expect(scanBiffGlobals(entry.content as Buffer).filePass).toBe(true);
    await expectRefused(patched, "encrypted", "报送.xls");
  });

  it("thousands of sheets are refused from the directory", async () => {
    const zip = new JSZip();
    zip.file("[Content_Types].xml", "<Types/>");
    zip.file("xl/workbook.xml", "<workbook/>");
    for (let i = 1; i <= 400; i++) zip.file(`xl/worksheets/sheet${i}.xml`, "<worksheet/>");
    const r = await expectRefused(await zip.generateAsync({ type: "nodebuffer" }), "too_many_sheets");
    expect(r.message).toContain("400 个工作表");
  });

  it("a cell of megabytes", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("报送").getCell("B3").value = randomBytes(1_200_000).toString("base64");
    const r = await expectRefused(Buffer.from(await wb.xlsx.writeBuffer()), "cell_too_long");
    expect(r.message).toContain("第 3 行 B 列");
  });

  it("a damaged workbook", async () => {
    const good = await exceljsWorkbook();
    await expectRefused(good.subarray(0, good.length - 200), "corrupt");
  });
});
