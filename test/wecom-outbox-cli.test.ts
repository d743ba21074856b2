import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/db/database.js";
import { Outbox } from "../src/outbox/outbox.js";
import { fixedClock } from "../src/time/clock.js";
import { runCliCapture } from "./support/cli.js";
import { createTestStore, TEST_PROVIDERS } from "./support/stores.js";

/**
 * The CLI opens (and migrates) its own connection. On SQLite the test's connection is closed
 * while the CLI runs: the migration runner's better-sqlite3 and Prisma's adapter carry two
 * different SQLite copies, and two copies in one process corrupt a shared WAL database.
 */
async function withStore<T>(url: string, f: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(url);
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

describe.each(TEST_PROVIDERS)("kaiqu outbox on %s", (provider) => {
  let url: string;
  let dispose: () => Promise<void>;
  let env: Record<string, string>;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const store = await createTestStore(provider);
    url = store.url;
    dispose = () => store.dispose();
    env = { DATABASE_URL: store.url };
    const clock = fixedClock("2024-04-20T01:00:00Z");
    const outbox = new Outbox(store, clock);
    for (const [key, recipient] of [
      ["a", "qn_li"],
      ["b", "WECOM_ROBOT_KEY_PROVINCE"],
      ["c", "tr_zhao"],
    ] as const) {
      ids[key] = (
        await outbox.enqueue({
          idempotencyKey: `cli-${key}`,
          channel: key === "b" ? "wecom_robot" : "wecom_app",
          recipient,
          msgType: "text",
          payload: { content: `提醒 ${key}：请于4月22日前报送一季度数据` },
          purpose: "reminder",
        })
      ).id;
    }
    const [claimed] = await outbox.claim({
      instanceId: "t",
      limit: 1,
      leaseMs: 60_000,
      channels: ["wecom_robot"],
    });
    await outbox.markFailed(claimed!, {
      errcode: 93000,
      error: "webhook/send: errcode 93000 invalid webhook url",
    });
    const [sent] = await outbox.claim({
      instanceId: "t",
      limit: 1,
      leaseMs: 60_000,
      channels: ["wecom_app"],
    });
    await outbox.markSent(sent!, { externalMsgId: "msg-1", errcode: 0 });
    await store.close();
  });
  afterAll(async () => {
    await dispose();
  });

  it("lists rows with the backlog, filters by status, and prints JSON", async () => {
    const all = await runCliCapture(["outbox", "list"], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("待发送 pending 1 · 发送中 sending 0 · 已发送 sent 1 · 已放弃 failed 1");
    expect(all.stdout).toMatch(new RegExp(`#${ids.b}\\s+failed\\s+wecom_robot→WECOM_ROBOT_KEY_PROVINCE`));
    expect(all.stdout).toContain("93000");
    expect(all.stdout).toContain("outbox retry <ID>");
    const failed = await runCliCapture(["outbox", "list", "--status", "failed", "--json"], env);
    const json = JSON.parse(failed.stdout) as {
      backlog: Record<string, number>;
      rows: { id: number; status: string; lastErrcode: number }[];
    };
    expect(json.backlog).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1, cancelled: 0 });
    expect(json.rows).toEqual([expect.objectContaining({ id: ids.b, status: "failed", lastErrcode: 93000 })]);
    const bad = await runCliCapture(["outbox", "list", "--status", "lost"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--status 的值无效（读到 "lost"）');
    expect(bad.stderr).toContain("--status failed");
  });

  it("retries a failed row, and refuses sent, unknown and malformed ids", async () => {
    const ok = await runCliCapture(["outbox", "retry", String(ids.b), "--json"], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ id: ids.b, status: "pending", previousStatus: "failed" });
    const row = await withStore(url, (s) => s.db.outboundMessage.findUniqueOrThrow({ where: { id: ids.b } }));
    expect(row).toMatchObject({ status: "pending", claimedBy: null });
    const sent = await runCliCapture(["outbox", "retry", String(ids.a)], env);
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain("状态是 sent");
    const missing = await runCliCapture(["outbox", "retry", "99999"], env);
    expect(missing.stderr).toContain("没有ID为 99999 的消息");
    const junk = await runCliCapture(["outbox", "retry", "abc"], env);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('ID 应为正整数（读到 "abc"）');
    const help = await runCliCapture(["outbox", "--help"], env);
    expect(help.stdout).toContain("list");
    expect(help.stdout).toContain("retry");
  });
});
