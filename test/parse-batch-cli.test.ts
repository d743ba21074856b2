// `kaiqu parse --batch`: each output line is exactly what `kaiqu parse` prints for that message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { runCliCapture } from "./support/cli.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";

const NOW = "2023-04-10T10:00:00+08:00";

/** Messages of several kinds: clean, with errors, unread figures, a table, another period, another sender. */
const MESSAGES: { id?: string | number; text: string; period?: string; as?: string; now?: string }[] = [
  {
    id: "m1",
    text: "惠水经开区 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场",
  },
  { id: 2, text: "惠水 进出口3.2，包装招商项目3个", as: "qn_li" },
  { id: "m3", text: "惠水经开区 进出口3.2亿元，实际利用外资3000万元" },
  {
    id: "m4",
    text: "经开区\t进出口额(万元)\t包装招商项目\n惠水\t32000\t3\n龙里\t21000\t2",
  },
  { text: "松桃 进出口1亿元", as: "qn_li" },
  { id: "m6", text: "您好，收到", period: "2023Q2" },
  { id: "m7", text: "惠水经开区\n进出口额：7亿8千万元\n项目：5", now: "2023-07-10 09:00" },
];

describe.each(TEST_PROVIDERS)("kaiqu parse --batch on %s", (provider) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabaseUrl(provider));
    await applyMigrations(url);
    const s = await openStore(url);
    try {
      await seedRosterFixture(s.db);
    } finally {
      await s.close();
    }
    env = { DATABASE_URL: url, LOG_LEVEL: "silent" };
  });
  afterAll(async () => {
    await drop?.();
  });

  it("prints, in order, one line per message holding what a single `kaiqu parse` prints", async () => {
    const stdin = `${MESSAGES.map((m) => JSON.stringify(m)).join("\n")}\n\n`;
    const batch = await runCliCapture(["parse", "--batch", "--now", NOW], env, { stdin });
    expect(batch.stderr).toBe("");
    expect(batch.code).toBe(0);
    const lines = batch.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(MESSAGES.length);
    const singleCodes: number[] = [];
    for (const [i, m] of MESSAGES.entries()) {
      const args = ["parse", "--now", m.now ?? NOW];
      if (m.period) args.push("--period", m.period);
      if (m.as) args.push("--as", m.as);
      const single = await runCliCapture(args, env, { stdin: m.text });
      singleCodes.push(single.code);
      const expected = { ...(m.id === undefined ? {} : { id: m.id }), ...JSON.parse(single.stdout) };
      expect(JSON.parse(lines[i]!)).toEqual(expected);
      // key order too: the batch line is the single output with the id in front
      expect(lines[i]).toBe(JSON.stringify(expected));
    }
    // the batch exits 0 although several messages have parse errors (the single runs say so)
    expect(singleCodes).toEqual([0, 1, 0, 0, 1, 1, 0]);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed[0].zones[0].values.trade_total.value).toBe("32000");
    expect(parsed[2].notes.map((n: { message: string }) => n.message)).toEqual([
      "未识别：实际利用外资3000万元（不是填报项，未保存）",
    ]);
    expect(parsed[3].zones.map((z: { zoneId: string }) => z.zoneId)).toEqual([
      ROSTER.zones.huishui,
      ROSTER.zones.longli,
    ]);
    expect(parsed[4].errors.map((e: { code: string }) => e.code)).toEqual(["not_authorised"]);
    expect(parsed[5].period).toBe("2023Q2");
    expect(parsed[6].period).toBe("2023Q2");
  });

  it("answers a malformed line with an error object on its line and goes on; exit 0 (every line processed), stderr counts them", async () => {
    const stdin = [
      '{"id":"a","text":"惠水经开区 进出口3.2亿元"}',
      "not json",
      '["惠水"]',
      '{"id":"b"}',
      '{"id":"c","text":"惠水","colour":"red"}',
      '{"id":"d","text":"惠水经开区 进出口3.2亿元","as":"nobody"}',
      '{"id":"e","text":"惠水经开区 进出口3.2亿元","period":"2023Q9"}',
      '{"id":"f","text":"惠水经开区 进出口3.2亿元","now":"yesterday"}',
      '{"id":"g","text":"龙里经开区 进出口2.1亿元"}',
    ].join("\r\n");
    const r = await runCliCapture(["parse", "--batch", "--now", NOW], env, { stdin });
    // every line was processed (answered on its own line): exit 0 whatever the results, as the issue asks
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("7 行无法解析");
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id ?? null)).toEqual(["a", null, null, null, null, "d", "e", "f", "g"]);
    expect(lines[0].zones[0].values.trade_total.value).toBe("32000");
    expect(lines[8].zones[0].zoneId).toBe(ROSTER.zones.longli);
    const bad = lines.slice(1, 8);
    expect(bad.map((l) => [l.line, l.error.code])).toEqual([
      [2, "bad_input"],
      [3, "bad_input"],
      [4, "bad_input"],
      [5, "bad_input"],
      [6, "bad_option"],
      [7, "bad_option"],
      [8, "bad_option"],
    ]);
    expect(bad[0].error.message).toContain("第2行不是有效的 JSON");
    expect(bad[2].error.message).toContain("text 应为字符串");
    expect(bad[3].error.message).toContain("不认识的字段：colour");
    expect(bad[4].error.message).toContain("联系人“nobody”不存在");
    expect(bad[5].error.message).toContain("2023Q9");
    expect(bad[6].error.message).toContain("--now 的时间无法识别");
  });
});
