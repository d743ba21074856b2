import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RosterIssue } from "../src/roster/raw-sheet.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";
import { dumpProgrammeTables } from "./support/table-dump.js";
import { buildXlsx } from "./support/xlsx-builder.js";

const ZONE_HEAD = ["编号", "名称", "简称", "别名", "市州", "启用"];
const MEMBER_HEAD = ["经开区编号", "经开区", "名单"];
const TARGET_HEAD = ["经开区编号", "经开区", "名单", "指标", "目标值", "单位"];
const CONTACT_HEAD = [
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

/** The issue at sheet/row/column whose message contains `text`. */
function issueAt(issues: RosterIssue[], sheet: string, row: number, column: string, text: string) {
  return issues.find(
    (i) => i.sheet === sheet && i.row === row && i.column === column && i.message.includes(text),
  );
}

describe.each(TEST_PROVIDERS)("roster import with bad rows on %s", (provider) => {
  let store: CliTestStore;
  let dir: string;
  let before: Record<string, unknown[]>;
  beforeAll(async () => {
    store = await createCliTestStore(provider);
    dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-roster-bad-"));
    expect((await runCliCapture(["seed", "--sample"], store.env)).code).toBe(0);
    before = await store.withDb(dumpProgrammeTables);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function importFails(files: string[], ...extra: string[]) {
    const r = await runCliCapture(["roster", "import", ...files, "--json", ...extra], store.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("导入失败，未写入任何数据");
    const json = JSON.parse(r.stdout) as {
      ok: boolean;
      issues: RosterIssue[];
      encodings: { encoding: string }[];
    };
    expect(json.ok).toBe(false);
    for (const i of json.issues) expect(r.stderr).toContain(i.message);
    expect(await store.withDb(dumpProgrammeTables)).toEqual(before);
    return json;
  }

  it("reports every bad row of an xlsx with sheet, row, column and reason, and writes nothing", async () => {
    const file = path.join(dir, "bad.xlsx");
    writeFileSync(
      file,
      await buildXlsx({
        经开区: [
          ZONE_HEAD,
          ["Z5227-HUISHUI", "贵州惠水经济开发区", "惠水", "惠水经开区", "黔南", "是"],
          ["Z5299-NEW", "贵州新区经济开发区", "新区", "", "黔北", "是"],
        ],
        培育名单: [MEMBER_HEAD, ["Z5227-HUISHUI", "惠水", "外贸升级"], ["", "", "外贸升级"]],
        目标: [
          TARGET_HEAD,
          ["Z5227-HUISHUI", "惠水", "", "包装招商项目", -5, "个"],
          ["", "惠水", "", "赴外招商", "十五次", ""],
          ["", "", "", "进出口额", 5, "亿元"],
          ["Z5227-HUISHUI", "", "", "进出口额", "5", "亿元"],
        ],
        联系人: [
          CONTACT_HEAD,
          ["C5227-01", "王一", "联络员", "黔南", "qn_wang", "", "", "", "是"],
          ["C5227-01", "王二", "联络员", "黔南", "qn_wang2", "", "", "", "是"],
          ["C5227-02", "王三", "分管领导", "黔南", "", "", "", "13800000000", "是"],
        ],
        备注: [["随便写点什么"], ["x"]],
      }),
    );
    const { issues } = await importFails([file]);
    expect(issueAt(issues, "经开区", 3, "E", '未知的市州 "黔北"')).toMatchObject({ header: "市州" });
    expect(issueAt(issues, "培育名单", 3, "B", "经开区为空")).toBeDefined();
    expect(issueAt(issues, "目标", 2, "E", '目标值不能为负数 (读到 "-5")')).toMatchObject({
      header: "目标值",
    });
    expect(issueAt(issues, "目标", 3, "E", '目标值应为数字 (读到 "十五次")')).toBeDefined();
    expect(issueAt(issues, "目标", 4, "B", "经开区为空")).toBeDefined();
    expect(issueAt(issues, "联系人", 3, "A", '联系人编号 "C5227-01" 与第 2 行重复')).toBeDefined();
    expect(issueAt(issues, "联系人", 4, "E", "没有任何渠道账号")).toMatchObject({
      header: "企业微信账号(UserID)",
    });
    expect(issues.find((i) => i.sheet === "备注")?.message).toContain("未知的工作表「备注」");
    expect(issues).toHaveLength(8);
    expect(issues.every((i) => i.source === "bad.xlsx")).toBe(true);
  });

  it("reads a GBK csv (Excel on Chinese Windows) and reports its bad rows in readable Chinese", async () => {
    const file = path.join(dir, "联系人-gbk.csv");
    const text = [
      CONTACT_HEAD.join(","),
      "C5227-01,样例联络员-黔南,联络员,黔南,qn_contact,,,,是",
      "C5299-01,李四,联络员,黔北,qb_li,,,,是",
      "C5227-09,赵六,分管领导,黔南,,,,,是",
      "TF-09,钱七,省专班,黔南,tf_qian,,,,是",
    ].join("\r\n");
    writeFileSync(file, iconv.encode(text, "gbk"));
    const json = await importFails([file]);
    expect(json.encodings).toEqual([{ file: "联系人-gbk.csv", encoding: "GB18030/GBK" }]);
    expect(issueAt(json.issues, "联系人", 3, "D", '未知的市州 "黔北"')).toBeDefined();
    expect(issueAt(json.issues, "联系人", 4, "E", "没有任何渠道账号")).toBeDefined();
    expect(issueAt(json.issues, "联系人", 5, "D", "省专班成员不属于市州")).toBeDefined();
    expect(json.issues).toHaveLength(3);
  });

  it("reads a csv with a BOM (its first header is recognised) and reports its bad rows", async () => {
    const file = path.join(dir, "2023-目标.csv");
    const text = [
      TARGET_HEAD.join(","),
      'Z5227-HUISHUI,惠水,,进出口额,"1,300",万元',
      "Z5227-HUISHUI,惠水,,包装招商项目,2.5,个",
      "Z9999-NONE,,,进出口额,100,万元",
      ",,外贸升级,进出口额,-1,亿元",
    ].join("\n");
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    const json = await importFails([file], "--year", "2023");
    expect(json.encodings).toEqual([{ file: "2023-目标.csv", encoding: "UTF-8 (BOM)" }]);
    expect(json.issues.some((i) => i.message.includes("未知的列"))).toBe(false);
    expect(issueAt(json.issues, "目标", 3, "E", '数量目标应为整数 (读到 "2.5")')).toBeDefined();
    expect(issueAt(json.issues, "目标", 4, "A", '未知的经开区编号 "Z9999-NONE"')).toBeDefined();
    expect(issueAt(json.issues, "目标", 5, "E", "目标值不能为负数")).toBeDefined();
    expect(json.issues).toHaveLength(3);
  });

  it("refuses a csv whose name names no sheet, and unknown or missing columns", async () => {
    const noName = path.join(dir, "data.csv");
    writeFileSync(noName, "编号,姓名\r\nX,Y\r\n");
    const a = await importFails([noName]);
    expect(a.issues[0]?.message).toContain("csv 文件名须包含且只包含一个工作表名");
    const cols = path.join(dir, "群聊.csv");
    writeFileSync(cols, "编号,名称,颜色\r\nG1,群,红\r\n");
    const b = await importFails([cols]);
    expect(issueAt(b.issues, "群聊", 1, "C", "未知的列「颜色」")).toBeDefined();
    expect(b.issues.some((i) => i.message.includes("缺少必需的列「渠道」"))).toBe(true);
  });

  it("rolls back a change the store refuses (a new prefecture taking a stored one's name) and says so", async () => {
    const file = path.join(dir, "clash.xlsx");
    writeFileSync(
      file,
      await buildXlsx({
        市州: [
          ["代码", "名称", "简称", "排序"],
          ["5299", "黔南布依族苗族自治州", "黔南新", 10],
        ],
      }),
    );
    const { issues } = await importFails([file]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/与数据库中已有记录冲突.*已全部回滚/);
    expect(issues[0]?.message).toContain("name");
  });
});
