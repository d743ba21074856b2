// The "pipeline" section of `npm run bench -- parse` (bench/parse.ts): replies/s of the whole inbound
// pipeline (handle → parse → validate → revision stored with its receipt) on a fresh temporary store
// (SQLite, then PostgreSQL; KAIQU_TEST_STORES=sqlite for SQLite alone) with AUTO_CONFIRM on, against
// two baselines measured in the same process: the parser alone on the same texts, and the bare writes
// one report needs, with the durability the bot gives them (the inbound row stored durably first, as
// every transport does before it acknowledges or processes a message; then revision + outbox row +
// the inbound row's status in one ordinary transaction; through the same raw SQL layer, no parsing,
// validation or reads). The same writes in one unsynced transaction are printed too (the baseline of
// earlier runs, which left out the inbound row's sync). Both sides are warmed up first (JIT, prepared
// statements), not counted, then take turns in five rounds. `npm run bench -- parse --only pipeline` runs it alone.
// (The leading underscore keeps bench/main.ts from listing this file as a bench of its own.)

import { randomUUID } from "node:crypto";
import { createInboundHandler } from "../bot/inbound/handle.js";
import { openStore, type Store } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import type { Provider } from "../src/db/store-url.js";
import { parseReport } from "../src/parsing/parse-report.js";
import { loadProgramme } from "../src/programme/programme-repository.js";
import { fixedClock } from "../src/time/clock.js";
import { testApp } from "../test/support/report-app.js";
import { ROSTER, seedRosterFixture } from "../test/support/roster-fixture.js";
import { createTestDatabaseUrl, TEST_PROVIDERS } from "../test/support/stores.js";
import type { BenchFigures } from "./main.js";
import type { BenchOptions, BenchSection } from "./parse.js";

const ZONES = ["惠水经开区", "龙里经开区"];
/**
 * Messages sent through each side before timing starts. 100 left the JIT unsettled: a timed run of
 * 200 after it went at 580–680 replies/s, the same code at 1 100–1 200 once a few thousand had run.
 */
const WARM_UP = 500;
/** Turns the timed sides take (see measurePipeline). */
const ROUNDS = 5;

/** The i-th report: a full, valid reply with figures that change from one message to the next. */
export function reportText(i: number): string {
  const zone = ZONES[i % ZONES.length]!;
  return (
    `各位领导好，现将我州一季度情况报送如下：${zone} 进出口累计${30000 + i}万元，同比增长${(i % 50) / 2}%，` +
    `包装招商项目${3 + (i % 4)}个，赴外招商${4 + (i % 3)}次，引进外贸主体${1 + (i % 2)}家，人才培训${2 + (i % 3)}场`
  );
}

/**
 * Wall seconds of n steps; also adds this process's CPU seconds to `cpu[label]` (on a shared, loaded
 * machine the CPU time is the steadier figure: waiting for a core does not count; waiting for the disk
 * or for PostgreSQL does not either, so on PostgreSQL it leaves out the server's work).
 */
async function timed(
  n: number,
  step: (i: number) => Promise<void> | void,
  cpu?: { seconds: number },
): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await step(i);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  if (cpu) cpu.seconds = (c.user + c.system) / 1e6;
  return wall;
}

function line(label: string, n: number, seconds: number): number {
  const rate = n / seconds;
  console.log(
    `${label.padEnd(44)} ${rate.toFixed(1).padStart(9)} replies/s  (${n} in ${seconds.toFixed(2)} s)`,
  );
  return rate;
}

export interface PipelineFigures {
  pipeline: number;
  parserOnly: number;
  bareWrites: number;
  /** The same writes in one transaction without the inbound row's sync (earlier runs' baseline). */
  bareWritesUnsynced: number;
  /** The same per CPU second of this process. */
  pipelineCpu: number;
  bareWritesCpu: number;
}

