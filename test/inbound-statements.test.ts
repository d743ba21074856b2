import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRepliesTo, createInboundHandler } from "../bot/inbound/handle.js";
import { deliveryRoutes } from "../bot/transports/transports.js";
import { loadConfig } from "../src/config/config.js";
import { attachSql, type Db, sqlOf } from "../src/db/database.js";
import { isSqlUniqueViolation, type Sql, type SqlTx } from "../src/db/sql.js";
import { parseStoreUrl } from "../src/db/store-url.js";
import { createLogger } from "../src/log/logger.js";
import { Outbox } from "../src/outbox/outbox.js";
import { loadProgramme } from "../src/programme/programme-repository.js";
import { type Draft, saveDraft } from "../src/reports/draft-store.js";
import { storeRevisions } from "../src/reports/store-revisions.js";
import { fixedClock } from "../src/time/clock.js";
import { ROSTER, seedRosterFixture } from "./support/roster-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

/**
 * The store work of one report message (AUTO_CONFIRM), counted on a raw-SQL handle that records every
 * statement and whether it ran inside a transaction: the inbound row is stored first on its own (crash
 * safety), then one transaction holds the revision, its receipt and the processed mark — two commits
 * in all; the roster cache's counter comes with the inbound INSERT (no read of its own once warm); the
 * reply count comes from the replier, not a query; the latest confirmed revision is read once; the
 * draft row is deleted only when one was read, and then only that version of it. And
 * SqlTx.afterCommit runs only after a commit.
 */
