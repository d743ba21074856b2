import * as OpenCC from "opencc-js/t2cn";
import { describe, expect, it } from "vitest";
import { foldWidth, mayChange, normaliseText } from "../src/parsing/normalise-text.js";
import { stripLineDecoration } from "../src/parsing/strip-line.js";

describe("normaliseText", () => {
  it("converts Traditional to Simplified", () => {
    expect(normaliseText("惠水經開區進出口額３．２億元，人才培訓２場")).toBe(
      "惠水经开区进出口额3.2亿元，人才培训2场",
    );
    expect(normaliseText("龍裡經濟開發區")).toBe("龙里经济开发区");
  });

  it("strips pinyin glosses of machine-converted text", () => {
    expect(normaliseText("商務(wù)廳")).toBe("商务厅");
    expect(normaliseText("經(jīng)開區(qū)")).toBe("经开区");
    expect(normaliseText("統計(jì)")).toBe("统计");
    expect(normaliseText("商務（wù）")).toBe("商务");
  });

  it("keeps brackets that are no glosses", () => {
    expect(normaliseText("市(州)商务局")).toBe("市(州)商务局");
    expect(normaliseText("进出口额(万元)：3")).toBe("进出口额(万元)：3");
    expect(normaliseText("惠水 (Q1)")).toBe("惠水 (Q1)");
  });

  it("folds full-width characters and canonicalises punctuation", () => {
    expect(normaliseText("ＡＢＣ１２３％（）")).toBe("ABC123%()");
    expect(normaliseText("进出口:3亿;培训：2场")).toBe("进出口：3亿；培训：2场");
    expect(normaliseText("1—3月 1–3月 1－3月 1～3月")).toBe("1-3月 1-3月 1-3月 1~3月");
    expect(foldWidth("，、。")).toBe("，、。");
    expect(foldWidth("1,234")).toBe("1,234");
  });

  it("collapses whitespace but keeps lines", () => {
    expect(normaliseText("  惠水\u3000\u3000进出口 \t 3亿  \r\n\r\n\r\n\r\n龙里\u200B ")).toBe(
      "惠水 进出口 3亿\n\n龙里",
    );
  });

  it("is idempotent", () => {
    const once = normaliseText("貴州惠水經(jīng)濟開發區　１—３月：進出口３．２億元；");
    expect(normaliseText(once)).toBe(once);
  });
});

describe("stripLineDecoration", () => {
  it.each([
    ["一、惠水经开区", "惠水经开区"],
    ["（一）主要工作", "主要工作"],
    ["(1)进出口：3亿", "进出口：3亿"],
    ["1.进出口：3亿", "进出口：3亿"],
    ["1、进出口：3亿", "进出口：3亿"],
    ["①培训2场", "培训2场"],
    ["• 培训2场", "培训2场"],
    ["【惠水经开区】", "惠水经开区"],
    ["【惠水】进出口：3亿", "惠水 进出口：3亿"],
    ["3.2亿元", "3.2亿元"],
    ["-3.1%", "-3.1%"],
    ["一季度进出口", "一季度进出口"],
  ])("%s → %s", (line, expected) => {
    expect(stripLineDecoration(line)).toBe(expected);
  });
});

describe("the Traditional fast path", () => {
  it("is exact: a text it lets through unconverted is one OpenCC leaves unchanged", () => {
    const tToCn = OpenCC.Converter({ from: "t", to: "cn" });
    const texts: string[] = [];
    for (let cp = 0x3400; cp < 0xa000; cp++) texts.push(String.fromCodePoint(cp));
    for (let cp = 0x4e00; cp < 0x9f00; cp += 5)
      texts.push(
        `${String.fromCodePoint(cp)}${String.fromCodePoint(cp + 2)}一${String.fromCodePoint(cp + 1)}`,
      );
    let passed = 0;
    for (const t of texts) {
      if (mayChange(t)) continue;
      passed++;
      expect([t, tToCn(t)]).toEqual([t, t]);
    }
    // most characters are not Traditional: the fast path is taken (it would be no fast path otherwise)
    expect(passed).toBeGreaterThan(texts.length / 2);
    expect(mayChange("惠水經開區")).toBe(true);
    expect(mayChange("惠水经开区 进出口3.2亿元")).toBe(false);
  });
});
