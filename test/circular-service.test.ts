import { existsSync, readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figuresHash } from "../src/assessment/figures-hash.js";
import { CircularError } from "../src/circulars/circular-error.js";
import { findCircular, saveOpenDraft } from "../src/circulars/circular-repository.js";
import { approveCircular, draftCircular } from "../src/circulars/circular-service.js";
import { circularDeliveries, sendCircular } from "../src/circulars/send-circular.js";
import { circularApp } from "./support/circular-app.js";
import {
  addRevision,
  CF,
  CF_Q2_VALUES,
  seedCircularFixture,
  seedQ2Reports,
} from "./support/circular-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

const Q2 = { year: 2023, quarter: 2 } as const;

async function refusal(p: Promise<unknown>): Promise<CircularError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CircularError);
  return e as CircularError;
}

describe.each(TEST_PROVIDERS)("circular service on %s", (provider) => {
  let store: TestStore;
  let ctx: ReturnType<typeof circularApp>;
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    ctx = circularApp(store);
  });
  afterAll(async () => {
    await store.dispose();
    rmSync(ctx.baseDir, { recursive: true, force: true });
  });

  it("drafts from confirmed revisions as they stand: latest figure counts, late from the first revision", async () => {
    const { app, baseDir } = ctx;
    const r = await draftCircular(app, Q2, { createdBy: CF.contacts.taskForce, baseDir });
    const c = r.circular;
    expect(c).toMatchObject({
      year: 2023,
      quarter: 2,
      number: null,
      docNumber: null,
      openSlot: "2023Q2",
      status: "draft",
    });
    expect(c.builtAt.toISOString()).toBe("2023-07-20T02:00:00.000Z");
    expect(c.figuresHash).toBe(figuresHash(c.model));
    const hs = c.model.zones.find((z) => z.zoneId === CF.zones.huishui)!;
    // 惠水: on-time 90000 corrected after the deadline to 100000 — the correction counts, not "submitted late"
    expect(hs).toMatchObject({ revisionNo: 2, late: false });
    expect(hs.indicators.find((i) => i.key === "trade_total")!.value).toBe("100000");
    // 清镇's pending revision (999999) does not count
    const qz = c.model.zones.find((z) => z.zoneId === CF.zones.qingzhen)!;
    expect(qz.indicators.find((i) => i.key === "trade_total")!.value).toBe("100000");
    const ft = c.model.groups.find((g) => g.code === "foreign_trade")!;
    expect(ft.headline!.total).toBe("450000");
    expect(ft.lists.late).toEqual([CF.zones.longli]);
    expect(r.files.dir).toBe(`${baseDir}/2023Q2-draft-${c.id}`);
    for (const f of [r.files.markdown, r.files.xlsx, r.files.docx, ...r.files.robotParts])
      expect(existsSync(f)).toBe(true);
    // a draft takes no document number (it is assigned at approval)
    expect(readFileSync(r.files.markdown, "utf8")).not.toContain("黔商函");
    // stored model reads back identical
    expect((await findCircular(store.db, c.id))!.model).toEqual(c.model);
  });

  const idOfNumber = async (number: number) =>
    (await store.db.circular.findFirstOrThrow({ where: { year: 2023, number }, select: { id: true } })).id;

  it("one open draft per period: a new draft, also two at once or a redelivered command, replaces it", async () => {
    const { app, baseDir } = ctx;
    const first = (await store.db.circular.findFirstOrThrow({ where: { year: 2023, quarter: 2 } })).id;
    // the command again (redelivered), then two instances storing the same period's draft at once
    const again = await draftCircular(app, Q2, { createdBy: "cli", baseDir });
    const c = again.circular;
    const draft = {
      year: 2023,
      quarter: 2,
      model: c.model,
      figuresHash: c.figuresHash,
      builtAt: c.builtAt,
      createdBy: "cli",
      docPrefix: "黔商函",
    };
    const [a, b] = await Promise.all([saveOpenDraft(store.db, draft), saveOpenDraft(store.db, draft)]);
    expect([c.id, a!.circular.id, b!.circular.id]).toEqual([first, first, first]);
    expect(await store.db.circular.count({ where: { year: 2023, quarter: 2 } })).toBe(1);
    expect((await findCircular(store.db, first))!).toMatchObject({ number: null, createdBy: "cli" });
  });

  it("only an active task-force contact may approve; others are refused in Chinese", async () => {
    const { app, baseDir } = ctx;
    const notTf = await refusal(approveCircular(app, 1, CF.contacts.bureau, { baseDir }));
    expect(notTf.code).toBe("not_task_force");
    expect(notTf.message).toBe("只有省专班成员可以批准通报。李联络的角色是“市州商务局联络员”。");
    expect((await refusal(approveCircular(app, 1, "nobody", { baseDir }))).code).toBe("unknown_contact");
    expect((await refusal(approveCircular(app, 999, CF.contacts.taskForce, { baseDir }))).code).toBe(
      "not_found",
    );
    expect((await findCircular(store.db, 1))!.status).toBe("draft");
  });

  it("a draft cannot be sent; approval (by WeCom userid) binds the figures; sending reaches every configured group once", async () => {
    const { app, baseDir } = ctx;
    expect((await refusal(sendCircular(app, 1, { baseDir }))).message).toContain("尚未批准");
    const a = await approveCircular(app, 1, CF.contacts.taskForceWecom, { baseDir });
    expect(a.kind).toBe("approved");
    const approved = (await findCircular(store.db, 1))!;
    expect(approved).toMatchObject({
      status: "approved",
      number: 1,
      docNumber: "黔商函〔2023〕1号",
      approvedBy: CF.contacts.taskForce,
      approvedHash: approved.figuresHash,
    });
    expect((await approveCircular(app, 1, CF.contacts.taskForce2, { baseDir })).kind).toBe("already");

    const r = await sendCircular(app, 1, { baseDir });
    if (r.kind !== "sent") throw new Error("expected sent");
    expect(r.firstTime).toBe(true);
    expect(r.deliveries.map((d) => [d.groupId, d.channel, d.recipient, d.queued, d.existing])).toEqual([
      ["G-5227", "wechat_room", "room-qiannan@chatroom", 5, 0],
      ["G-PROV", "wecom_appchat", "provchat01", 6, 0], // markdown ≤ 2048 B: 2 parts, + 2 charts + docx + xlsx
      ["G-TF", "wecom_robot", "WECOM_ROBOT_KEY_TF", 5, 0], // markdown ≤ 4096 B: 1 part
    ]);
    expect(r.unconfigured).toEqual([
      {
        groupId: "G-5206",
        groupName: "铜仁市经开区群",
        channel: "wecom_robot",
        reason: "环境变量 WECOM_ROBOT_KEY_TONGREN 未设置（群机器人密钥）",
      },
    ]);
    expect((await findCircular(store.db, 1))!).toMatchObject({
      status: "sent",
      sentAt: new Date("2023-07-20T02:00:00Z"),
    });

    const rows = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: "circular:1:" } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((x) => [x.idempotencyKey, x.msgType, x.purpose])).toEqual([
      ["circular:1:G-5227:text-1", "text", "circular"],
      ["circular:1:G-5227:chart-completion-foreign_trade", "image", "circular"],
      ["circular:1:G-5227:chart-gauge-foreign_trade", "image", "circular"],
      ["circular:1:G-5227:docx", "file", "circular"],
      ["circular:1:G-5227:xlsx", "file", "circular"],
      ["circular:1:G-PROV:text-1", "markdown", "circular"],
      ["circular:1:G-PROV:text-2", "markdown", "circular"],
      ["circular:1:G-PROV:chart-completion-foreign_trade", "image", "circular"],
      ["circular:1:G-PROV:chart-gauge-foreign_trade", "image", "circular"],
      ["circular:1:G-PROV:docx", "file", "circular"],
      ["circular:1:G-PROV:xlsx", "file", "circular"],
      ["circular:1:G-TF:text-1", "markdown", "circular"],
      ["circular:1:G-TF:chart-completion-foreign_trade", "image", "circular"],
      ["circular:1:G-TF:chart-gauge-foreign_trade", "image", "circular"],
      ["circular:1:G-TF:docx", "file", "circular"],
      ["circular:1:G-TF:xlsx", "file", "circular"],
    ]);
    const payload = (i: number) =>
      JSON.parse(rows[i]!.payload) as { content?: string; path?: string; filename?: string };
    expect(payload(0).content).not.toMatch(/<font|\*\*/); // WeChat room: plain text
    expect(payload(5).content).toMatch(/^（1\/2）\n# 2023年第二季度/);
    expect(Buffer.byteLength(payload(5).content!, "utf8")).toBeLessThanOrEqual(2048);
    expect(payload(3).filename).toBe("黔商函〔2023〕1号 2023年第二季度经开区培育工作进展通报.docx");
    expect(existsSync(payload(3).path!)).toBe(true);
    expect(payload(3).path).toBe(`${baseDir}/2023Q2-1/circular.docx`);
    // the charts: PNG files beside the circular's outputs
    expect(payload(1)).toMatchObject({
      path: `${baseDir}/2023Q2-1/charts/completion-foreign_trade.png`,
      filename: "completion-foreign_trade.png",
    });
    expect(readFileSync(payload(1).path!).subarray(1, 4).toString()).toBe("PNG");

    // again: nothing new is queued
    const again = await sendCircular(app, 1, { baseDir });
    if (again.kind !== "sent") throw new Error("expected sent");
    expect(again.firstTime).toBe(false);
    expect(again.deliveries.map((d) => [d.queued, d.existing])).toEqual([
      [0, 5],
      [0, 6],
      [0, 5],
    ]);
    expect(
      await store.db.outboundMessage.count({ where: { idempotencyKey: { startsWith: "circular:1:" } } }),
    ).toBe(16);
    expect((await circularDeliveries(app, 1)).map((d) => d.groupId)).toContain("G-TF");
  });

  it("a correction after approval stops the send, names the zone, and needs approval again", async () => {
    const { app, baseDir, clock } = ctx;
    // circular 1 was sent, which frees the period for the next draft
    const id2 = (await draftCircular(app, Q2, { createdBy: "cli", baseDir })).circular.id;
    expect(id2).not.toBe(1);
    expect((await approveCircular(app, id2, CF.contacts.taskForce, { baseDir })).kind).toBe("approved");
    expect(await idOfNumber(2)).toBe(id2);
    clock.set("2023-07-21T01:00:00Z");
    await addRevision(store.db, {
      zoneId: CF.zones.huishui,
      revisionNo: 3,
      values: { ...CF_Q2_VALUES[CF.zones.huishui], trade_total: "110000" },
      late: true,
      confirmedAt: new Date("2023-07-21T00:30:00Z"),
    });
    const r = await sendCircular(app, id2, { baseDir });
    if (r.kind !== "changed") throw new Error("expected changed");
    expect(r.reasons).toEqual(["惠水经开区（进出口：100000 → 110000万元）"]);
    const c = (await findCircular(store.db, id2))!;
    expect(c).toMatchObject({ status: "draft", approvedBy: null, approvedHash: null });
    expect(c.builtAt.toISOString()).toBe("2023-07-21T01:00:00.000Z");
    expect(c.model.groups.find((g) => g.code === "foreign_trade")!.headline!.total).toBe("460000");
    expect(
      await store.db.outboundMessage.count({ where: { idempotencyKey: { startsWith: `circular:${id2}:` } } }),
    ).toBe(0);

    // the lapsed approval keeps its number: a redraft replaces the draft, and approval gives no new number
    expect((await draftCircular(app, Q2, { createdBy: "cli", baseDir })).circular).toMatchObject({
      id: id2,
      number: 2,
    });
    expect((await approveCircular(app, id2, CF.contacts.taskForce, { baseDir })).kind).toBe("approved");
    expect((await findCircular(store.db, id2))!.docNumber).toBe("黔商函〔2023〕2号");
    const sent = await sendCircular(app, id2, { baseDir });
    expect(sent.kind).toBe("sent");
    const text = JSON.parse(
      (
        await store.db.outboundMessage.findUniqueOrThrow({
          where: { idempotencyKey: `circular:${id2}:G-TF:text-1` },
        })
      ).payload,
    ).content as string;
    expect(text).toContain("累计 46亿元");
  });

  it("a sent circular cannot be approved again; without any reachable group nothing is sent", async () => {
    const { baseDir } = ctx;
    const id3 = (await draftCircular(ctx.app, Q2, { createdBy: "cli", baseDir })).circular.id;
    expect((await refusal(approveCircular(ctx.app, 1, CF.contacts.taskForce, { baseDir }))).code).toBe(
      "wrong_status",
    );
    const bare = circularApp(store, { LOG_LEVEL: "silent" }, "2023-07-21T02:00:00Z");
    expect((await approveCircular(bare.app, id3, CF.contacts.taskForce, { baseDir })).kind).toBe("approved");
    expect(await idOfNumber(3)).toBe(id3);
    // approved and not yet sent: no second circular for the period
    expect((await refusal(draftCircular(ctx.app, Q2, { createdBy: "cli", baseDir }))).code).toBe(
      "wrong_status",
    );
    const e = await refusal(sendCircular(bare.app, id3, { baseDir }));
    expect(e.code).toBe("no_groups");
    expect(e.message).toContain("全省经开区工作群（未配置企业微信应用（WECOM_* 变量））");
    expect((await findCircular(store.db, id3))!.status).toBe("approved");
    rmSync(bare.baseDir, { recursive: true, force: true });
  });

  it("a year without a programme is refused with a hint", async () => {
    const e = await refusal(
      draftCircular(ctx.app, { year: 2024, quarter: 1 }, { createdBy: "cli", baseDir: ctx.baseDir }),
    );
    expect(e.code).toBe("no_programme");
    expect(e.message).toContain("2024年度尚未设置培育计划");
  });
});
