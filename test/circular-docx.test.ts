import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { type RenderedCircular, renderCircular } from "../src/circulars/render-circular.js";
import { docxPart, paragraphs, sections, tableRows } from "./support/circular-docx-xml.js";
import { fixtureModel, RENDER_META } from "./support/circular-models.js";

describe("circular docx (GB/T 9704-2012), read back from word/document.xml", () => {
  let q2: RenderedCircular;
  let q3Sample: RenderedCircular;
  let xml: string;
  beforeAll(async () => {
    q2 = await renderCircular(fixtureModel(2, false), RENDER_META, undefined, { figures: "auto" });
    q3Sample = await renderCircular(fixtureModel(3, true), RENDER_META);
    xml = await docxPart(q2.docx, "word/document.xml");
  }, 180_000);

  it("A4 portrait with margins 37/26/35/28 mm; the attachment on an A4 landscape section", () => {
    const [body, attachment] = sections(xml);
    expect(body).toMatchObject({
      width: 11906,
      height: 16838,
      top: 2098,
      right: 1474,
      bottom: 1984,
      left: 1588,
    });
    expect(attachment).toMatchObject({
      width: 16838,
      height: 11906,
      orient: "landscape",
      top: 2098,
      left: 1588,
    });
    // The third (portrait) section holds the 版记 on the last page.
    expect(sections(xml)).toHaveLength(3);
    expect(sections(xml)[2]).toMatchObject({ width: 11906, height: 16838 });
  });

  it("head, title, headings and body: fonts, sizes and numbering paragraph by paragraph", () => {
    const ps = paragraphs(xml).filter((p) => !p.inTable && p.text !== "");
    const pick = (p: (typeof ps)[number]) => [p.text, p.eastAsia, p.size];
    expect(pick(ps[0]!)).toEqual(["贵州省商务厅经开区培育工作专班", "方正小标宋简体", 52]);
    expect(ps[0]!.color).toBe("C00000");
    expect([...pick(ps[1]!), ps[1]!.align]).toEqual(["黔商函〔2023〕3号", "仿宋_GB2312", 32, "center"]);
    expect([...pick(ps[2]!), ps[2]!.align]).toEqual([
      "关于2023年第二季度经开区培育工作进展情况的通报", // two lines: …经开区 / 培育工作…
      "方正小标宋简体",
      44,
      "center",
    ]);
    expect([...pick(ps[3]!), ps[3]!.align]).toEqual(["各市（州）商务局：", "仿宋_GB2312", 32, "left"]);
    expect(ps[4]!).toMatchObject({ eastAsia: "仿宋_GB2312", size: 32, firstLine: 640 });
    const headings = ps.filter((p) =>
      /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)/.test(p.text),
    );
    expect(headings.map((p) => [p.text, p.eastAsia, p.size])).toEqual([
      ["一、报送情况", "黑体", 32],
      ["二、国家级经开区培育对象进展情况", "黑体", 32],
      ["三、外贸升级经开区进展情况", "黑体", 32],
      ["（一）进出口完成情况", "楷体_GB2312", 32],
      ["（二）包装招商项目", "楷体_GB2312", 32],
      ["（三）赴外招商", "楷体_GB2312", 32],
      ["（四）引进外贸市场主体", "楷体_GB2312", 32],
      ["（五）人才培训", "楷体_GB2312", 32],
      ["（六）等次情况", "楷体_GB2312", 32],
      ["四、省级经开区培育对象进展情况", "黑体", 32],
      ["五、下步工作要求", "黑体", 32],
      ["（一）加快推进进度", "楷体_GB2312", 32],
      ["（二）按时报送数据", "楷体_GB2312", 32],
    ]);
    const texts = ps.map((p) => p.text);
    expect(texts).toContain(
      "截至2023-07-20 10:00，全省应报送8个经开区，已报送6个，其中逾期报送1个；未报送2个（大龙经开区、都匀经开区）。本季度时间进度为50.0%。",
    );
    expect(texts).toContain(
      "6个经开区中，已报送5个，累计完成进出口45亿元，为全年目标130亿元的34.6%，进度滞后。据4个经开区报送的同比增速推算，同比增长7.4%。",
    );
    expect(texts).toContain("附件：2023年第二季度外贸升级经开区进展情况表");
    // The grade rule is stated, and the grades are 暂定 while a zone has not reported.
    const rule = texts.indexOf(
      "等次按各经开区累计进出口占已报送经开区合计的比重划分：一档不低于30%、二档不低于20%、三档不低于5%、四档低于5%。",
    );
    expect(texts.slice(rule + 1, rule + 6)).toEqual([
      "一档（1个）：白云经开区。",
      "二档（2个）：清镇经开区、惠水经开区。",
      "三档（1个）：松桃经开区。",
      "四档（1个）：龙里经开区。",
      "尚有1个经开区未报送，以上等次为暂定，待全部报送后确定。",
    ]);
    const issuer = ps.findIndex((p) => p.text === "贵州省商务厅经开区培育工作专班" && p.align === "right");
    expect(ps[issuer + 1]).toMatchObject({ text: "2023年7月20日", align: "right" });
    expect(ps[issuer + 2]).toMatchObject({ text: "附件", eastAsia: "黑体", align: "left" });
    expect(ps[issuer + 3]).toMatchObject({
      text: "2023年第二季度外贸升级经开区进展情况表",
      eastAsia: "方正小标宋简体",
      size: 44,
    });
  });

  it("the attachment table, cell by cell", async () => {
    const rows = tableRows(xml);
    // Two header rows: each quota's label over its 数量 and 完成率; the other headers merged down.
    expect(rows[0]).toEqual([
      "序号",
      "市州",
      "经开区",
      "累计进出口（万元）",
      "同比（%）",
      "年度目标（万元）",
      "完成率（%）",
      "排名",
      "等次（暂定）", // graded among the reported zones while 大龙 has not reported
      "包装招商项目",
      "赴外招商",
      "引进外贸市场主体",
      "人才培训",
    ]);
    expect(rows[1]).toEqual([
      ...Array(9).fill(""),
      ...["个", "次", "家", "场"].flatMap((u) => [`数量（${u}）`, "完成率（%）"]),
    ]);
    expect(xml.match(/<w:gridSpan w:val="2"\/>/g)).toHaveLength(4);
    expect(xml.match(/<w:vMerge w:val="restart"\/>/g)).toHaveLength(9);
    expect(rows[2]).toEqual([
      "1",
      "贵阳",
      "白云经开区",
      "200000",
      "10.0",
      "400000",
      "50.0",
      "1",
      "一档",
      "5",
      "50.0",
      "8",
      "53.3",
      "3",
      "60.0",
      "2",
      "40.0",
    ]);
    expect(rows[5]).toEqual([
      "4",
      "铜仁",
      "松桃经开区",
      "30000",
      "0.0",
      "0",
      "—",
      "4",
      "三档",
      "3",
      "30.0",
      "9",
      "60.0",
      "2",
      "40.0",
      "5",
      "100.0",
    ]);
    // 未报送 is not a grade: the 等次 cell stays empty.
    expect(rows[7]!.slice(0, 9)).toEqual(["6", "铜仁", "大龙经开区", "—", "—", "500000", "—", "—", ""]);
    // The 合计 row: the assessment's group total, growth, group target and completion; quota totals.
    expect(rows[8]).toEqual([
      "合计",
      "",
      "",
      "450000",
      "7.4",
      "1300000",
      "34.6",
      "",
      "",
      "22",
      "",
      "25",
      "",
      "6",
      "",
      "13",
      "",
    ]);
    expect(rows).toHaveLength(9);
    // Every row keeps together on one page; the header repeats and shows units on a line of their own.
    expect(xml.match(/<w:cantSplit\/>/g)?.length).toBe(rows.length);
    expect(xml).toMatch(/累计进出口<\/w:t><\/w:r><w:r>(<w:rPr>[\s\S]*?<\/w:rPr>)?<w:br\/><w:t[^>]*>（万元）/);
    // The 版记 stands in the last section's footers (odd and even pages), above the page number, so it
    // is at the foot of the last page in LibreOffice too (test/circular-pdf.test.ts reads it there).
    const zip = await JSZip.loadAsync(q2.docx);
    const footers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^word\/footer\d+\.xml$/.test(f))
        .map((f) => zip.file(f)!.async("string")),
    );
    const withColophon = footers.filter((f) => f.includes("抄送："));
    expect(withColophon).toHaveLength(2);
    for (const f of withColophon) {
      const texts = paragraphs(f).map((p) => p.text);
      expect(texts.slice(0, 2)).toEqual([
        "抄送：省商务厅办公室，厅相关处室。",
        "贵州省商务厅经开区培育工作专班2023年7月20日印发",
      ]);
      expect(f.match(/<w:cantSplit\/>/g)).toHaveLength(2);
    }
    expect(paragraphs(xml).map((p) => p.text)).not.toContain("抄送：省商务厅办公室，厅相关处室。");
    const cells = paragraphs(xml).filter((p) => p.inTable);
    expect(cells[0]).toMatchObject({ eastAsia: "黑体", size: 18 }); // 小五: 17 columns fit a landscape page
    // Zone cells carry the table style (仿宋 五号, centred), defined once in styles.xml.
    const zoneCell = xml.indexOf(">白云经开区</w:t>", xml.indexOf("<w:tbl>"));
    expect(xml.slice(zoneCell - 150, zoneCell)).toContain('<w:pStyle w:val="ZoneTableCell"/>');
    const styles = await docxPart(q2.docx, "word/styles.xml");
    expect(/<w:style [^>]*w:styleId="ZoneTableCell"[\s\S]*?<\/w:style>/.exec(styles)?.[0]).toMatch(
      /<w:jc w:val="center"\/>[\s\S]*w:eastAsia="仿宋_GB2312"[\s\S]*<w:sz w:val="18"\/>/,
    );
    expect(xml).toContain("<w:tblHeader/>");
  });

  it("page numbers — 1 —: 四号 宋体, odd pages right, even pages left", async () => {
    const [body] = sections(xml);
    const rels = await docxPart(q2.docx, "word/_rels/document.xml.rels");
    const target = (rId: string) => new RegExp(`Id="${rId}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
    const footers = Object.fromEntries(
      await Promise.all(
        body!.footers.map(async (f) => [f.type, await docxPart(q2.docx, `word/${target(f.rId)}`)]),
      ),
    );
    for (const [type, align] of [
      ["default", "right"],
      ["even", "left"],
    ] as const) {
      const f = footers[type] as string;
      expect(f.replace(/<w:fldChar w:fldCharType="(\w+)"\/>/g, "[$1]")).toMatch(
        /<w:t xml:space="preserve">— <\/w:t>.*\[begin\].*<w:instrText xml:space="preserve">PAGE<\/w:instrText>.*\[separate\].*\[end\].*<w:t xml:space="preserve"> —<\/w:t>/,
      );
      const [p] = paragraphs(f);
      expect(p).toMatchObject({ eastAsia: "宋体", size: 28, align });
    }
    expect(await docxPart(q2.docx, "word/settings.xml")).toContain("<w:evenAndOddHeaders/>");
  });

  it("figures: the circular's charts as PNG images with numbered captions, under the group's 完成情况", async () => {
    const zip = await JSZip.loadAsync(q2.docx);
    const media = Object.keys(zip.files).filter((n) => n.startsWith("word/media/"));
    expect(media).toHaveLength(2);
    for (const n of media) {
      const png = await zip.file(n)!.async("nodebuffer");
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    }
    expect(xml.match(/<w:drawing>/g)).toHaveLength(2);
    const texts = paragraphs(xml).map((p) => p.text);
    const first = texts.indexOf("图1　2023年第二季度外贸升级经开区进出口完成率（虚线为时间进度）");
    expect(first).toBeGreaterThan(texts.indexOf("（一）进出口完成情况"));
    expect(first).toBeLessThan(texts.indexOf("（二）包装招商项目"));
    expect(texts[first + 2]).toBe("图2　外贸升级经开区进出口合计（目标 130 亿元）");
    // Without figures (the default) the document has no images.
    expect(await docxPart(q3Sample.docx, "word/document.xml")).not.toContain("<w:drawing>");
  });

  it("the sample document says so under the title and the attachment title", async () => {
    const s = paragraphs(await docxPart(q3Sample.docx, "word/document.xml")).map((p) => p.text);
    expect(s.filter((t) => t === "（样例数据，非正式名单，仅供演示）")).toHaveLength(2);
    expect(s).toContain("完成率低于60.0%、存在调出名单风险的有：白云经开区、清镇经开区、龙里经开区。");
  });
});
