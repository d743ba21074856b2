import { describe, expect, it } from "vitest";
import { createInboundHandler } from "../bot/inbound/handle.js";
import type { InboundEvent } from "../src/inbound/inbound-event.js";
import { fixedClock } from "../src/time/clock.js";
import { dialogueStore } from "./support/dialogue-store.js";
import { testApp } from "./support/report-app.js";
import { ROSTER } from "./support/roster-fixture.js";
import { TEST_PROVIDERS } from "./support/stores.js";

const T0 = "2023-04-10T02:00:00Z";
const FULL = "惠水经开区 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场";
let seq = 0;
const wecom = (text: string, kind: "text" | "action" = "text"): InboundEvent => ({
  channel: "wecom",
  externalId: `wx-${++seq}`,
  senderRef: ROSTER.contacts.qiannanWecom,
  kind,
  text,
  receivedAt: new Date(T0),
});

describe.each(TEST_PROVIDERS)("confirmation card on WeCom on %s", (provider) => {
  const clock = fixedClock(T0);
  const store = dialogueStore(provider);
  const rowsOf = (inboundId: number) =>
    store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: `reply:${inboundId}:` } },
      orderBy: { id: "asc" },
    });

  it("the echo is followed by a button_interaction card; its confirm click stores the report", async () => {
    const handle = createInboundHandler(testApp(store, clock));
    const r = await handle(wecom(FULL));
    expect(r.outcome).toBe("awaiting_confirmation");
    const rows = await rowsOf(r.inboundId);
    expect(rows.map((x) => [x.msgType, x.channel, x.recipient])).toEqual([
      ["text", "wecom_app", "qn_li"],
      ["template_card", "wecom_app", "qn_li"],
    ]);
    const { card, fallbackText } = JSON.parse(rows[1]!.payload);
    expect(fallbackText).toContain("请核对");
    expect(card.card_type).toBe("button_interaction");
    expect(card.task_id).toMatch(/^[0-9A-Za-z_\-@]{1,128}$/);
    const keys: string[] = card.button_list.map((b: { key: string }) => b.key);
    expect(keys).toHaveLength(2);
    const confirmKey = keys.find((k) => k.startsWith("confirm:"))!;
    expect(keys.find((k) => k.startsWith("cancel:"))).toBeDefined();

    const click = await handle(wecom(confirmKey, "action"));
    expect(click).toMatchObject({ handler: "report-card-action", outcome: "stored" });
    expect(await store.db.reportRevision.count()).toBe(1);
    // the same card clicked again: nothing to confirm, nothing stored twice
    const twice = await handle(wecom(confirmKey, "action"));
    expect(twice.outcome).toBe("refused");
    expect(await store.db.reportRevision.count()).toBe(1);
  });

  it("a card click and a typed 确认 racing each other store the report once", async () => {
    const handle = createInboundHandler(testApp(store, clock));
    const r = await handle(wecom(FULL.replace("3.2亿元", "3.3亿元")));
    const card = JSON.parse((await rowsOf(r.inboundId))[1]!.payload).card;
    const results = await Promise.all([
      handle(wecom(card.button_list[0].key, "action")),
      handle(wecom("确认")),
      handle(wecom("确认")),
    ]);
    expect(results.filter((x) => x.outcome === "stored")).toHaveLength(1);
    expect(results.every((x) => x.status === "processed")).toBe(true);
    expect(await store.db.reportRevision.count()).toBe(1);
    expect(await store.db.outboundMessage.count({ where: { payload: { contains: "已保存" } } })).toBe(1);
  });

  it("a card from an earlier version of the draft cannot confirm the current one; cancel drops it", async () => {
    const handle = createInboundHandler(testApp(store, clock));
    const first = await handle(wecom(FULL));
    const oldCard = JSON.parse((await rowsOf(first.inboundId))[1]!.payload).card;
    const oldConfirm = oldCard.button_list[0].key as string;
    const changed = await handle(wecom("修改 惠水 人才培训3场"));
    expect(changed.outcome).toBe("awaiting_confirmation");
    const stale = await handle(wecom(oldConfirm, "action"));
    expect(stale.outcome).toBe("refused");
    expect(JSON.parse((await rowsOf(stale.inboundId))[0]!.payload).content as string).toContain("已过期");
    expect(await store.db.reportRevision.count()).toBe(0);
    const newCard = JSON.parse((await rowsOf(changed.inboundId))[1]!.payload).card;
    const cancelKey = (newCard.button_list as { key: string }[]).find((b) =>
      b.key.startsWith("cancel:"),
    )!.key;
    expect((await handle(wecom(cancelKey, "action"))).outcome).toBe("cancelled");
    expect(await store.db.conversation.count()).toBe(0);
    // plain keys from other card builders work too
    await handle(wecom(FULL));
    expect((await handle(wecom("confirm", "action"))).outcome).toBe("stored");
  });
});
