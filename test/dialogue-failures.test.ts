import { describe, expect, it } from "vitest";
import { fixedClock } from "../src/time/clock.js";
import { consoleChat } from "./support/console-chat.js";
import { dialogueStore } from "./support/dialogue-store.js";
import { ROSTER } from "./support/roster-fixture.js";
import { TEST_PROVIDERS } from "./support/stores.js";

const TRIGGER = {
  sqlite: {
    create: [
      `CREATE TRIGGER fail_longli BEFORE INSERT ON "ReportRevision" WHEN NEW."zoneId" = '${ROSTER.zones.longli}'
       BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`,
    ],
    drop: ["DROP TRIGGER fail_longli"],
  },
  postgresql: {
    create: [
      `CREATE FUNCTION fail_longli() RETURNS trigger AS $$ BEGIN
         IF NEW."zoneId" = '${ROSTER.zones.longli}' THEN RAISE EXCEPTION 'simulated storage failure'; END IF;
         RETURN NEW; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER fail_longli BEFORE INSERT ON "ReportRevision" FOR EACH ROW EXECUTE FUNCTION fail_longli()`,
    ],
    drop: ['DROP TRIGGER fail_longli ON "ReportRevision"', "DROP FUNCTION fail_longli()"],
  },
} as const;

describe.each(TEST_PROVIDERS)("storage failure while confirming on %s", (provider) => {
  const clock = fixedClock("2023-04-10T02:00:00Z");
  const store = dialogueStore(provider, { clear: false });

  it("apologises, stores nothing of the two zones, keeps the draft; the bot carries on and 确认 works later", async () => {
    const chat = await consoleChat(store, clock, ROSTER.contacts.qiannan);
    const echo = await chat.say(
      "惠水经开区 进出口3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场\n" +
        "龙里经开区 进出口1.5亿元，包装招商项目2个，赴外招商1次，引进外贸主体1家，人才培训1场",
    );
    expect(echo.result.outcome).toBe("awaiting_confirmation");
    for (const sql of TRIGGER[provider].create) await store.db.$executeRawUnsafe(sql);

    const failed = await chat.say("确认");
    expect(failed.result.status).toBe("failed");
    expect(failed.reply).toContain("抱歉");
    expect(failed.reply).not.toContain("已保存");
    expect(await store.db.reportRevision.count()).toBe(0); // 惠水 was inserted first, then rolled back
    expect(await store.db.outboundMessage.count({ where: { payload: { contains: "已保存" } } })).toBe(0);
    const inbound = await store.db.inboundMessage.findUniqueOrThrow({
      where: { id: failed.result.inboundId },
    });
    expect(inbound.status).toBe("failed");
    expect(inbound.error).toContain("simulated storage failure");
    expect(
      (await store.db.conversation.findUniqueOrThrow({ where: { contactId: chat.contactId } })).state,
    ).toBe("awaiting_confirmation");

    expect((await chat.say("进度")).result.status).toBe("processed");
    for (const sql of TRIGGER[provider].drop) await store.db.$executeRawUnsafe(sql);
    const ok = await chat.say("确认");
    expect(ok.result.outcome).toBe("stored");
    expect(
      (await store.db.reportRevision.findMany({ orderBy: { zoneId: "asc" } })).map((r) => r.zoneId),
    ).toEqual([ROSTER.zones.huishui, ROSTER.zones.longli]);
  });
});
