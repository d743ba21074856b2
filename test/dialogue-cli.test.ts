import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { runCliCapture } from "./support/cli.js";
import { clearDialogueState } from "./support/report-app.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "./support/stores.js";

const NOW = ["--now", "2023-04-10T10:00:00+08:00"];
const FULL =
  "惠水经开区 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场";

describe.each(TEST_PROVIDERS)("chat / report / parse commands on %s", (provider) => {
  let url: string;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  /**
   * The store is opened only between CLI runs: the CLI's migration check opens the SQLite file with the
   * top-level better-sqlite3 while Prisma's adapter bundles its own copy (11.x); closing one copy's
   * connection drops the other's POSIX locks in the same process and corrupts the WAL.
   */
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const s = await openStore(url);
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabaseUrl(provider));
    await applyMigrations(url);
    await withStore((s) => seedRosterFixture(s.db));
    env = { DATABASE_URL: url, LOG_LEVEL: "silent" };
  });
  afterAll(async () => {
    await drop?.();
  });
  beforeEach(async () => {
    await withStore(clearDialogueState);
  });

  it("report submit --yes runs the message and 确认 through the pipeline and stores it", async () => {
    const r = await runCliCapture(["report", "submit", "--as", "qn_li", "--yes", ...NOW], env, {
      stdin: FULL,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("请核对2023年一季度报送内容");
    expect(r.stdout).toContain("已保存2023年一季度报送");
    const revs = await withStore((st) => st.db.reportRevision.findMany());
    expect(revs.map((x) => [x.zoneId, x.revisionNo, x.channel, x.contactId])).toEqual([
      [ROSTER.zones.huishui, 1, "console", ROSTER.contacts.qiannan],
    ]);
    const list = await runCliCapture(["report", "list", "--period", "2023Q1", "--json"], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { zoneId: ROSTER.zones.huishui, revisionNo: 1, status: "confirmed", values: { trade_total: "32000" } },
    ]);
    const badZone = await runCliCapture(["report", "list", "--period", "2023Q1", "--zone", "都匀"], env);
    expect(badZone.code).toBe(1);
    expect(badZone.stderr).toMatch(/--zone: 2023年名册中没有经开区“都匀”[\s\S]*例如 --zone \S+[\s\S]*惠水/);
  });

  it("report submit: refused → exit 1, incomplete → exit 3, not open period → exit 1; nothing stored", async () => {
    const refused = await runCliCapture(
      ["report", "submit", "--as", ROSTER.contacts.qiannan, "--yes", ...NOW],
      env,
      {
        stdin: "松桃经开区 进出口3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场",
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("只能报送本市州的经开区");
    expect(refused.stderr).toContain("未保存");
    const incomplete = await runCliCapture(["report", "submit", "--as", "qn_li", ...NOW], env, {
      stdin: "惠水 进出口3.2亿元",
    });
    expect(incomplete.code).toBe(3);
    expect(incomplete.stdout).toContain("还缺少");
    const closed = await runCliCapture(
      ["report", "submit", "--as", "qn_li", "--period", "2023Q2", ...NOW],
      env,
      {
        stdin: FULL.replace("惠水经开区 ", "惠水经开区\n"),
      },
    );
    expect(closed.code).toBe(1);
    expect(closed.stdout).toContain("不开放填报");
    const nobody = await runCliCapture(["report", "submit", "--as", "nobody", ...NOW], env, { stdin: FULL });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("名册中没有联系人“nobody”");
    expect(nobody.stderr).toContain("contacts list");
    expect(await withStore((st) => st.db.reportRevision.count())).toBe(0);
  });

  it("parse prints the normalised result as JSON without storing; exit 1 on errors", async () => {
    const ok = await runCliCapture(["parse", "--period", "2023Q1"], env, { stdin: FULL });
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(json).toMatchObject({ period: "2023Q1", errors: [] });
    expect(json.zones).toHaveLength(1);
    expect(json.zones[0]).toMatchObject({
      zoneId: ROSTER.zones.huishui,
      values: {
        trade_total: { value: "32000", unit: "万元", label: "进出口额" },
        trade_yoy: { value: "12.5", unit: "%" },
        projects: { value: "3", unit: "个" },
      },
    });
    const bad = await runCliCapture(["parse", ...NOW], env, { stdin: "惠水 进出口3.2，包装招商项目3个" });
    expect(bad.code).toBe(1);
    const badJson = JSON.parse(bad.stdout);
    expect(badJson.errors[0]).toMatchObject({ code: "money_without_unit" });
    expect(badJson.errors[0].message).toContain("进出口额");
    const other = await runCliCapture(["parse", "--as", "qn_li", ...NOW], env, {
      stdin: "松桃 进出口1亿元",
    });
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout).errors.map((e: { code: string }) => e.code)).toEqual(["not_authorised"]);
    expect(await withStore((st) => st.db.reportRevision.count())).toBe(0);
    expect(await withStore((st) => st.db.inboundMessage.count())).toBe(0);
  });

  it("chat --as: a scripted terminal conversation through the console transport", async () => {
    const script = [
      "帮助",
      '"""',
      "惠水经开区",
      "进出口额：3.2亿元",
      "包装招商项目：3个",
      '"""',
      "赴外招商4次，引进外贸主体1家，人才培训2场",
      "确认",
      "进度",
    ].join("\n");
    const r = await runCliCapture(["chat", "--as", ROSTER.contacts.qiannan, ...NOW], env, { stdin: script });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("已以 李黔南（C5227-01）身份连接机器人");
    const replies = r.stdout.split("【机器人】").slice(1);
    expect(replies).toHaveLength(5);
    expect(replies[0]).toContain("可用命令");
    expect(replies[1]).toContain("还缺少");
    expect(replies[2]).toContain("请核对");
    expect(replies[3]).toContain("已保存");
    expect(replies[4]).toContain("已报送（1）");
    const inbound = await withStore((st) => st.db.inboundMessage.findMany({ orderBy: { id: "asc" } }));
    expect(inbound.map((m) => [m.channel, m.status])).toEqual(Array(5).fill(["console", "processed"]));
    expect(new Set(inbound.map((m) => m.externalId)).size).toBe(5);
    expect(inbound[1]!.text).toBe("惠水经开区\n进出口额：3.2亿元\n包装招商项目：3个");
  });
});