/** Runs the measurement; also used by bench/parse.ts when it shows the pipeline next to the parser. */
export async function measurePipeline(n: number, provider: Provider = "sqlite"): Promise<PipelineFigures> {
  const { url, drop } = await createTestDatabaseUrl(provider);
  let store: Store | undefined;
  try {
    await applyMigrations(url);
    store = await openStore(url);
    await seedRosterFixture(store.db);
    const clock = fixedClock("2023-04-10T02:00:00Z");
    const app = testApp(store, clock, { AUTO_CONFIRM: "true" });
    const handle = createInboundHandler(app);
    const texts = Array.from({ length: n }, (_, i) => reportText(i));

    // warm-up (module loading, JIT, prepared statements), not counted
    for (let i = 0; i < WARM_UP; i++) {
      // texts of their own (the timed ones must differ from the last confirmed figures)
      const r = await handle(event(`warm-${i}`, reportText(n + i)));
      if (r.outcome !== "stored") throw new Error(`warm-up message was not stored: ${r.outcome}`);
    }

    const programme = (await loadProgramme(store.db, 2023))!;
    const parseCtx = {
      zones: programme.zones,
      indicators: programme.indicators,
      year: 2023,
      openPeriod: { year: 2023, quarter: 1 as const },
    };
    const parserOnly = await timed(n, (i) => {
      if (parseReport(texts[i]!, parseCtx).sections.length !== 1) throw new Error("parse failed");
    });

    const db = store.db;
    const sql = store.sql;
    const now = clock.now();
    const durable = sql.getDurable ?? sql.get;
    /** One report's writes; `synced`: the inbound row durably first (as the bot stores it), else all in one unsynced transaction. */
    const bareStep = async (tag: string, i: number, revisionNo: number, synced: boolean) => {
      const insertInbound = `INSERT INTO "InboundMessage" ("channel", "externalId", "senderRef", "kind", "text", "receivedAt", "status", "claimedAt")
           VALUES ('console', $1, $2, 'text', $3, $4, 'processing', $4) RETURNING "id"`;
      const inboundParams = [`${tag}-${i}`, ROSTER.contacts.qiannan, texts[i % n]!, now];
      const first = synced ? await durable<{ id: number }>(insertInbound, inboundParams) : undefined;
      await sql.transaction(async (tx) => {
        const inbound = first ?? (await tx.get<{ id: number }>(insertInbound, inboundParams));
        await tx.run(
          `INSERT INTO "ReportRevision" ("year", "quarter", "zoneId", "revisionNo", "status", "values", "contactId", "channel",
             "inboundMessageId", "rawText", "late", "createdAt", "confirmedAt")
           VALUES (2023, 2, $1, $2, 'confirmed', $3, $4, 'console', $5, $6, $7, $8, $8)`,
          [
            ROSTER.zones.huishui,
            revisionNo,
            JSON.stringify({ trade_total: String(30000 + i) }),
            ROSTER.contacts.qiannan,
            Number(inbound!.id),
            texts[i % n]!,
            false,
            now,
          ],
        );
        await app.outbox.enqueue(
          {
            idempotencyKey: `${tag}:${inbound!.id}`,
            channel: "console",
            recipient: ROSTER.contacts.qiannan,
            msgType: "text",
            payload: { content: "已保存" },
            purpose: "reply",
          },
          tx,
        );
        await tx.run(`UPDATE "InboundMessage" SET "status" = 'processed' WHERE "id" = $1`, [
          Number(inbound!.id),
        ]);
      });
    };
    let revisionNo = 0;
    for (let i = 0; i < WARM_UP; i++) await bareStep("bare-warm", i, ++revisionNo, true);
    // The sides take turns in ROUNDS slices of n/ROUNDS messages each (bare, unsynced bare, pipeline,
    // bare, …), their times summed: a machine that gets busier or quieter during the run (a shared
    // disk, other processes) shifts both sides alike instead of the ratio.
    const before = await db.reportRevision.count({ where: { quarter: 1 } });
    const bareCpu = { seconds: 0 };
    const pipelineCpu = { seconds: 0 };
    let bare = 0;
    let bareUnsynced = 0;
    let pipeline = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const from = Math.floor((n * round) / ROUNDS);
      const count = Math.floor((n * (round + 1)) / ROUNDS) - from;
      const cpu = { seconds: 0 };
      bare += await timed(count, (k) => bareStep("bare", from + k, ++revisionNo, true), cpu);
      bareCpu.seconds += cpu.seconds;
      bareUnsynced += await timed(count, (k) => bareStep("bare-unsynced", from + k, ++revisionNo, false));
      pipeline += await timed(
        count,
        async (k) => {
          const i = from + k;
          const r = await handle(event(`run-${i}`, texts[i]!));
          if (r.outcome !== "stored") throw new Error(`message ${i} was not stored: ${r.outcome}`);
        },
        cpu,
      );
      pipelineCpu.seconds += cpu.seconds;
    }
    const stored = (await db.reportRevision.count({ where: { quarter: 1 } })) - before;
    if (stored !== n) throw new Error(`expected ${n} revisions, found ${stored}`);

    return {
      pipeline: n / pipeline,
      parserOnly: n / parserOnly,
      bareWrites: n / bare,
      bareWritesUnsynced: n / bareUnsynced,
      pipelineCpu: n / pipelineCpu.seconds,
      bareWritesCpu: n / bareCpu.seconds,
    };
  } finally {
    await store?.close();
    await drop();
  }

  function event(tag: string, text: string) {
    return {
      channel: "console" as const,
      externalId: `${tag}-${randomUUID()}`,
      senderRef: ROSTER.contacts.qiannan,
      kind: "text" as const,
      text,
      receivedAt: new Date("2023-04-10T02:00:00Z"),
    };
  }
}

