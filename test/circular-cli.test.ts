import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CIRCULAR_ENV } from "./support/circular-app.js";
import {
  addRevision,
  CF,
  CF_Q2_VALUES,
  seedCircularFixture,
  seedQ2Reports,
} from "./support/circular-fixture.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";

describe.each(TEST_PROVIDERS)("kaiqu circular on %s", (provider) => {
  let store: CliTestStore;
  let env: Record<string, string>;
  let tmp: string;
  const cli = (...args: string[]) => runCliCapture(["circular", ...args], env);

  beforeAll(async () => {
    store = await createCliTestStore(provider);
    await store.withDb(async (db) => {
      await seedCircularFixture(db, { isSample: true });
      await seedQ2Reports(db);
    });
    env = { ...CIRCULAR_ENV, ...store.env };
    tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-circ-cli-"));
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("draft --json prints the stored circular and the model with every figure, and writes the files to --out", async () => {
    const out = path.join(tmp, "draft1");
    // --now: the figures as of that instant decide the documents' dates (not the day the command runs)
    const r = await cli(
      "draft",
      "--period",
      "2023Q2",
      "--now",
      "2023-07-20 10:00",
      "--json",
      "--out",
      out,
      "--as",
      CF.contacts.taskForce,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.circular).toMatchObject({
      id: 1,
      number: null, // a draft has no document number: it is assigned at approval
      docNumber: null,
      status: "draft",
      isSample: true,
      createdBy: "TF01",
    });
    expect(j.model.builtAt).toBe("2023-07-20T02:00:00.000Z");
    expect(j.model.groups[1].headline).toMatchObject({
      total: "450000",
      completionPct: "34.615385",
      yoyPct: "7.388672",
    });
    expect(
      j.model.zones.find((z: { zoneId: string }) => z.zoneId === CF.zones.songtao).indicators[0],
    ).toEqual({
      key: "trade_total",
      value: "30000",
      target: "0",
      completionPct: null,
      status: "no_target",
    });
    expect(j.files.dir).toBe(out);
    for (const f of [
      "circular.md",
      "circular.txt",
      "circular.xlsx",
      "circular.docx",
      "parts/robot-1.md",
      "parts/app-1.md",
    ]) {
      expect(existsSync(path.join(out, f))).toBe(true);
    }
  });

  it("bad input is refused on stderr with a non-zero exit", async () => {
    const badPeriod = await cli("draft", "--period", "2023Q9");
    expect(badPeriod.code).toBe(2);
    expect(badPeriod.stderr).toContain('--period 格式不对（读到 "2023Q9"），应为 年份+季度，例如 2023Q2');
    const notTf = await cli("draft", "--period", "2023Q2", "--as", CF.contacts.bureau);
    expect(notTf.code).toBe(1);
    expect(notTf.stderr).toContain("只有省专班成员可以起草通报");
    const badId = await cli("show", "abc");
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain("通报编号应为正整数");
    const badYear = await cli("list", "--year", "0x7E7");
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toContain('--year 应为四位年份 (读到 "0x7E7")，例如 --year 2023');
    const missing = await cli("show", "99");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("找不到编号为 99 的通报");
  });

  it("list and show", async () => {
    const list = await cli("list", "--json");
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((c: { docNumber: string }) => c.docNumber)).toEqual([null]);
    expect(JSON.parse((await cli("list", "--year", "２０２４", "--json")).stdout)).toEqual([]);
    const show = await cli("show", "1");
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("通报 1（未编号，2023年第二季度，样例数据）：草稿");
    expect(show.stdout).toContain("数据截至 2023-07-20 10:00");
    expect(show.stdout).toContain("应报 8 个，已报 6 个，未报 2 个");
  });

  it("approve refuses a bureau contact; a task-force member approves; send queues and reports the unconfigured group", async () => {
    const refused = await cli("approve", "1", "--as", CF.contacts.bureau);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("只有省专班成员可以批准通报。李联络的角色是“市州商务局联络员”。");
    const ok = await cli("approve", "1", "--as", CF.contacts.taskForce, "--base-dir", tmp);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("已由张专班批准");
    const sent = await cli("send", "1", "--json", "--base-dir", tmp);
    expect(sent.code).toBe(0);
    const j = JSON.parse(sent.stdout);
    expect(j.result).toBe("sent");
    expect(j.deliveries.map((d: { groupId: string }) => d.groupId)).toEqual(["G-5227", "G-PROV", "G-TF"]);
    expect(j.unconfigured).toEqual([
      expect.objectContaining({
        groupId: "G-5206",
        reason: "环境变量 WECOM_ROBOT_KEY_TONGREN 未设置（群机器人密钥）",
      }),
    ]);
    const again = await cli("send", "1", "--base-dir", tmp);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("此前已提交发布；本次新排队 0 条");
    expect(again.stdout).toContain("铜仁市经开区群：环境变量 WECOM_ROBOT_KEY_TONGREN 未设置（群机器人密钥）");
    const show = await cli("show", "1", "--json");
    expect(JSON.parse(show.stdout).deliveries).toHaveLength(16); // per group: text parts, 2 charts, docx, xlsx
    expect(JSON.parse(show.stdout).delivery.label).toBe("发布中");
    // the robot group failed, the others arrived: 部分发布, and that group alone is re-sent
    await store.withDb(async (db) => {
      const of = (g: string) => ({ idempotencyKey: { startsWith: `circular:1:${g}:` } });
      await db.outboundMessage.updateMany({
        where: of("G-TF"),
        data: { status: "failed", lastError: "errcode 93000" },
      });
      await db.outboundMessage.updateMany({ where: { NOT: of("G-TF") }, data: { status: "sent" } });
    });
    const partial = await cli("show", "1");
    expect(partial.stdout).toContain("：部分发布");
    expect(partial.stdout).toContain("- 省专班群：发送失败，5 条中已送达 0 条，未发出 5 条（errcode 93000）");
    const noGroup = await cli("send", "1", "--group", "G-NONE");
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr).toContain("名册中没有编号为 G-NONE 的群聊");
    const resend = await cli("send", "1", "--group", "G-TF", "--base-dir", tmp);
    expect(resend.code).toBe(0);
    expect(resend.stdout).toContain("- 省专班群：新排队 0 条，已有 5 条，重发 5 条");
    expect(resend.stdout).not.toContain("全省经开区工作群");
    expect(
      await store.withDb((db) =>
        db.outboundMessage.count({
          where: { idempotencyKey: { startsWith: "circular:1:G-TF:" }, status: "pending" },
        }),
      ),
    ).toBe(5);
  });

  it("a correction after approval: send exits 3 naming the zone; show reports the change", async () => {
    expect((await cli("draft", "--period", "2023Q2", "--out", path.join(tmp, "draft2"))).code).toBe(0);
    expect((await cli("approve", "2", "--as", CF.contacts.taskForceWecom, "--base-dir", tmp)).code).toBe(0);
    await store.withDb((db) =>
      addRevision(db, {
        zoneId: CF.zones.longli,
        revisionNo: 2,
        values: { ...CF_Q2_VALUES[CF.zones.longli], trade_total: "25000" },
        late: true,
      }),
    );
    const before = await cli("show", "2");
    expect(before.stdout).toContain("注意：当前已确认数据与通报不一致");
    expect(before.stdout).toContain("龙里经开区（进出口：20000 → 25000万元）");
    const r = await cli("send", "2", "--base-dir", tmp);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("未能发布：批准后有经开区更正或补报了数据");
    expect(r.stderr).toContain("- 龙里经开区（进出口：20000 → 25000万元）");
    const show = JSON.parse((await cli("show", "2", "--json")).stdout);
    expect(show.circular).toMatchObject({ status: "draft", approvedBy: null });
    expect(show.figuresChangedSince).toEqual([]);
  });

  it("--help lists the subcommands", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    for (const c of ["draft", "list", "show", "approve", "send"]) expect(r.stdout).toContain(c);
  });
});
