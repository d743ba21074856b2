import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CardResponseCodes } from "../bot/transports/wecom-app/card-response-codes.js";
import {
  clock,
  fake,
  logs,
  ROBOT_KEY,
  rig,
  row,
  store,
  useSenderFixture,
} from "./support/wecom-sender-rig.js";

useSenderFixture();

describe("WeCom senders", () => {
  it("splits long text at line boundaries into numbered parts within 2048 bytes, in order", async () => {
    const { enqueue, drain } = rig();
    const lines = Array.from(
      { length: 120 },
      (_, i) => `第${i + 1}行：黔南州惠水经开区 进出口额 12.34亿元，同比增长 5.6%`,
    );
    const { id } = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      payload: { content: lines.join("\n") },
    });
    await drain();
    const parts = fake.deliveredTo("qn_li");
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, p] of parts.entries()) {
      expect(Buffer.byteLength(p.content!)).toBeLessThanOrEqual(2048);
      expect(p.content!.startsWith(`（${i + 1}/${parts.length}）\n`)).toBe(true);
    }
    const rejoined = parts.map((p) => p.content!.replace(/^（\d+\/\d+）\n/, "")).join("\n");
    expect(rejoined).toBe(lines.join("\n"));
    expect(fake.truncated).toHaveLength(0);
    expect((await row(id)).externalMsgId!.split(",")).toHaveLength(parts.length);
  });

  it("after a failure in part 2, the retry sends parts 2… only (no part reaches a chat twice)", async () => {
    const { enqueue, drain, dispatcher } = rig();
    fake.addChat("chatA", ["qn_li", "tf_wang"]);
    const long = Array.from({ length: 90 }, (_, i) => `第${i + 1}行：六盘水经开区 外贸额 7.89亿元`).join(
      "\n",
    );
    const rows = [
      await enqueue({ channel: "wecom_appchat", recipient: "chatA", payload: { content: long } }),
      await enqueue({ channel: "wecom_app", recipient: "qn_li", payload: { content: long } }),
      await enqueue({
        channel: "wecom_robot",
        recipient: "WECOM_ROBOT_KEY_PROVINCE",
        msgType: "markdown",
        payload: { content: `${long}\n${long}\n${long}` },
      }),
    ];
    // part 1 goes through, part 2 fails transiently
    fake.inject("appchat/send", { delayMs: 0 }, -1);
    fake.inject("message/send", { delayMs: 0 }, 45033);
    fake.inject("webhook/send", { delayMs: 0 }, { http: 502 });
    await dispatcher.runOnce();
    for (const r of rows) expect(await row(r.id)).toMatchObject({ status: "pending", attempts: 1 });
    clock.advance(600_000);
    await drain();
    for (const [r, to] of [
      [rows[0]!, "chatA"],
      [rows[1]!, "qn_li"],
      [rows[2]!, ROBOT_KEY],
    ] as const) {
      expect(await row(r.id)).toMatchObject({ status: "sent", attempts: 2 });
      const got = fake.deliveredTo(to).map((d) => d.content!);
      expect(got.length).toBeGreaterThanOrEqual(2);
      expect(got.map((c) => /^（(\d+)\/(\d+)）\n/.exec(c)?.slice(1).join("/"))).toEqual(
        got.map((_, i) => `${i + 1}/${got.length}`),
      );
    }
    expect((await row(rows[1]!.id)).externalMsgId!.split(",")).toHaveLength(fake.deliveredTo("qn_li").length);
    expect(fake.suppressed).toHaveLength(0);
    expect(fake.truncated).toHaveLength(0);
  });

  it("stores how many parts went out, so after a restart the retry still sends the rest only", async () => {
    const first = rig();
    fake.addChat("chatB", ["qn_li", "tf_wang"]);
    const long = Array.from({ length: 90 }, (_, i) => `第${i + 1}行：黔南经开区 外贸额 1.23亿元`).join("\n");
    const r = await first.enqueue({
      channel: "wecom_appchat",
      recipient: "chatB",
      payload: { content: long },
    });
    fake.inject("appchat/send", { delayMs: 0 }, -1); // part 1 goes through, part 2 fails
    await first.dispatcher.runOnce();
    expect(await row(r.id)).toMatchObject({ status: "pending", attempts: 1, partsSent: 1 });
    clock.advance(600_000);
    const restarted = rig(); // new senders: nothing remembered in memory
    await restarted.drain();
    expect(await row(r.id)).toMatchObject({ status: "sent", attempts: 2 });
    const got = fake.deliveredTo("chatB").map((d) => /^（(\d+)\/(\d+)）/.exec(d.content!)?.[1]);
    expect(got).toEqual(got.map((_, i) => String(i + 1)));
    expect(got.length).toBeGreaterThanOrEqual(2);
  });

  it("gives up on an unknown robot name or a deleted key without ever logging the key", async () => {
    const { enqueue, drain, gaveUp } = rig({
      robotKeys: { WECOM_ROBOT_KEY_PROVINCE: ROBOT_KEY, WECOM_ROBOT_KEY_OLD: "deleted-key-77" },
    });
    const a = await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_MISSING",
      payload: { content: "x" },
    });
    const b = await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_OLD",
      payload: { content: "y" },
    });
    await drain();
    expect(await row(a.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await row(a.id)).lastError).toContain("WECOM_ROBOT_KEY_MISSING");
    expect(await row(b.id)).toMatchObject({ status: "failed", lastErrcode: 93000 });
    expect(gaveUp.map((g) => g.id).sort()).toEqual([a.id, b.id].sort());
    const all = logs.join("\n") + JSON.stringify(await store.db.outboundMessage.findMany());
    expect(all).not.toContain("deleted-key-77");
    expect(all).not.toContain(ROBOT_KEY);
    expect(logs.some((l) => l.includes("WeCom 配置错误") && l.includes("93000"))).toBe(true);
  });

  it("retries transient errors with the errcode recorded, and gives up on an invalid user", async () => {
    const { enqueue, drain, dispatcher } = rig();
    fake.inject("message/send", 45009);
    const a = await enqueue({ channel: "wecom_app", recipient: "qn_li", payload: { content: "hi" } });
    await dispatcher.runOnce();
    const r = await row(a.id);
    expect(r).toMatchObject({ status: "pending", attempts: 1, lastErrcode: 45009 });
    expect(r.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 60_000);
    clock.advance(61_000);
    await drain();
    expect(await row(a.id)).toMatchObject({ status: "sent", attempts: 2, lastErrcode: 0 });
    const b = await enqueue({ channel: "wecom_app", recipient: "ghost_user", payload: { content: "hi" } });
    await drain();
    expect(await row(b.id)).toMatchObject({ status: "failed", lastErrcode: 81013 });
  });

  it("uploads files (app and robot) before sending them, once per file", async () => {
    const { enqueue, drain } = rig();
    const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-files-"));
    const file = path.join(dir, "tongbao.xlsx");
    writeFileSync(file, Buffer.alloc(2048, 7));
    const payload = { path: file, filename: "2024年一季度通报.xlsx" };
    await enqueue({ channel: "wecom_app", recipient: "qn_li", msgType: "file", payload });
    await enqueue({ channel: "wecom_app", recipient: "tr_zhao", msgType: "file", payload });
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      msgType: "file",
      payload,
    });
    const missing = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "file",
      payload: { path: path.join(dir, "nope.xlsx") },
    });
    await drain();
    expect(fake.delivered.map((d) => `${d.endpoint}:${d.msgtype}:${d.to}`).sort()).toEqual([
      "message/send:file:qn_li",
      "message/send:file:tr_zhao",
      `webhook/send:file:${ROBOT_KEY}`,
    ]);
    expect([...fake.uploads.values()].map((u) => `${u.scope}:${u.filename}:${u.bytes}`).sort()).toEqual([
      "app:2024年一季度通报.xlsx:2048",
      `robot:${ROBOT_KEY}:2024年一季度通报.xlsx:2048`,
    ]);
    expect(await row(missing.id)).toMatchObject({ status: "failed" });
  });

  it("sends template cards on the app, updates the clicked card in place, and falls back to text elsewhere", async () => {
    const cardCodes = new CardResponseCodes(clock);
    const { enqueue, drain } = rig({ cardCodes });
    const card = {
      card_type: "button_interaction",
      main_title: { title: "请确认：惠水经开区 2024年一季度" },
      task_id: "rev-9",
      button_list: [{ text: "确认", key: "confirm:9" }],
    };
    await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card, fallbackText: "回复“确认”" },
    });
    await drain();
    expect(fake.deliveredTo("qn_li").map((d) => d.msgtype)).toEqual(["template_card"]);
    // the user clicks; the callback server recorded the click's ResponseCode
    cardCodes.remember("qn_li", "rev-9", fake.issueResponseCode());
    await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card: { ...card, main_title: { title: "已确认" }, button_list: [] } },
    });
    await drain();
    expect(fake.cardUpdates).toHaveLength(1);
    expect(fake.cardUpdates[0]).toMatchObject({ userids: ["qn_li"], template_card: { task_id: "rev-9" } });
    expect(fake.deliveredTo("qn_li")).toHaveLength(1);
    // button-only update without a code: the fallback text goes out instead
    await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card: { task_id: "rev-9", replace_name: "已确认" }, fallbackText: "已确认" },
    });
    fake.addChat("chatA", ["qn_li", "tf_wang"]);
    await enqueue({
      channel: "wecom_appchat",
      recipient: "chatA",
      msgType: "template_card",
      payload: { card, fallbackText: "群内文字版" },
    });
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      msgType: "template_card",
      payload: { card, fallbackText: "机器人文字版" },
    });
    await drain();
    expect(fake.deliveredTo("qn_li").map((d) => d.content ?? d.msgtype)).toEqual(["template_card", "已确认"]);
    expect(fake.deliveredTo("chatA")[0]).toMatchObject({ msgtype: "text", content: "群内文字版" });
    expect(fake.deliveredTo(ROBOT_KEY)[0]).toMatchObject({ msgtype: "text", content: "机器人文字版" });
  });

  it("keeps a click's response code for the retry when the card update fails transiently", async () => {
    const cardCodes = new CardResponseCodes(clock);
    const { enqueue, drain, dispatcher } = rig({ cardCodes });
    cardCodes.remember("qn_li", "rev-5", fake.issueResponseCode());
    fake.inject("message/update_template_card", -1);
    const { id } = await enqueue({
      channel: "wecom_app",
      recipient: "qn_li",
      msgType: "template_card",
      payload: { card: { task_id: "rev-5", replace_name: "已确认" }, fallbackText: "已确认" },
    });
    await dispatcher.runOnce();
    expect(await row(id)).toMatchObject({ status: "pending", lastErrcode: -1 });
    clock.advance(600_000);
    await drain();
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(fake.cardUpdates).toEqual([expect.objectContaining({ button: { replace_name: "已确认" } })]);
    expect(fake.deliveredTo("qn_li")).toHaveLength(0);
  });

  it("splits robot markdown at 4096 bytes", async () => {
    const { enqueue, drain } = rig();
    const md = Array.from(
      { length: 200 },
      (_, i) => `> **第${i + 1}名** 某经开区 <font color="info">完成率 88%</font>`,
    ).join("\n");
    await enqueue({
      channel: "wecom_robot",
      recipient: "WECOM_ROBOT_KEY_PROVINCE",
      msgType: "markdown",
      payload: { content: md },
    });
    await drain();
    const got = fake.deliveredTo(ROBOT_KEY);
    expect(got.length).toBeGreaterThan(1);
    for (const [i, g] of got.entries()) {
      expect(Buffer.byteLength(g.content!)).toBeLessThanOrEqual(4096);
      expect(g.content!.startsWith(`（${i + 1}/${got.length}）\n`)).toBe(true);
    }
    expect(got.every((g) => g.msgtype === "markdown")).toBe(true);
    expect(got.map((g) => g.content!.replace(/^（\d+\/\d+）\n/, "")).join("\n")).toBe(md);
  });
});