/** Messages through the pipeline: 20 per timed parser pass, at least 50 (default 1 000), per store. */
export const pipelineSection: BenchSection = {
  name: "pipeline",
  async run(_replies, opts: BenchOptions): Promise<BenchFigures> {
    const n = Math.max(50, opts.iterations * 20);
    const figures: BenchFigures = {};
    for (const provider of TEST_PROVIDERS) {
      console.log(
        `whole pipeline on a fresh ${provider} store, AUTO_CONFIRM on, ${n} full replies, one at a time`,
      );
      const f = await measurePipeline(n, provider);
      line("baseline: parser alone (same texts)", n, n / f.parserOnly);
      line("baseline: bare writes, inbound row synced first", n, n / f.bareWrites);
      line("(bare writes in one unsynced transaction)", n, n / f.bareWritesUnsynced);
      line("pipeline: handle → revision stored", n, n / f.pipeline);
      console.log(
        `ratio pipeline/bare writes: ${(f.pipeline / f.bareWrites).toFixed(3)}; ` +
          `pipeline/parser alone: ${(f.pipeline / f.parserOnly).toFixed(4)}`,
      );
      console.log(
        `per CPU second of this process: pipeline ${f.pipelineCpu.toFixed(0)}, bare writes ${f.bareWritesCpu.toFixed(0)} ` +
          `(ratio ${(f.pipelineCpu / f.bareWritesCpu).toFixed(3)}; ${(1000 / f.pipelineCpu).toFixed(2)} ms CPU per message)`,
      );
      // SQLite (the embedded default) under the plain names; PostgreSQL with a Pg suffix
      const suffix = provider === "sqlite" ? "" : "Pg";
      figures[`pipelinePerSec${suffix}`] = f.pipeline;
      figures[`bareWritesPerSec${suffix}`] = f.bareWrites;
      figures[`pipelineRatio${suffix}`] = f.pipeline / f.bareWrites;
      figures[`bareWritesUnsyncedPerSec${suffix}`] = f.bareWritesUnsynced;
      figures[`pipelineRatioUnsynced${suffix}`] = f.pipeline / f.bareWritesUnsynced;
      figures[`pipelineCpuPerSec${suffix}`] = f.pipelineCpu;
      figures[`bareWritesCpuPerSec${suffix}`] = f.bareWritesCpu;
    }
    return figures;
  },
};
