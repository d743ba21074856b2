import { describe, expect, it } from "vitest";
import { fixedClock } from "../src/time/clock.js";
import { consoleChat } from "./support/console-chat.js";
import { dialogueStore } from "./support/dialogue-store.js";
import { ROSTER } from "./support/roster-fixture.js";
import { TEST_PROVIDERS } from "./support/stores.js";

// The short aliases production has (standard-indicators.ts: 项目, 赴外, 主体), through the real pipeline
describe.each(TEST_PROVIDERS)("short field names in the dialogue on %s", (provider) => {
  const clock = fixedClock("2023-04-10T02:00:00Z");
  const store = dialogueStore(provider);

  it("项目2个 赴外3次 主体1家 培训1场 answers the missing fields; 项目改为3 and 修改 项目4个 change the draft", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.tongren);
    expect((await chat.say("松桃经开区 进出口3.2亿元")).result.outcome).toBe("awaiting_missing");
    const all = await chat.say("项目2个 赴外3次 主体1家 培训1场");
    expect(all.result.outcome).toBe("awaiting_confirmation");
    for (const line of ["包装招商项目：2个", "赴外招商：3次", "引进外贸市场主体：1家", "人才培训：1场"]) {
      expect(all.reply).toContain(`· ${line}`);
    }
    expect(all.reply).not.toContain("未识别");
    const changed = await chat.say("项目改为3");
    expect(changed.result.outcome).toBe("awaiting_confirmation");
    expect(changed.reply).toContain("· 包装招商项目：3个");
    expect(changed.reply).toContain("· 赴外招商：3次");
    const modified = await chat.say("修改 项目4个");
    expect(modified.reply).toContain("· 包装招商项目：4个");
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    const rev = await store.db.reportRevision.findFirstOrThrow({ where: { zoneId: ROSTER.zones.songtao } });
    expect(JSON.parse(rev.values)).toEqual({
      trade_total: "32000",
      projects: "4",
      trips: "3",
      entities: "1",
      trainings: "1",
    });
  });
});
