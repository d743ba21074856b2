import { describe, expect, it } from "vitest";
import { listLatestConfirmed } from "../src/reports/confirmed-reports.js";
import { fixedClock } from "../src/time/clock.js";
import { consoleChat } from "./support/console-chat.js";
import { dialogueStore } from "./support/dialogue-store.js";
import { clearDialogueState } from "./support/report-app.js";
import { ROSTER } from "./support/roster-fixture.js";
import { TEST_PROVIDERS } from "./support/stores.js";

const Q1_OPEN = "2023-04-10T02:00:00Z"; // 10:00 in Shanghai, Q1 open, deadline 2023-04-22
const Q2_OPEN = "2023-07-05T02:00:00Z";
const HS = ROSTER.zones.huishui;
const FULL_HS =
  "惠水经开区 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场";

describe.each(TEST_PROVIDERS)("report dialogue over the console transport on %s", (provider) => {
  const clock = fixedClock(Q1_OPEN);
  const store = dialogueStore(provider, { reset: () => clock.set(Q1_OPEN) });
  const revisions = () =>
    store.db.reportRevision.findMany({ orderBy: [{ zoneId: "asc" }, { revisionNo: "asc" }] });

  it("incomplete → asked → completed → confirmed → stored → corrected → new revision", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannanWecom);
    const first = await chat.say(
      "各位领导好，现将我州一季度情况报送如下：惠水经开区 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个",
    );
    expect(first.result.outcome).toBe("awaiting_missing");
    expect(first.reply).toContain("还缺少");
    for (const label of ["赴外招商", "引进外贸市场主体", "人才培训"]) expect(first.reply).toContain(label);
    expect(first.reply).not.toMatch(/缺少[^\n]*包装招商项目/);
    const conv = await store.db.conversation.findUniqueOrThrow({
      where: { contactId: ROSTER.contacts.qiannan },
    });
    expect(conv.state).toBe("awaiting_missing");
    expect(conv.expiresAt.getTime()).toBe(clock.now().getTime() + 1440 * 60_000);
    expect(await store.db.reportRevision.count()).toBe(0);

    // only the missing values, no zone named: merged into the draft's single zone
    const second = await chat.say("赴外招商4次，引进外贸主体1家，人才培训2场");
    expect(second.result.outcome).toBe("awaiting_confirmation");
    expect(second.reply).toContain("请核对2023年一季度报送内容");
    expect(second.reply).toContain("进出口额：32000万元（3.2亿元）");
    expect(second.reply).toContain("进出口同比：12.5%");
    expect(second.reply).toContain("人才培训：2场");
    expect(second.reply).toContain("确认");
    expect(await store.db.reportRevision.count()).toBe(0);

    const stored = await chat.say("確認。"); // Traditional, with a full stop
    expect(stored.result.outcome).toBe("stored");
    expect(stored.reply).toContain("已保存2023年一季度报送");
    expect(stored.reply).toContain("年度目标150000万元（15亿元），完成21.3%");
    expect(stored.reply).toContain("包装招商项目：3个，年度目标10个，完成30.0%");
    expect(stored.reply).toContain("本季度时序进度：25%");
    const [rev1, ...rest] = await revisions();
    expect(rest).toEqual([]);
    expect(rev1).toMatchObject({
      year: 2023,
      quarter: 1,
      zoneId: HS,
      revisionNo: 1,
      status: "confirmed",
      contactId: ROSTER.contacts.qiannan,
      channel: "console",
      inboundMessageId: second.result.inboundId,
      late: false,
    });
    expect(rev1!.confirmedAt?.toISOString()).toBe(new Date(Q1_OPEN).toISOString());
    expect(rev1!.rawText).toContain("包装招商项目3个");
    expect(rev1!.rawText).toContain("人才培训2场");
    expect(JSON.parse(rev1!.values)).toEqual({
      trade_total: "32000",
      trade_yoy: "12.5",
      projects: "3",
      trips: "4",
      entities: "1",
      trainings: "2",
    });
    expect(await store.db.conversation.count()).toBe(0);

    clock.advance(3_600_000);
    const corr = await chat.say("更正 惠水 进出口 3.5亿");
    expect(corr.result.outcome).toBe("awaiting_confirmation");
    expect(corr.reply).toContain("未提及的项目沿用第1版");
    expect(corr.reply).toContain("进出口额：35000万元（3.5亿元）（原为3.2亿元）");
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    const all = await revisions();
    expect(all.map((r) => r.revisionNo)).toEqual([1, 2]);
    expect(JSON.parse(all[1]!.values)).toEqual({ ...JSON.parse(all[0]!.values), trade_total: "35000" });
    expect(all[1]!.rawText).toBe("更正 惠水 进出口 3.5亿");
    const latest = await listLatestConfirmed(store.db, { year: 2023, quarter: 1 });
    expect(latest.map((r) => [r.zoneId, r.revisionNo, r.values.trade_total])).toEqual([[HS, 2, "35000"]]);

    // sending the zone again (no 更正) also corrects: a third revision
    await chat.say("惠水经开区 人才培训3场");
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    expect((await revisions()).map((r) => [r.revisionNo, JSON.parse(r.values).trainings])).toEqual([
      [1, "2"],
      [2, "2"],
      [3, "3"],
    ]);
  });

  it("a 黔南 contact reporting for 松桃 is refused and nothing is stored; the task force may", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan);
    const r = await chat.say(
      "松桃经开区 进出口3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场",
    );
    expect(r.result.outcome).toBe("refused");
    expect(r.reply).toContain("松桃");
    expect(r.reply).toContain("铜仁市");
    expect(r.reply).toContain("只能报送本市州的经开区");
    expect(r.reply).toMatch(/示例/);
    // mixed with an own zone: the whole message is refused
    const mixed = await chat.say(`${FULL_HS}\n松桃经开区 进出口1亿元`);
    expect(mixed.result.outcome).toBe("refused");
    expect(await store.db.reportRevision.count()).toBe(0);
    expect(await store.db.conversation.count()).toBe(0);
    expect((await chat.say("确认")).reply).toContain("没有待确认");

    const tf = await consoleChat(store, clock, ROSTER.contacts.taskForce);
    const ok = await tf.say(
      "松桃经开区 进出口3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场",
    );
    expect(ok.result.outcome).toBe("awaiting_confirmation");
    expect((await tf.say("确认")).result.outcome).toBe("stored");
    expect((await revisions()).map((x) => [x.zoneId, x.contactId])).toEqual([
      [ROSTER.zones.songtao, ROSTER.contacts.taskForce],
    ]);
  });

  it("unknown zone, field twice, money without unit, period not open: each its own message; nothing stored", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan);
    const cases: [string, RegExp[]][] = [
      ["都匀经开区 进出口3.2亿元，包装招商项目3个", [/都匀/]],
      ["惠水 进出口3.2亿 进出口3.3亿", [/进出口额/, /3\.2亿/, /3\.3亿/]],
      ["惠水 进出口3.2，包装招商项目3个", [/进出口额/, /单位/, /3\.2/]],
      ["惠水 二季度 进出口3.2亿元", [/二季度/, /不开放/, /2023年一季度/, /示例/]],
    ];
    for (const [text, patterns] of cases) {
      const r = await chat.say(text);
      expect(r.result.outcome, text).toBe("refused");
      for (const p of patterns) expect(r.reply, text).toMatch(p);
    }
    expect(await store.db.reportRevision.count()).toBe(0);
    expect(await store.db.conversation.count()).toBe(0);
  });

  it("a value ~10 000× off asks 是否应为万元 before anything is stored (是 / 否 / resend)", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { AUTO_CONFIRM: "true" });
    // Q1 against the annual target (150000 万元): 3.2万元 is 1/46875 of it
    const q = await chat.say(FULL_HS.replace("3.2亿元", "3.2万元"));
    expect(q.result.outcome).toBe("awaiting_unit");
    expect(q.reply).toContain("是否应为亿元？");
    expect(await store.db.reportRevision.count()).toBe(0);
    expect((await chat.say("是")).result.outcome).toBe("stored");
    expect(JSON.parse((await revisions())[0]!.values).trade_total).toBe("32000");

    // Q2 against Q1's confirmed 32000 万元
    clock.set(Q2_OPEN);
    const big = await chat.say(FULL_HS.replace("3.2亿元", "9000亿元"));
    expect(big.result.outcome).toBe("awaiting_unit");
    expect(big.reply).toContain("是否应为万元？");
    expect(big.reply).toContain("2023年一季度已确认的数");
    expect(await store.db.reportRevision.count({ where: { quarter: 2 } })).toBe(0);
    // a resend replaces the doubtful value and clears the question
    const resent = await chat.say("惠水 进出口6.5亿元");
    expect(resent.result.outcome).toBe("stored");
    expect(JSON.parse((await revisions())[1]!.values).trade_total).toBe("65000");

    // 否 keeps the value as read
    await clearDialogueState(store);
    clock.set(Q1_OPEN);
    expect((await chat.say(FULL_HS.replace("3.2亿元", "3.2万元"))).result.outcome).toBe("awaiting_unit");
    expect((await chat.say("否")).result.outcome).toBe("stored");
    expect(JSON.parse((await revisions())[0]!.values).trade_total).toBe("3.2");
  });

  it("a cumulative value below the zone's previous quarter is refused", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { AUTO_CONFIRM: "true" });
    expect((await chat.say(FULL_HS)).result.outcome).toBe("stored");
    clock.set(Q2_OPEN);
    const r = await chat.say(
      FULL_HS.replace("包装招商项目3个", "包装招商项目2个").replace("3.2亿元", "5亿元"),
    );
    expect(r.result.outcome).toBe("refused");
    expect(r.reply).toContain("包装招商项目");
    expect(r.reply).toContain("累计数");
    expect(r.reply).toContain("2023年一季度已确认的3个");
    expect(await store.db.reportRevision.count({ where: { quarter: 2 } })).toBe(0);
    expect(await store.db.conversation.count()).toBe(0);
    // equal to the previous quarter is fine
    expect((await chat.say(FULL_HS.replace("3.2亿元", "5亿元"))).result.outcome).toBe("stored");
  });

  it("a report confirmed after the deadline day (Asia/Shanghai) is marked late", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { AUTO_CONFIRM: "true" });
    clock.set("2023-04-22T15:59:00Z"); // 23:59 on the deadline day
    expect((await chat.say(FULL_HS)).result.outcome).toBe("stored");
    clock.set("2023-04-22T16:00:00Z"); // 00:00 the day after
    const late = await chat.say("惠水 人才培训3场");
    expect(late.result.outcome).toBe("stored");
    expect(late.reply).toContain("逾期报送，截止日为2023-04-22");
    expect((await revisions()).map((r) => [r.revisionNo, r.late])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it("AUTO_CONFIRM stores a complete report at once; 确认 then has nothing to confirm", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { AUTO_CONFIRM: "true" });
    const r = await chat.say(FULL_HS);
    expect(r.result.outcome).toBe("stored");
    expect(r.reply).toContain("已保存");
    expect(r.reply).not.toContain("请核对");
    expect(await store.db.reportRevision.count()).toBe(1);
    expect(await store.db.conversation.count()).toBe(0);
    expect((await chat.say("确认")).result.outcome).toBe("refused");
  });

  it("several zones in one message; a follow-up must name its zone; 撤销 drops the draft", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan);
    const r = await chat.say("惠水经开区：进出口3.2亿元，包装招商项目3个\n龙里经开区：进出口1.5亿元");
    expect(r.result.outcome).toBe("awaiting_missing");
    expect(r.reply).toContain("【惠水经济开发区】赴外招商");
    expect(r.reply).toContain("【龙里经济开发区】包装招商项目");
    const anon = await chat.say("赴外招商4次");
    expect(anon.result.outcome).toBe("refused");
    expect(anon.reply).toContain("请注明经开区");
    const done = await chat.say(
      "惠水 赴外招商4次，引进外贸主体1家，人才培训2场\n龙里 包装招商项目2个，赴外招商1次，引进外贸主体1家，人才培训1场",
    );
    expect(done.result.outcome).toBe("awaiting_confirmation");
    expect(done.reply).toContain("【惠水经济开发区】");
    expect(done.reply).toContain("【龙里经济开发区】");
    const cancelled = await chat.say("撤销");
    expect(cancelled.result.outcome).toBe("cancelled");
    expect(await store.db.conversation.count()).toBe(0);
    expect((await chat.say("确认")).result.outcome).toBe("refused");
    expect(await store.db.reportRevision.count()).toBe(0);

    await chat.say(
      `${FULL_HS}\n龙里经开区 进出口1.5亿元，包装招商项目2个，赴外招商1次，引进外贸主体1家，人才培训1场`,
    );
    expect((await chat.say("确认")).result.outcome).toBe("stored");
    expect((await revisions()).map((x) => [x.zoneId, x.revisionNo])).toEqual([
      [HS, 1],
      [ROSTER.zones.longli, 1],
    ]);
    // both sent again, only 龙里 changed: 惠水 gets no identical new revision
    const again = await chat.say(`${FULL_HS}\n龙里经开区 人才培训2场`);
    expect(again.reply).toContain("惠水经济开发区（第1版）与已确认的数据相同");
    expect(again.reply).not.toContain("【惠水经济开发区】");
    await chat.say("确认");
    expect((await revisions()).map((x) => [x.zoneId, x.revisionNo])).toEqual([
      [HS, 1],
      [ROSTER.zones.longli, 1],
      [ROSTER.zones.longli, 2],
    ]);
  });

  it("a draft expires after DRAFT_TTL_MIN", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { DRAFT_TTL_MIN: "30" });
    expect((await chat.say("惠水 进出口3.2亿元，包装招商项目3个")).result.outcome).toBe("awaiting_missing");
    clock.advance(31 * 60_000);
    // the zone-less follow-up no longer has a draft to belong to (the bureau has two zones)
    const late = await chat.say("赴外招商4次，引进外贸主体1家，人才培训2场");
    expect(late.result.outcome).toBe("refused");
    expect(await store.db.conversation.count()).toBe(0);
  });

  it("帮助, 模板 (pre-filled with my zones and the open quarter) and 进度", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan, { AUTO_CONFIRM: "true" });
    expect((await chat.say("帮助")).reply).toContain("更正");
    const t = await chat.say("填报模板");
    expect(t.reply).toContain("2023年一季度");
    expect(t.reply).toContain("惠水经济开发区");
    expect(t.reply).toContain("龙里经济开发区");
    expect(t.reply).not.toContain("松桃");
    const before = await chat.say("进度");
    expect(before.reply).toMatch(/已报送（0）/);
    expect(before.reply).toMatch(/未报送（2）：\n· 惠水经济开发区\n· 龙里经济开发区/);
    expect(before.reply).toContain("还有12天");
    await chat.say(FULL_HS);
    const after = await chat.say("进度");
    expect(after.reply).toMatch(/已报送（1）：\n· 惠水经济开发区：第1版，2023-04-10 10:00 李黔南报送/);
    expect(after.reply).toMatch(/未报送（1）：\n· 龙里经济开发区/);
    const tf = await consoleChat(store, clock, ROSTER.contacts.taskForce);
    // plain 进度 from the task force belongs to the circular commands; the other wordings reach ours
    const overall = await tf.say("查询进度");
    expect(overall.reply).toContain("黔南：1/2，未报：龙里");
    expect(overall.reply).toContain("铜仁：0/1，未报：松桃");
    expect((await tf.say("模板")).reply).toContain("请指定经开区");
    const tfTemplate = await tf.say("模板 松桃");
    expect(tfTemplate.reply).toContain("【松桃经济开发区】");
    expect(tfTemplate.reply).not.toContain("惠水");
    expect((await chat.say("模板 松桃")).result.outcome).toBe("refused");
    // the template comes back pre-filled with 惠水's confirmed figures; sent back as is, nothing new is stored
    const again = (await chat.say("模板")).reply;
    expect(again).toMatch(/【惠水经济开发区】\n进出口额（万元）：32000/);
    const filled = again.slice(again.indexOf("\n\n") + 2);
    const same = await chat.say(filled);
    expect(same.result.outcome).toBe("info");
    expect(same.reply).toContain("无需重复报送");
    // with 龙里's trade filled in, 龙里's quotas are asked for
    const [head, longli] = filled.split("【龙里经济开发区】");
    const back = await chat.say(
      `${head}【龙里经济开发区】${longli!.replace("进出口额（万元）：", "进出口额（万元）：15000")}`,
    );
    expect(back.result.outcome).toBe("awaiting_missing");
    expect(back.reply).toMatch(/【龙里经济开发区】包装招商项目/);
    expect(back.reply).not.toMatch(/【惠水经济开发区】包装招商项目/);
    expect(await store.db.reportRevision.count()).toBe(1);
  });

  it("a figure under a field the programme lacks is named back; an uncertain figure is asked about, nothing stored", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannanWecom);
    const extra = await chat.say(`${FULL_HS}\n出口退税：300万元`);
    expect(extra.result.outcome).toBe("awaiting_confirmation");
    expect(extra.reply).toContain("进出口额：32000万元（3.2亿元）");
    expect(extra.reply).toContain("出口退税：300万元");
    expect(extra.reply).toContain("不是填报项，未保存");
    await chat.say("撤销");

    const split = await chat.say("惠水经开区 进出口8，600万元，包装招商项目3个");
    expect(split.result.outcome).toBe("refused");
    expect(split.reply).toContain("「进出口额」数字中间有逗号或空格");
    expect(split.reply).toContain("进出口8，600万元");
    const corrected = await chat.say("惠水经开区 进出口原报1.5亿元，现更正为1.55亿元");
    expect(corrected.result.outcome).toBe("refused");
    expect(corrected.reply).toContain("请只写更正后的数值");
    const range = await chat.say("惠水经开区 赴外招商10余次");
    expect(range.result.outcome).toBe("refused");
    expect(range.reply).toContain("请报送确切数值");
    expect(await store.db.reportRevision.count()).toBe(0);
    expect(await store.db.conversation.count()).toBe(0);
  });
});
