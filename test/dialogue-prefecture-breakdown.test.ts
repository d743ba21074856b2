import { describe, expect, it } from "vitest";
import { fixedClock } from "../src/time/clock.js";
import { consoleChat } from "./support/console-chat.js";
import { dialogueStore } from "./support/dialogue-store.js";
import { ROSTER } from "./support/roster-fixture.js";
import { TEST_PROVIDERS } from "./support/stores.js";

// A prefecture total with its zones after 其中 (DEFECTS-round2.md C5), through the real pipeline
describe.each(TEST_PROVIDERS)("a prefecture's total broken down by zone on %s", (provider) => {
  const clock = fixedClock("2023-04-10T02:00:00Z");
  const store = dialogueStore(provider);

  it("echoes the zones' figures, names the total back, and stores them after 确认", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan);
    const first = await chat.say("全州经开区一季度合计完成进出口5.6亿元，其中惠水3.2亿元，龙里2.1亿元。");
    expect(first.result.outcome).toBe("awaiting_missing");
    expect(first.reply).toContain("【惠水经济开发区】\n· 进出口额：32000万元（3.2亿元）");
    expect(first.reply).toContain("【龙里经济开发区】\n· 进出口额：21000万元（2.1亿元）");
    expect(first.reply).toContain("未保存：“全州经开区一季度合计完成进出口5.6亿元”是全州（市）的合计");
    const rest = await chat.say(
      "惠水 包装招商项目3个，赴外招商3次，引进外贸主体1家，人才培训2场\n龙里 包装招商项目2个，赴外招商4次，引进外贸主体1家，人才培训1场",
    );
    expect(rest.result.outcome).toBe("awaiting_confirmation");
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    const revs = await store.db.reportRevision.findMany({
      where: { year: 2023, quarter: 1 },
      orderBy: { zoneId: "asc" },
    });
    expect(revs.map((r) => [r.zoneId, JSON.parse(r.values).trade_total])).toEqual(
      [
        [ROSTER.zones.huishui, "32000"],
        [ROSTER.zones.longli, "21000"],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
  });
});
