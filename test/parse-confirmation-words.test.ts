import { describe, expect, it } from "vitest";
import { readConfirmation } from "../src/parsing/confirmation-words.js";

describe("confirmation words", () => {
  it.each([
    "确认",
    "确定",
    "好的",
    "好",
    "对",
    "是",
    "是的",
    "没问题",
    "OK",
    "ok！",
    "好的👌",
    " 对。",
    "[OK]确认",
  ])("%s → yes", (t) => expect(readConfirmation(t)).toBe("yes"));
  it.each(["取消", "不对", "否", "不对！", "取消🙏"])("%s → no", (t) =>
    expect(readConfirmation(t)).toBe("no"),
  );
  it.each(["惠水 进出口3.2亿元", "好的，进出口3.2亿", "对了还有培训2场", ""])("%s → not an answer", (t) =>
    expect(readConfirmation(t)).toBeUndefined(),
  );
});
