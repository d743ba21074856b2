import { describe, expect, it } from "vitest";
import { fixedClock } from "../src/time/clock.js";
import { consoleChat } from "./support/console-chat.js";
import { dialogueStore } from "./support/dialogue-store.js";
import { clearDialogueState } from "./support/report-app.js";
import { ROSTER } from "./support/roster-fixture.js";
import { TEST_PROVIDERS } from "./support/stores.js";

// C1 (DEFECTS-round2.md): a bare figure or a "none" word answering the bot's own list of missing fields
const Q1_OPEN = "2023-04-10T02:00:00Z";
const ST = ROSTER.zones.songtao;
const ALL_BUT_TRAININGS = "松桃经开区 进出口3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家";
const THREE_MISSING = "松桃经开区 进出口3.2亿元，包装招商项目3个";

describe.each(TEST_PROVIDERS)("short answers to the list of missing fields on %s", (provider) => {
  const clock = fixedClock(Q1_OPEN);
  const store = dialogueStore(provider, { reset: () => clock.set(Q1_OPEN) });
  const tongren = () => consoleChat(store, clock, ROSTER.contacts.tongren);
  const storedValues = async () =>
    (await store.db.reportRevision.findMany({ where: { zoneId: ST } })).map((r) => JSON.parse(r.values));

  it("one field missing: a bare count is that field, shown in the echo and stored only on 确认", async () => {
    const chat = await tongren();
    const asked = await chat.say(ALL_BUT_TRAININGS);
    expect(asked.reply).toContain("【松桃经济开发区】人才培训（场）");
    const two = await chat.say("2");
    expect(two.result.outcome).toBe("awaiting_confirmation");
    expect(two.reply).toContain("已将您回复的“2”记为「人才培训」");
    expect(two.reply).toContain("· 人才培训：2场");
    expect(two.reply).toContain("请核对");
    expect(await store.db.reportRevision.count()).toBe(0);
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    const [values] = await storedValues();
    expect(values).toMatchObject({ trade_total: "32000", trips: "4", entities: "1", trainings: "2" });
    const rev = await store.db.reportRevision.findFirstOrThrow({ where: { zoneId: ST } });
    expect(rev.rawText).toContain("2");
  });

  it("one field missing: 0 is that field; 没有 / 无 ask 是否…为0 in the echo", async () => {
    const chat = await tongren();
    await chat.say(ALL_BUT_TRAININGS);
    const zero = await chat.say("0");
    expect(zero.result.outcome).toBe("awaiting_confirmation");
    expect(zero.reply).toContain("· 人才培训：0场");
    for (const none of ["没有", "无", "没有。"]) {
      await clearDialogueState(store);
      await chat.say(ALL_BUT_TRAININGS);
      const r = await chat.say(none);
      expect(r.result.outcome, none).toBe("awaiting_confirmation");
      expect(r.reply, none).toContain("是否人才培训为0？");
      expect(r.reply, none).toContain("· 人才培训：0场");
      expect(r.reply, none).toContain("如不是0或暂无数据，请直接回复正确数值");
    }
    expect(await store.db.reportRevision.count()).toBe(0);
    expect((await chat.say("是")).result.outcome).toBe("stored");
    expect((await storedValues())[0]).toMatchObject({ trainings: "0" });
  });

  it("three fields missing: a unit that fits one binds; 个 (fits none) and a bare 2 (fits several) ask", async () => {
    const chat = await tongren();
    const asked = await chat.say(THREE_MISSING);
    expect(asked.reply).toContain("赴外招商（次）、引进外贸市场主体（家）、人才培训（场）");
    const trips = await chat.say("3次");
    expect(trips.result.outcome).toBe("awaiting_missing");
    expect(trips.reply).toContain("已将您回复的“3次”记为「赴外招商」");
    expect(trips.reply).toContain("· 赴外招商：3次");
    expect(trips.reply).toContain("【松桃经济开发区】引进外贸市场主体（家）、人才培训（场）");

    const ge = await chat.say("3个");
    expect(ge.result.outcome).toBe("refused");
    expect(ge.reply).toContain("“3个”对不上缺少的必填项");
    expect(ge.reply).toContain("请写明是哪一项");
    expect(ge.reply).toContain("草稿仍保留");
    const bare = await chat.say("2");
    expect(bare.result.outcome).toBe("refused");
    expect(bare.reply).toContain("可能是以下任一项：引进外贸市场主体、人才培训");
    expect((await chat.say("确认")).reply).toContain("还不能保存");

    const zeros = await chat.say("都是0");
    expect(zeros.result.outcome).toBe("awaiting_confirmation");
    expect(zeros.reply).toContain("是否以下各项均为0：引进外贸市场主体、人才培训？");
    expect(zeros.reply).toContain("· 引进外贸市场主体：0家");
    expect(zeros.reply).toContain("· 人才培训：0场");
    expect(await store.db.reportRevision.count()).toBe(0);
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    expect((await storedValues())[0]).toMatchObject({
      projects: "3",
      trips: "3",
      entities: "0",
      trainings: "0",
    });
  });

  it("其他都是0 answered 不是: the zeros are taken back out, the rest of the draft is kept", async () => {
    const chat = await tongren();
    await chat.say(THREE_MISSING);
    const q = await chat.say("其他都是0");
    expect(q.reply).toContain("是否以下各项均为0：赴外招商、引进外贸市场主体、人才培训？");
    const no = await chat.say("不是");
    expect(no.result.outcome).toBe("awaiting_missing");
    expect(no.reply).toContain("未按您回复的“其他都是0”记录赴外招商、引进外贸市场主体、人才培训");
    expect(no.reply).toContain("【松桃经济开发区】赴外招商（次）、引进外贸市场主体（家）、人才培训（场）");
    expect(no.reply).toContain("· 进出口额：32000万元");
    expect(await store.db.reportRevision.count()).toBe(0);
    // a field sent afterwards in full is the contact's own; 不对 then drops the draft as before
    await chat.say("赴外招商2次，引进外贸主体1家");
    expect((await chat.say("0")).reply).toContain("· 人才培训：0场");
    const again = await chat.say("赴外招商2次");
    expect(again.reply).toContain("· 人才培训：0场");
    const back = await chat.say("不对");
    expect(back.reply).toContain("未按您回复的“0”记录人才培训");
    expect(back.reply).toContain("· 赴外招商：2次");
    expect(back.reply).toContain("【松桃经济开发区】人才培训（场）");
  });

  it("money missing: a bare number is never money (asked); with 亿元 it binds", async () => {
    const chat = await tongren();
    await chat.say("松桃经开区 包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训1场");
    const bare = await chat.say("3.2");
    expect(bare.result.outcome).toBe("refused");
    expect(bare.reply).toContain("“3.2”没有单位");
    expect(bare.reply).toContain("进出口额请写明单位");
    const yi = await chat.say("3.2亿元");
    expect(yi.result.outcome).toBe("awaiting_confirmation");
    expect(yi.reply).toContain("· 进出口额：32000万元（3.2亿元）");
  });

  it("with AUTO_CONFIRM a short answer still shows the echo; nothing is stored before 确认", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.tongren, { AUTO_CONFIRM: "true" });
    expect((await chat.say(ALL_BUT_TRAININGS)).result.outcome).toBe("awaiting_missing");
    const r = await chat.say("2");
    expect(r.result.outcome).toBe("awaiting_confirmation");
    expect(await store.db.reportRevision.count()).toBe(0);
    expect((await chat.say("确认")).result.outcome).toBe("stored");
  });

  it("two zones each missing a field: a bare number asks which; 都是0 names both zones", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan);
    await chat.say(
      "惠水经开区 进出口3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家\n龙里经开区 进出口1.5亿元，包装招商项目2个，赴外招商1次，引进外贸主体1家",
    );
    const bare = await chat.say("2场");
    expect(bare.result.outcome).toBe("refused");
    expect(bare.reply).toContain("惠水人才培训、龙里人才培训");
    const zeros = await chat.say("都是0");
    expect(zeros.result.outcome).toBe("awaiting_confirmation");
    expect(zeros.reply).toContain("是否以下各项均为0：惠水人才培训、龙里人才培训？");
    expect(zeros.reply).toContain("【惠水经济开发区】");
    expect(zeros.reply).toContain("【龙里经济开发区】");
  });

  it("without a draft, or beside a field name, a bare figure is read as before", async () => {
    const chat = await tongren();
    const none = await chat.say("2");
    expect(none.result.outcome).toBe("refused");
    expect(none.reply).toContain("没有从您的消息中读到报送数据");
    await chat.say(ALL_BUT_TRAININGS);
    const full = await chat.say("人才培训2场");
    expect(full.result.outcome).toBe("awaiting_confirmation");
    expect(full.reply).not.toContain("已将您回复");
  });
});
