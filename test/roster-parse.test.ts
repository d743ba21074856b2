import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { SAMPLE_PROGRAMME } from "../src/programme/sample-programme.js";
import { csvSheetName, readRosterFiles } from "../src/roster/import-roster.js";
import { parseRoster, type RosterState } from "../src/roster/parse-roster.js";
import { decodeCsv, formatCsv, parseCsvRecords } from "../src/roster/read-csv.js";
import { isPercentFormat } from "../src/roster/read-xlsx.js";
import { writeXlsx } from "../src/roster/write-xlsx.js";
import { fixZipTimestamps } from "../src/roster/zip-timestamps.js";
import { buildXlsx } from "./support/xlsx-builder.js";

/** The store as it is after `seed --sample`, in memory. */
const seededState: RosterState = {
  years: [2023],
  prefectures: SAMPLE_PROGRAMME.prefectures!,
  zones: SAMPLE_PROGRAMME.zones!,
  contacts: SAMPLE_PROGRAMME.contacts!,
  chatGroups: SAMPLE_PROGRAMME.chatGroups!,
  indicators: async () => SAMPLE_PROGRAMME.indicators!,
};

async function parseXlsx(sheets: Parameters<typeof buildXlsx>[0], year?: number) {
  const read = await readRosterFiles([{ path: "t.xlsx", bytes: await buildXlsx(sheets) }]);
  expect(read.issues).toEqual([]);
  return parseRoster(read.sheets, seededState, year);
}

/** The 年度 sheet's headers (without 设置). */
const YEAR_HEAD = [
  "年度",
  "标题",
  "样例",
  "一季度截止",
  "二季度截止",
  "三季度截止",
  "四季度截止",
  "一季度进度%",
  "二季度进度%",
  "三季度进度%",
  "四季度进度%",
];
/** A valid 年度 row of 2024 up to the four progress cells. */
const YEAR_2024 = [2024, "2024年方案", "否", "2024-04-22", "2024-07-15", "2024-10-15", "2025-01-15"];

