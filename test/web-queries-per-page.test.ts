import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachSql, type Db, sqlOf } from "../src/db/database.js";
import type { Sql } from "../src/db/sql.js";
import { CF, seedCircularFixture, seedQ2Reports } from "./support/circular-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { FORM, form, webConsoleRig } from "./support/web-console.js";

/**
 * "No page needs more than one round trip to the store per table": the console runs on a client that
 * counts every store operation by table — Prisma operations through a query extension, raw SQL through
 * a wrapped handle (the roster cache's version check) — with the production code paths (roster cache
 * on). Each page is read once to warm the caches, then counted on a small programme and again after
 * many more revisions, senders and circulars: the counts must stay the same (no query per row) and
 * no table may be read twice; the cache's counter row (a primary-key read per cached lookup) at most
 * three times.
 */
describe.each(TEST_PROVIDERS)("store round trips per web page on %s", (provider) => {
  let store: TestStore;
  let rig: Awaited<ReturnType<typeof webConsoleRig>>;
  const ops: string[] = [];
  let tf: { cookies: Record<string, string>; csrf: string };

  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    const counted = store.db.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          ops.push(`${model ?? "$raw"}.${operation}`);
          return query(args);
        },
      },
    }) as unknown as Db;
    const sql = sqlOf(store.db)!;
    const table = (text: string) => `$sql:${/(?:FROM|INTO|UPDATE)\s+"(\w+)"/i.exec(text)?.[1] ?? "?"}`;
    const countedSql: Sql = {
      provider: sql.provider,
      all: (text, params) => {
        ops.push(table(text));
        return sql.all(text, params);
      },
      get: (text, params) => {
        ops.push(table(text));
        return sql.get(text, params);
      },
      run: (text, params) => {
        ops.push(table(text));
        return sql.run(text, params);
      },
      transaction: (fn) => sql.transaction(fn),
    };
    attachSql(counted, countedSql);
    rig = await webConsoleRig({ ...store, db: counted }, undefined);
    tf = await rig.login(CF.contacts.taskForce);
  });
  afterAll(async () => {
    await rig?.server.close();
    await store?.dispose();
  });

  const inject = (o: InjectOptions) => rig.server.fastify.inject(o);

  /** The operations one GET makes, by table (the session lookup included). */
  const count = async (url: string): Promise<Record<string, number>> => {
    ops.length = 0;
    const res = await inject({ url, cookies: tf.cookies });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    const byTable: Record<string, number> = {};
    for (const o of ops) {
      const table = o.startsWith("$sql:") ? o.slice(5) : o.split(".")[0]!;
      byTable[table] = (byTable[table] ?? 0) + 1;
    }
    return byTable;
  };

  /** More of everything a page lists: revisions per zone (several senders), and circulars. */
  const grow = async () => {
    const senders = ["TF01", "TF02", "C5227"];
    const zones = Object.values(CF.zones);
    let n = 0;
    for (const zoneId of zones) {
      const max = await store.db.reportRevision.aggregate({
        where: { year: 2023, quarter: 2, zoneId },
        _max: { revisionNo: true },
      });
      for (let i = 1; i <= 3; i++) {
        await store.db.reportRevision.create({
          data: {
            year: 2023,
            quarter: 2,
            zoneId,
            revisionNo: (max._max.revisionNo ?? 0) + i,
            status: "confirmed",
            values: JSON.stringify({ trade_total: String(1000 * ++n) }),
            rawText: `第 ${i} 次更正`,
            contactId: senders[i % senders.length]!,
            channel: "console",
            confirmedAt: new Date("2023-07-19T02:00:00Z"),
          },
        });
      }
    }
    // sent circulars of earlier quarters, each with its delivered group messages
    const first = await store.db.circular.findFirstOrThrow({ orderBy: { id: "asc" } });
    for (const quarter of [1, 3, 4]) {
      const { id: _id, openSlot: _slot, number: _no, docNumber: _doc, ...rest } = first;
      const c = await store.db.circular.create({
        data: { ...rest, quarter, status: "sent", sentAt: new Date("2023-07-20T02:00:00Z") },
      });
      for (const group of ["G-5227", "G-TF"])
        await store.db.outboundMessage.create({
          data: {
            idempotencyKey: `circular:${c.id}:${group}:text-1`,
            channel: "wecom_robot",
            recipient: group,
            msgType: "markdown",
            payload: JSON.stringify({ content: "通报" }),
            purpose: "circular",
            status: "sent",
          },
        });
    }
  };

  it("board, zone page, circular list and circular page: at most one query per table, whatever the rows", async () => {
    const drafted = await inject({
      method: "POST",
      url: "/web/circulars",
      cookies: tf.cookies,
      payload: form({ period: "2023Q2", _csrf: tf.csrf }),
      headers: FORM,
    });
    expect(drafted.statusCode).toBe(303);
    const circularUrl = (drafted.headers.location as string).split("?")[0]!;
    const pages = [
      "/web/board?period=2023Q2",
      `/web/zones/${CF.zones.huishui}?period=2023Q2`,
      "/web/circulars",
      circularUrl,
    ];
    for (const p of pages) await count(p); // caches warm (programme, roster, chart SVGs)
    const before: Record<string, Record<string, number>> = {};
    for (const p of pages) before[p] = await count(p);
    await grow();
    for (const p of pages) {
      const after = await count(p);
      // no table is read more than once by a page…
      for (const [table, n] of Object.entries(after))
        expect(n, `${p} reads ${table} ${n} times: ${JSON.stringify(after)}`).toBeLessThanOrEqual(
          table === "CacheVersion" ? 3 : 1,
        );
      // …and more rows do not mean more queries
      expect(after, p).toEqual(before[p]);
    }
    // the counter is not blind: the board reads the revisions and checks the roster cache's counter
    expect(before["/web/board?period=2023Q2"]).toMatchObject({ ReportRevision: 1, CacheVersion: 3 });
    // a roster change is seen (the programme tables are read again, once each)
    await store.db.zone.update({ where: { id: CF.zones.huishui }, data: { name: "惠水经开区（新名）" } });
    expect(await count("/web/board?period=2023Q2")).toMatchObject({ Zone: 1, Target: 1, ReportRevision: 1 });
  });
});
