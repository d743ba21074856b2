import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsoleSession } from "../bot/transports/console/console-session.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/log/logger.js";
import { runDueReminders } from "../src/reminders/run-due-reminders.js";
import { fixedClock, localInstant } from "../src/time/clock.js";
import { fillForm, HUISHUI_FILLED, HUISHUI_STORED } from "./support/fill-form.js";
import { testApp } from "./support/report-app.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

describe.each(TEST_PROVIDERS)("a quarter by files only, on the console (%s)", (provider) => {
  let store: TestStore;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-fq-"));
  const env = { FILE_STORE_DIR: path.join(tmp, "files") };
  // the opening notice of 2023Q1 goes out on 3 April at 09:30
  const clock = fixedClock(localInstant("2023-04-03", "09:30").toISOString());
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
    await store.db.programmeYear.update({
      where: { year: 2023 },
      data: { settings: JSON.stringify({ reminders: { attachForm: true } }) },
    });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  const session = (as: string, printed: string[]) =>
    openConsoleSession({
      config: loadConfig({ DATABASE_URL: store.url, LOG_LEVEL: "silent", ...env }),
      store,
      clock,
      logger: createLogger("silent"),
      as,
      print: (text) => printed.push(text),
    });

  it("opening notice with the form → filled → sent back → echo → 确认 → receipt; the task force fetches the original", async () => {
    const app = testApp(store, clock, env);
    const run = await runDueReminders(app, clock.now());
    const formRows = run.reminders.filter((r) => r.form);
    expect(formRows.map((r) => [r.recipientId, r.status])).toContainEqual([
      ROSTER.contacts.qiannan,
      "queued",
    ]);
    // idempotent: a second run queues nothing more
    const again = await runDueReminders(app, clock.now());
    expect(again.queued).toBe(0);

    const printed: string[] = [];
    const bureau = await session(ROSTER.contacts.qiannan, printed);
    await bureau.flush();
    const notice = printed.findIndex((t) => t.includes("2023年第一季度报送开启"));
    const fileLine = printed.find((t) => t.startsWith("[文件] "));
    expect(notice).toBeGreaterThanOrEqual(0);
    expect(printed.indexOf(fileLine!)).toBeGreaterThan(notice);
    // console: the path of the form
    const m = /^\[文件\] (\S+\.xlsx) (\S+)$/.exec(fileLine!);
    expect(m?.[1]).toBe("2023年一季度黔南报送表.xlsx");
    expect(existsSync(m![2]!)).toBe(true);

    const filled = await fillForm(readFileSync(m![2]!), "惠水", HUISHUI_FILLED);
    printed.length = 0;
    await bureau.send("[文件] 2023年一季度黔南报送表.xlsx", "text", {
      kind: "file",
      fileName: "2023年一季度黔南报送表.xlsx",
      bytes: filled,
    });
    const echo = printed.join("\n");
    expect(echo).toContain(
      "已读取文件「2023年一季度黔南报送表.xlsx」（工作表「填报」，1 个经开区，机器人报送表）",
    );
    expect(echo).toContain("请核对2023年一季度报送内容");
    expect(echo).toContain("进出口额：32000万元");
    expect(echo).not.toContain("上季度");
    printed.length = 0;
    await bureau.send("确认");
    expect(printed.join("\n")).toContain("已保存2023年一季度报送");
    const rev = await store.db.reportRevision.findFirstOrThrow({ where: { zoneId: ROSTER.zones.huishui } });
    expect(JSON.parse(rev.values)).toMatchObject(HUISHUI_STORED);
    expect(rev.rawFileName).toBe("2023年一季度黔南报送表.xlsx");

    // 原件: the task force gets the stored file back; a bureau contact may not ask
    printed.length = 0;
    await bureau.send("原件 惠水 2023Q1");
    expect(printed.join("\n")).toContain("专班");
    expect(printed.some((t) => t.startsWith("[文件] "))).toBe(false);
    const tfPrinted: string[] = [];
    const tf = await session(ROSTER.contacts.taskForce, tfPrinted);
    await tf.send("原件 惠水 2023Q1");
    expect(tfPrinted[0]).toContain("惠水2023年一季度第1版原件「2023年一季度黔南报送表.xlsx」");
    const back = /^\[文件\] 2023年一季度黔南报送表\.xlsx (\S+)$/.exec(tfPrinted[1] ?? "");
    expect(back).not.toBeNull();
    expect(readFileSync(back![1]!).equals(filled)).toBe(true);
    tfPrinted.length = 0;
    await tf.send("原件 龙里 2023Q1");
    expect(tfPrinted.join("\n")).toContain("龙里2023年一季度尚无报送，没有原件");
  });
});
