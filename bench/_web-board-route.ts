// The "route" figure of `npm run bench -- web-board`: GET /web/board through the real Fastify server
// (fastify.inject, a signed-in task-force session) on a temporary SQLite store holding the synthetic
// programme and its confirmed revisions, so the store reads (session, programme, the period's
// revisions) are counted too.
// - new data: a corrected revision was stored just before (new fingerprint: assessment and charts
//   again; the programme from its cache);
// - unchanged: the same request again.
// (The leading underscore keeps bench/main.ts from listing this file as a bench of its own.)

import { performance } from "node:perf_hooks";
import { createHttpServer } from "../bot/server/create-server.js";
import { createLoginLink } from "../bot/web/web-auth-store.js";
import { SESSION_COOKIE } from "../bot/web/web-console.js";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { applyProgrammeData } from "../src/programme/apply-programme-data.js";
import { PROGRAMME_TX_OPTIONS } from "../src/programme/seed-programme.js";
import { fixedClock } from "../src/time/clock.js";
import { testApp } from "../test/support/report-app.js";
import { createTestDatabaseUrl } from "../test/support/stores.js";
import { synthetic } from "./_synthetic-programme.js";

export interface RouteFigures {
  routeMs: number;
  routeWarmMs: number;
}

async function seed(store: Store, input: ReturnType<typeof synthetic>): Promise<void> {
  const p = input.programme;
  await store.db.$transaction(
    (tx) =>
      applyProgrammeData(
        tx,
        {
          year: p.year,
          programme: {
            year: p.year,
            title: p.title,
            isSample: p.isSample,
            settings: "{}",
            quarters: p.quarters.map((q) => ({
              quarter: q.quarter,
              deadline: q.deadline,
              expectedProgressPct: q.expectedProgressPct.toString(),
            })),
          },
          prefectures: p.prefectures,
          indicators: p.indicators,
          zones: p.zones.map((z) => ({ ...z, active: true })),
          memberships: p.zones.flatMap((z) => z.groups.map((groupCode) => ({ zoneId: z.id, groupCode }))),
          targets: p.targets.map((t) => ({
            scope: t.scope,
            zoneId: t.zoneId ?? "",
            groupCode: t.groupCode ?? "",
            indicatorKey: t.indicatorKey,
            value: t.value.toString(),
          })),
          contacts: [
            {
              id: "bench",
              name: "基准",
              role: "task_force",
              prefectureCode: null,
              identities: {},
              active: true,
              phone: null,
            },
          ],
        },
        { absent: "keep" },
      ),
    PROGRAMME_TX_OPTIONS,
  );
  await store.db.reportRevision.createMany({
    data: input.reports.map((r) => ({
      year: p.year,
      quarter: 2,
      zoneId: r.zoneId,
      revisionNo: 1,
      status: "confirmed",
      values: JSON.stringify(r.values),
      contactId: "bench",
      channel: "console",
      rawText: "基准",
      late: r.late,
      confirmedAt: r.confirmedAt,
    })),
  });
}

export async function measureRoute(zones: number, repeat: number): Promise<RouteFigures> {
  const { url, drop } = await createTestDatabaseUrl("sqlite");
  let store: Store | undefined;
  try {
    await applyMigrations(url);
    store = await openStore(url);
    const input = synthetic(zones);
    await seed(store, input);
    const clock = fixedClock("2023-07-20T02:00:00Z");
    const app = testApp(store, clock);
    const server = createHttpServer({
      logger: app.logger,
      clock,
      bodyLimitBytes: 65_536,
      health: { store, outbox: app.outbox },
      web: { app },
    });
    await server.fastify.ready();
    const link = await createLoginLink(store.db, {
      contactId: "bench",
      ttlMs: 600_000,
      createdBy: "bench",
      now: clock.now(),
    });
    const login = await server.fastify.inject({
      method: "POST",
      url: "/web/login",
      payload: `token=${encodeURIComponent(link.token)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const sid = login.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    if (!sid) throw new Error(`log-in failed: ${login.statusCode}`);
    const get = async () => {
      const t0 = performance.now();
      const res = await server.fastify.inject({
        url: "/web/board?period=2023Q2",
        cookies: { [SESSION_COOKIE]: sid },
      });
      if (res.statusCode !== 200) throw new Error(`board: ${res.statusCode}`);
      return performance.now() - t0;
    };
    await get(); // warm-up: template compile, programme cache, ECharts init
    let cold = 0;
    for (let i = 0; i < repeat; i++) {
      const r = input.reports[i % input.reports.length]!;
      await store.db.reportRevision.create({
        data: {
          year: 2023,
          quarter: 2,
          zoneId: r.zoneId,
          revisionNo: 2 + i,
          status: "confirmed",
          values: JSON.stringify({ ...r.values, trade_total: String(1000 + i) }),
          contactId: "bench",
          channel: "console",
          rawText: "基准更正",
          confirmedAt: clock.now(),
        },
      });
      cold += await get();
    }
    let warm = 0;
    for (let i = 0; i < repeat; i++) warm += await get();
    await server.close();
    return { routeMs: cold / repeat, routeWarmMs: warm / repeat };
  } finally {
    await store?.close();
    await drop();
  }
}