describe("roster values", () => {
  it("converts money targets to 万元 exactly (亿元 × 10000), with full-width digits and thousands separators", async () => {
    const r = await parseXlsx({
      目标: [
        ["经开区编号", "经开区", "名单", "指标", "目标值", "单位"],
        ["", "惠水", "", "进出口额", "１.３", "亿元"],
        ["", "龙里经开区", "", "外贸进出口", "1,234,567.89", "万元"],
        ["", "", "外贸升级", "trade_total", 130, "亿"],
        ["Z5226-SANSUI", "", "", "进口额", 0.00005, "亿元"],
        ["", "三穗", "", "培训", "５", ""],
      ],
    });
    expect(r.issues).toEqual([]);
    expect(r.data?.targets).toEqual([
      { scope: "zone", zoneId: "Z5227-HUISHUI", groupCode: "", indicatorKey: "trade_total", value: "13000" },
      {
        scope: "zone",
        zoneId: "Z5227-LONGLI",
        groupCode: "",
        indicatorKey: "trade_total",
        value: "1234567.89",
      },
      {
        scope: "group",
        zoneId: "",
        groupCode: "foreign_trade",
        indicatorKey: "trade_total",
        value: "1300000",
      },
      { scope: "zone", zoneId: "Z5226-SANSUI", groupCode: "", indicatorKey: "import_value", value: "0.5" },
      { scope: "zone", zoneId: "Z5226-SANSUI", groupCode: "", indicatorKey: "trainings", value: "5" },
    ]);
  });

  it("reads Excel date cells and typed dates in the 年度 sheet, and checks their order", async () => {
    const head = YEAR_HEAD;
    const ok = await parseXlsx({
      年度: [
        head,
        [
          2024,
          "2024年方案",
          "否",
          new Date(Date.UTC(2024, 3, 22)),
          "2024/7/15",
          "2024年10月15日",
          "2025-01-15",
          25,
          "50",
          "75%",
          100,
        ],
      ],
    });
    expect(ok.issues).toEqual([]);
    expect(ok.data?.programme?.quarters.map((q) => [q.deadline, q.expectedProgressPct])).toEqual([
      ["2024-04-22", "25"],
      ["2024-07-15", "50"],
      ["2024-10-15", "75"],
      ["2025-01-15", "100"],
    ]);
    const bad = await parseXlsx({
      年度: [
        head,
        [2024, "x", "也许", "2024-04-31", "2024-07-15", "2024-03-01", "2026-01-15", 25, 50, 75, 120],
      ],
    });
    const messages = bad.issues.map((i) => `${i.column}:${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'C:应为 是 或 否 (读到 "也许")',
        'D:应为日期 YYYY-MM-DD (读到 "2024-04-31")，例如 2023-04-22',
        'K:应为 0–100 的数字 (读到 "120")，例如 25',
      ]),
    );
  });

  it("reads percentages as Excel shows them: 25% typed in a cell is stored as 0.25, read as 25", async () => {
    const r = await parseXlsx({
      年度: [
        YEAR_HEAD,
        [
          ...YEAR_2024,
          { value: 0.25, numFmt: "0%" },
          { value: 0.5, numFmt: "0.0%" },
          { value: 75, numFmt: '0"%"' }, // a quoted % is a literal sign: the cell holds 75
          { value: 1, numFmt: "0%" },
        ],
      ],
    });
    expect(r.issues).toEqual([]);
    expect(r.data?.programme?.quarters.map((q) => q.expectedProgressPct)).toEqual(["25", "50", "75", "100"]);
    expect(isPercentFormat("0.00%")).toBe(true);
    expect(isPercentFormat('0.0"%"')).toBe(false);
    expect(isPercentFormat("0\\%")).toBe(false);
    expect(isPercentFormat(undefined)).toBe(false);
  });

  it("refuses assessment thresholds that are not numbers when the 年度 sheet is read, quoting them", async () => {
    const r = await parseXlsx({
      年度: [
        [...YEAR_HEAD, "设置(JSON)"],
        [...YEAR_2024, 25, 50, 75, 100, '{"assessment":{"atRiskBelowPct":"六十","gradeBands":[]}}'],
      ],
    });
    expect(r.issues.map((i) => `${i.column}:${i.message}`)).toEqual([
      'L:设置不符合要求: assessment.atRiskBelowPct 应为非负数（写成字符串），例如 "0.5" (读到 "六十"); ' +
        "assessment.gradeBands 至少需要一个档次 (读到 [])",
    ]);
  });

  it("names a zone by id, name, short name or alias, and catches a mismatch or an unknown indicator", async () => {
    const r = await parseXlsx({
      培育名单: [
        ["经开区编号", "经开区", "名单"],
        ["", "顶效", "外贸升级"],
        ["Z5227-HUISHUI", "龙里", "外贸升级"],
        ["", "不存在区", "外贸"],
        ["", "惠水", "市级培育"],
      ],
      目标: [
        ["经开区编号", "经开区", "名单", "指标", "目标值", "单位"],
        ["", "惠水", "", "主要工作", 1, ""],
        ["", "惠水", "", "GDP", 1, ""],
      ],
    });
    const at = (sheet: string, row: number) =>
      r.issues.filter((i) => i.sheet === sheet && i.row === row).map((i) => i.message);
    expect(at("培育名单", 2)).toEqual([]);
    expect(at("培育名单", 3)[0]).toContain('经开区 "龙里" 与编号 Z5227-HUISHUI（惠水）不一致');
    expect(at("培育名单", 4)[0]).toContain('未知的经开区 "不存在区"');
    expect(at("培育名单", 5)[0]).toContain('未知的名单 "市级培育"');
    expect(at("目标", 2)[0]).toContain("文本指标「主要工作」不设目标");
    expect(at("目标", 3)[0]).toContain('未知的指标 "GDP"');
  });

  it("rejects a robot key pasted where the env var name belongs, and a group without an address", async () => {
    const r = await parseXlsx({
      群聊: [
        [
          "编号",
          "名称",
          "渠道",
          "企业微信群ID(chatid)",
          "机器人密钥变量",
          "微信群ID",
          "微信群名称",
          "对象",
          "市州",
          "抄送提醒",
          "启用",
        ],
        [
          "G1",
          "群一",
          "群机器人",
          "",
          "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7a1b-4bc4-97a0-0ec2afa5aaa1",
          "",
          "",
          "市州",
          "黔南",
          "是",
          "是",
        ],
        ["G2", "群二", "微信群", "", "", "", "", "全省", "", "否", "是"],
        ["G3", "群三", "应用群", "wr123", "", "", "", "市州", "", "否", "是"],
      ],
    });
    expect(r.issues.map((i) => `${i.row}${i.column}:${i.message.slice(0, 12)}`)).toEqual([
      "2E:这里填环境变量名，不要填",
      "3F:微信群需要填写 微信群I",
      "4I:对象为市州时必须填写市州",
    ]);
  });

  it("keeps names taken by zones the sheet no longer lists (they stay, deactivated)", async () => {
    const r = await parseXlsx({
      经开区: [
        ["编号", "名称", "简称", "别名", "市州", "启用"],
        ["Z5227-HS2", "贵州惠水经济开发区", "惠水", "", "黔南", "是"],
      ],
    });
    expect(r.issues[0]?.message).toContain("已被本表未列出的经开区 Z5227-HUISHUI 使用");
  });
});

describe("csv and xlsx files", () => {
  it("parses quoted fields with commas, quotes and line breaks; formats back the same", () => {
    const rows = [
      ["编号", "名称"],
      ["G1", 'a,"b"\nc'],
      ["G2", " x "],
    ];
    const bytes = formatCsv(rows);
    const { text, encoding } = decodeCsv(bytes);
    expect(encoding).toBe("UTF-8 (BOM)");
    expect(parseCsvRecords(text)).toEqual(rows);
  });

  it("detects UTF-8 without BOM, GBK and UTF-16", () => {
    expect(decodeCsv(Buffer.from("黔南,惠水", "utf8"))).toEqual({ text: "黔南,惠水", encoding: "UTF-8" });
    expect(decodeCsv(iconv.encode("黔南,惠水", "gbk"))).toEqual({
      text: "黔南,惠水",
      encoding: "GB18030/GBK",
    });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode("黔南", "utf16le")])).text).toBe(
      "黔南",
    );
  });

  it("takes a csv's sheet from its file name", () => {
    expect(csvSheetName("/x/联系人.csv")).toBe("联系人");
    expect(csvSheetName("2023-目标.CSV")).toBe("目标");
    expect(csvSheetName("名单.csv")).toBeUndefined();
    expect(csvSheetName("目标和联系人.csv")).toBeUndefined();
  });

  it("stamps every zip entry with one fixed time, so equal content gives equal bytes", async () => {
    const xlsx = await writeXlsx([{ name: "目标", rows: [["a", 1]] }]);
    const shifted = Buffer.from(xlsx);
    // Move every local-header time field, as a write two seconds later would.
    for (let i = 0; i + 4 <= shifted.length; i++)
      if (shifted.readUInt32LE(i) === 0x04034b50)
        shifted.writeUInt16LE(shifted.readUInt16LE(i + 10) + 1, i + 10);
    expect(shifted.equals(xlsx)).toBe(false);
    expect(fixZipTimestamps(shifted).equals(xlsx)).toBe(true);
    expect(() => fixZipTimestamps(Buffer.from("not a zip"))).toThrow(/not a zip/);
  });
});
