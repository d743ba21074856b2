import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/decimal.js";
import { parseChineseNumber } from "../src/parsing/chinese-number.js";
import {
  findCount,
  findMoney,
  findPercent,
  parseCount,
  parseMoney,
  parsePercent,
  type QuantityResult,
} from "../src/parsing/quantities.js";

const show = (r: QuantityResult) => (r.ok ? r.value.toString() : `!${r.reason}`);

describe("parseChineseNumber", () => {
  it.each([
    ["15", "15"],
    ["１５", "15"],
    ["十五", "15"],
    ["十", "10"],
    ["二十", "20"],
    ["一十五", "15"],
    ["两", "2"],
    ["零", "0"],
    ["一百零五", "105"],
    ["一百五十", "150"],
    ["两千五", "2500"],
    ["一万二", "12000"],
    ["一千二百万", "12000000"],
    ["一亿二千万", "120000000"],
    ["三亿五千万", "350000000"],
    ["一万亿", "1000000000000"],
    ["零点五", "0.5"],
    ["三点一四", "3.14"],
    ["三点二亿", "320000000"],
    ["二〇二三", "2023"],
    ["3.2", "3.2"],
    ["3.2亿", "320000000"],
    ["32000万", "320000000"],
    ["1.2千万", "12000000"],
    ["1,234.5", "1234.5"],
    ["12,345,678", "12345678"],
    ["负3.1", "-3.1"],
    ["-3.1", "-3.1"],
    ["壹拾伍", "15"],
  ])("%s → %s", (input, expected) => {
    expect(parseChineseNumber(input)?.toString()).toBe(expected);
  });

  it.each([
    "",
    "百",
    "万",
    "万万",
    "5600万万",
    "三点",
    "三五",
    "1,23",
    "abc",
    "3.2.1",
    "一是",
    "x".repeat(50),
  ])("%j is no number", (input) => {
    expect(parseChineseNumber(input)).toBeUndefined();
  });

  it("reads every Arabic decimal exactly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.nat({ max: 999_999 }), (i, f) => {
        const text = `${i}.${String(f).padStart(6, "0")}`;
        expect(parseChineseNumber(text)?.toString()).toBe(Decimal.parse(text).toString());
      }),
    );
  });
});

describe("money to 万元", () => {
  it.each([
    ["3.2亿", "32000"],
    ["3.2亿元", "32000"],
    ["32000万元", "32000"],
    ["3.2 亿元", "32000"],
    ["零点五亿", "5000"],
    ["一千二百万", "1200"],
    ["1200万", "1200"],
    ["5000元", "0.5"],
    ["3.2个亿", "32000"],
    ["1.2千万元", "1200"],
    ["1,234.5万元", "1234.5"],
    ["约1.5亿余元", "15000"],
    ["0万元", "0"],
  ])("%s → %s", (input, expected) => {
    expect(show(parseMoney(input))).toBe(expected);
  });

  it("asks for a unit instead of guessing", () => {
    expect(show(parseMoney("32000"))).toBe("!money_without_unit");
    expect(show(parseMoney("3.2"))).toBe("!money_without_unit");
  });

  it("applies a declared unit to a bare number", () => {
    expect(show(parseMoney("32000", "万元"))).toBe("32000");
    expect(show(parseMoney("3.2", "亿元"))).toBe("32000");
    expect(show(parseMoney("5000", "元"))).toBe("0.5");
    expect(show(parseMoney("2.1亿元", "万元"))).toBe("21000");
  });

  it.each(["-3.2亿", "200万美元", "3,2亿", "若干", "3.2亿元多少"])("refuses %s", (input) => {
    expect(show(parseMoney(input))).toBe("!bad_number");
  });

  it("skips dates and phone numbers in a longer fragment", () => {
    expect(findMoney("截至3月31日，累计3.2亿元")?.text).toBe("3.2亿元");
    expect(findMoney("电话13812345678，进出口3.2亿")?.text).toBe("3.2亿");
  });
});

describe("percentages", () => {
  it.each([
    ["12.5%", "12.5"],
    ["百分之十二点五", "12.5"],
    ["下降3.1%", "-3.1"],
    ["-3.1%", "-3.1"],
    ["增长-3.1%", "-3.1"],
    ["下降-3.1%", "!bad_number"], // a decrease with a minus as well: asked, never guessed
    ["增长12.5%", "12.5"],
    ["同比增长12.5%", "12.5"],
    ["负增长3.1%", "-3.1"],
    ["持平", "0"],
    ["12.5", "12.5"],
  ])("%s → %s", (input, expected) => {
    expect(show(parsePercent(input))).toBe(expected);
  });

  it("never reads 个百分点 as a rate (a change of a rate)", () => {
    expect(show(parsePercent("减少3.1个百分点"))).toBe("!percentage_points");
    expect(show(parsePercent("增长2个百分点"))).toBe("!percentage_points");
  });

  it("takes the first rate of a fragment", () => {
    const found = findPercent("同比下降3.1%，环比增长2%")!;
    expect(show(found)).toBe("-3.1");
    expect(found.text).toBe("下降3.1%");
  });
});

describe("counts", () => {
  it.each([
    ["3个", "3"],
    ["4次", "4"],
    ["1家", "1"],
    ["2场", "2"],
    ["十五", "15"],
    ["两", "2"],
    ["两个", "2"],
    ["十五场", "15"],
    ["0", "0"],
    ["无", "0"],
    ["暂无", "0"],
  ])("%s → %s", (input, expected) => {
    expect(show(parseCount(input))).toBe(expected);
  });

  it("refuses negatives and fractions with their own reasons", () => {
    expect(show(parseCount("-2个"))).toBe("!negative_count");
    expect(show(parseCount("-2"))).toBe("!negative_count");
    expect(show(parseCount("2.5个"))).toBe("!not_integer");
    expect(show(parseCount("若干"))).toBe("!bad_number");
  });

  it("prefers a number with a classifier and ignores people and dates", () => {
    expect(findCount("3月15日赴广州，共4次")?.text).toBe("4次");
    expect(findCount("培训120人次")).toBeUndefined();
    expect(findCount("一是组织企业3家")?.text).toBe("3家");
  });
});