describe.each(TEST_PROVIDERS)("statements per inbound message on %s", (provider) => {
  let store: TestStore;
  const log: { text: string; inTx: boolean }[] = [];
  let transactions = 0;
  let handle: ReturnType<typeof createInboundHandler>;

  const counting = (sql: Sql, inTx: boolean): Sql => ({
    provider: sql.provider,
    all: (text, params) => {
      log.push({ text, inTx });
      return sql.all(text, params);
    },
    get: (text, params) => {
      log.push({ text, inTx });
      return sql.get(text, params);
    },
    run: (text, params) => {
      log.push({ text, inTx });
      return sql.run(text, params);
    },
    transaction: (fn) => {
      transactions += 1;
      return sql.transaction((tx) =>
        fn({ ...counting(tx, true), inTransaction: true, afterCommit: (cb) => tx.afterCommit(cb) }),
      );
    },
  });

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedRosterFixture(store.db);
    const db = store.db.$extends({}) as unknown as Db;
    attachSql(db, counting(sqlOf(store.db)!, false));
    const clock = fixedClock("2023-04-10T02:00:00Z");
    const counted = { ...store, db };
    const config = loadConfig({ DATABASE_URL: store.url, AUTO_CONFIRM: "true", LOG_LEVEL: "silent" });
    handle = createInboundHandler({
      config,
      routes: deliveryRoutes(config),
      store: counted,
      outbox: new Outbox(counted, clock),
      clock,
      logger: createLogger("silent"),
    });
  });
  afterAll(async () => {
    await store?.dispose();
  });

  const say = (text: string) =>
    handle({
      channel: "console",
      externalId: randomUUID(),
      senderRef: ROSTER.contacts.qiannan,
      kind: "text",
      text,
      receivedAt: new Date("2023-04-10T02:00:00Z"),
    });
  const report = (i: number) =>
    say(
      `惠水经开区 一季度 进出口累计${30000 + i}万元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场`,
    );

  it("stores the inbound row, then one transaction with revision, receipt and processed mark", async () => {
    await report(0); // warms the roster cache
    log.length = 0;
    transactions = 0;
    const r = await report(1);
    expect(r.outcome).toBe("stored");
    expect(r.status).toBe("processed");

    const writes = log.filter((s) => /^\s*(INSERT|UPDATE|DELETE)/i.test(s.text));
    const outside = writes
      .filter((s) => !s.inTx)
      .map((s) => s.text.trim().split(/\s+/).slice(0, 3).join(" "));
    expect(outside).toEqual(['INSERT INTO "InboundMessage"']);
    expect(transactions).toBe(1);
    const inside = writes.filter((s) => s.inTx).map((s) => s.text.trim().split(/\s+/).slice(0, 3).join(" "));
    // no draft was read, so none is deleted (no statement for it)
    expect(inside).toEqual([
      'INSERT INTO "ReportRevision"',
      'INSERT INTO "OutboundMessage"',
      'UPDATE "InboundMessage" SET',
    ]);
    // the one read of the latest confirmed revision also serves as the correction's base (no second read)
    expect(log.filter((s) => /^\s*SELECT[\s\S]*FROM "ReportRevision"/.test(s.text))).toHaveLength(1);
    // no separate counter read, busy check or reply count
    expect(log.filter((s) => /FROM "CacheVersion"/.test(s.text) && !/^\s*INSERT/.test(s.text))).toEqual([]);
    expect(
      log.filter((s) => /^\s*SELECT[\s\S]*FROM "(InboundMessage|OutboundMessage)"/.test(s.text)),
    ).toEqual([]);

    // what the result says is what is stored
    expect(r.replies).toBe(await countRepliesTo(store.db, r.inboundId));
    const row = await store.db.inboundMessage.findUniqueOrThrow({ where: { id: r.inboundId } });
    expect(row.status).toBe("processed");
    expect(row.contactId).toBe(ROSTER.contacts.qiannan);
  });

  it("an automatic store deletes the draft row it read, and not one saved after it was read", async () => {
    const conversation = () =>
      store.db.conversation.findUnique({ where: { contactId: ROSTER.contacts.qiannan } });
    // a report without two of its fields leaves a draft, even with AUTO_CONFIRM
    const first = await say("龙里经开区 一季度 进出口累计31000万元，包装招商项目3个，赴外招商4次");
    expect(first.outcome).toBe("awaiting_missing");
    const read = await conversation();
    expect(read?.state).toBe("awaiting_missing");
    log.length = 0;
    const second = await say("引进外贸主体1家，人才培训2场");
    expect(second.outcome).toBe("stored");
    expect(await conversation()).toBeNull();
    const deletes = log.filter((s) => /^\s*DELETE FROM "Conversation"/.test(s.text));
    expect(deletes.map((s) => [s.inTx, /"updatedAt" = \$2/.test(s.text)])).toEqual([[true, true]]);

    // the same store, told that it read no draft or an older version of it, leaves the row alone
    const programme = (await loadProgramme(store.db, 2023))!;
    const draft: Draft = {
      period: { year: 2023, quarter: 1 },
      sections: [{ zoneId: ROSTER.zones.huishui, values: { trade_total: "32000" }, changed: [], raws: {} }],
      rawTexts: ["草稿"],
      inboundIds: [],
      token: "abcd1234",
      suspects: [],
      files: [],
      shortAnswers: [],
    };
    await saveDraft(store.db, ROSTER.contacts.qiannan, "awaiting_missing", draft, new Date("2030-01-01"));
    const saved = (await conversation())!;
    const storeTold = (draftRead: Date | null) =>
      storeRevisions(store.db, {
        programme,
        period: { year: 2023, quarter: 1 },
        draft,
        contactId: ROSTER.contacts.qiannan,
        channel: "console",
        now: new Date("2023-04-10T02:00:00Z"),
        draftRead,
        queueReceipt: async () => {},
      });
    for (const draftRead of [null, new Date(saved.updatedAt.getTime() - 1000)]) {
      await storeTold(draftRead);
      expect((await conversation())?.updatedAt).toEqual(saved.updatedAt);
    }
    await storeTold(saved.updatedAt);
    expect(await conversation()).toBeNull();
  });

  it.skipIf(provider !== "sqlite")(
    "SQLite commits with synchronous=NORMAL, and the durable statement leaves it so",
    async () => {
      const sql = sqlOf(store.db)!;
      await sql.getDurable!(`SELECT 1 AS "one"`);
      expect(await sql.get<{ synchronous: number }>("PRAGMA synchronous")).toEqual({ synchronous: 1 });
    },
  );

  it.skipIf(provider !== "sqlite")(
    "durable statements asked together commit together; each settles after the commit, a failing one alone",
    async () => {
      const sql = sqlOf(store.db)!;
      await sql.run(`CREATE TABLE "DurableProbe" ("k" TEXT PRIMARY KEY)`);
      const insert = (k: string) =>
        sql.getDurable!<{ k: string }>(`INSERT INTO "DurableProbe" ("k") VALUES ($1) RETURNING "k"`, [k]);
      // another connection sees only committed rows: each promise settles after its commit
      const other = new Database(parseStoreUrl(store.url).target, { readonly: true });
      const seenBy = (k: string) =>
        other.prepare(`SELECT count(*) AS n FROM "DurableProbe" WHERE "k" = ?`).get(k) as { n: number };
      try {
        const settled = await Promise.allSettled(
          ["a", "a", "b"].map((k) => insert(k).then((row) => ({ row, visible: seenBy(k).n }))),
        );
        expect(settled[0]).toEqual({ status: "fulfilled", value: { row: { k: "a" }, visible: 1 } });
        expect(settled[1]!.status).toBe("rejected");
        expect(isSqlUniqueViolation((settled[1] as PromiseRejectedResult).reason)).toBe(true);
        expect(settled[2]).toEqual({ status: "fulfilled", value: { row: { k: "b" }, visible: 1 } });
        expect(await sql.all(`SELECT "k" FROM "DurableProbe" ORDER BY "k"`)).toEqual([
          { k: "a" },
          { k: "b" },
        ]);
        expect(await sql.get<{ synchronous: number }>("PRAGMA synchronous")).toEqual({ synchronous: 1 });
      } finally {
        other.close();
        await sql.run(`DROP TABLE "DurableProbe"`);
      }
    },
  );

  it("afterCommit runs after the commit, and not at all after a rollback", async () => {
    const sql = sqlOf(store.db)!;
    const seen: string[] = [];
    await sql.transaction(async (tx: SqlTx) => {
      tx.afterCommit(() => seen.push("committed"));
      await tx.transaction(async (inner) => inner.afterCommit(() => seen.push("nested")));
      seen.push("body done");
    });
    expect(seen).toEqual(["body done", "committed", "nested"]);
    seen.length = 0;
    await expect(
      sql.transaction(async (tx) => {
        tx.afterCommit(() => seen.push("rolled back"));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(seen).toEqual([]);
  });
});
