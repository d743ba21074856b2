import { close, fsync, mkdtempSync, open, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sql } from "../src/db/sql.js";
import { createConnectionLock } from "../src/db/sqlite-lock.js";
import { type SqliteAdapterHandle, sqliteSql } from "../src/db/sqlite-sql.js";
import { type SyncFs, type WalSyncer, walSyncer } from "../src/db/wal-sync.js";

// The durable commit of SQLite, flushed off the event loop (src/db/wal-sync.ts), on a real WAL file.
// The file-system calls are node:fs; the test only holds each fsync at a gate to see who waits for it.

interface Gate {
  /** Paths of the descriptors fsync was called on, in order. */
  synced: string[];
  /** Lets the oldest held fsync run (or the next one at once). */
  release(): void;
  /** Makes the next released fsync fail (as EIO would). */
  failNext(): void;
  held(): number;
}

function gatedFs(): { fs: SyncFs; gate: Gate } {
  const waiting: (() => void)[] = [];
  let open_ = 0;
  let fail = false;
  const synced: string[] = [];
  const fs: SyncFs = {
    open: (path, cb) => open(path, "r", cb),
    close: (fd, cb) => close(fd, cb),
    fsync: (fd, cb) => {
      const path = readlinkSync(`/proc/self/fd/${fd}`);
      waiting.push(() => {
        synced.push(path);
        if (fail) {
          fail = false;
          cb(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
        } else fsync(fd, cb);
      });
      if (open_ > 0) {
        open_ -= 1;
        waiting.shift()!();
      }
    },
  };
  return {
    fs,
    gate: {
      synced,
      release: () => {
        const next = waiting.shift();
        if (next) next();
        else open_ += 1;
      },
      failNext: () => {
        fail = true;
      },
      held: () => waiting.length,
    },
  };
}

/** The adapter's part that sqliteSql uses: the connection and the connection lock. */
function adapterOf(client: Database.Database): SqliteAdapterHandle {
  const lock = createConnectionLock();
  return { client, lock: () => lock.acquire() };
}

/**
 * Gives what could settle time to settle: the file calls run on libuv's thread pool, so this waits
 * real time (used before "not yet" checks), or until `done()` holds (before "now it has" checks).
 */
const turns = async (done?: () => boolean) => {
  const until = Date.now() + (done ? 5000 : 50);
  while (Date.now() < until && !done?.()) await new Promise((r) => setTimeout(r, 5));
};

const state = <T>(p: Promise<T>) => {
  const s = { done: false, failed: undefined as unknown };
  p.then(
    () => {
      s.done = true;
    },
    (e: unknown) => {
      s.failed = e;
    },
  );
  return s;
};

describe("WAL flush off the event loop (SQLite durable commits)", () => {
  let dir: string;
  let file: string;
  let client: Database.Database;
  let reader: Database.Database;
  let syncer: WalSyncer;
  let gate: Gate;
  let sql: Sql;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kaiqu-walsync-"));
    file = join(dir, "store.db");
    client = new Database(file);
    client.pragma("journal_mode = WAL");
    client.pragma("synchronous = NORMAL");
    client.exec(`CREATE TABLE "Probe" ("k" TEXT PRIMARY KEY)`);
    reader = new Database(file, { readonly: true });
    const g = gatedFs();
    gate = g.gate;
    syncer = walSyncer(file, g.fs);
    sql = sqliteSql(adapterOf(client), syncer);
  });
  afterEach(async () => {
    for (let i = 0; i < 20; i++) {
      while (gate.held() > 0) gate.release();
      await turns();
    }
    await syncer.close();
    reader.close();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const visible = (k: string) =>
    (reader.prepare(`SELECT count(*) AS n FROM "Probe" WHERE "k" = ?`).get(k) as { n: number }).n;
  const insert = `INSERT INTO "Probe" ("k") VALUES ($1) RETURNING "k"`;

  it("getDurable settles only after the WAL file (and its folder, once) was flushed", async () => {
    const p = state(sql.getDurable!(insert, ["a"]));
    await turns();
    expect(visible("a")).toBe(1); // committed at once, with synchronous=NORMAL
    expect(p.done).toBe(false); // but not reported stored before the flush
    gate.release(); // the folder
    await turns();
    expect(p.done).toBe(false);
    gate.release(); // the WAL file
    await turns(() => p.done);
    expect(p.done).toBe(true);
    expect(gate.synced).toEqual([dir, `${file}-wal`]);
    expect(client.pragma("synchronous", { simple: true })).toBe(1);
    // the folder is flushed once; later commits flush the WAL file alone
    const q = state(sql.getDurable!(insert, ["b"]));
    await turns(() => gate.held() === 1);
    gate.release();
    await turns(() => q.done);
    expect(q.done).toBe(true);
    expect(gate.synced).toEqual([dir, `${file}-wal`, `${file}-wal`]);
  });

  it("getSyncing settles at the commit; later writes wait for the flush, reads do not", async () => {
    gate.release(); // the folder flush passes at once
    const row = await sql.getSyncing!<{ k: string }>(insert, ["a"]);
    expect(row).toEqual({ k: "a" });
    await turns(() => gate.held() === 1);
    expect(gate.held()).toBe(1); // the WAL flush is still running
    const tx = state(sql.transaction((t) => t.run(`INSERT INTO "Probe" ("k") VALUES ('t')`)));
    const write = state(sql.run(`INSERT INTO "Probe" ("k") VALUES ('w')`));
    const claim = state(sql.get(`UPDATE "Probe" SET "k" = 'a2' WHERE "k" = 'a' RETURNING "k"`));
    const read = state(sql.get(`SELECT count(*) AS n FROM "Probe"`));
    const synced = state(sql.synced!());
    await turns();
    expect(read.done).toBe(true);
    expect([tx.done, write.done, claim.done, synced.done]).toEqual([false, false, false, false]);
    expect(visible("t") + visible("w")).toBe(0);
    gate.release();
    await turns(() => tx.done && write.done && claim.done && synced.done);
    expect([tx.done, write.done, claim.done, synced.done]).toEqual([true, true, true, true]);
    expect(visible("t") + visible("w") + visible("a2")).toBe(3);
  });

  it("requests made while a flush runs share the next one (a flush started earlier does not cover them)", async () => {
    gate.release(); // the folder
    const first = state(sql.getDurable!(insert, ["a"]));
    await turns(() => gate.held() === 1);
    expect(gate.held()).toBe(1);
    const later = ["b", "c", "d"].map((k) => state(sql.getDurable!(insert, [k])));
    await turns();
    expect(gate.held()).toBe(1); // queued behind the running flush, not started
    gate.release();
    await turns(() => first.done && gate.held() === 1);
    expect(first.done).toBe(true);
    expect(later.map((s) => s.done)).toEqual([false, false, false]);
    await turns();
    expect(gate.held()).toBe(1); // one flush for the three
    gate.release();
    await turns(() => later.every((s) => s.done));
    expect(later.map((s) => s.done)).toEqual([true, true, true]);
    expect(gate.synced.filter((p) => p.endsWith("-wal"))).toHaveLength(2);
  });

  it("a failed flush fails the durable statement and the writes waiting for it; the next flush is tried anew", async () => {
    gate.release(); // the folder
    await sql.getSyncing!(insert, ["a"]);
    await turns(() => gate.held() === 1);
    const durable = state(sql.getDurable!(insert, ["b"])); // queued behind a's flush
    const write = state(sql.run(`INSERT INTO "Probe" ("k") VALUES ('w')`));
    await turns(() => visible("b") === 1); // b committed, its flush queued
    gate.failNext();
    gate.release(); // a's flush fails: b's, queued behind it, and the write waiting for both fail with it
    await turns(() => durable.failed !== undefined && write.failed !== undefined);
    expect((durable.failed as { code?: string } | undefined)?.code).toBe("EIO");
    expect((write.failed as { code?: string } | undefined)?.code).toBe("EIO");
    expect(visible("w")).toBe(0);
    expect(gate.held()).toBe(0); // b's flush never ran
    // nothing is outstanding any more: a write runs, and a new durable statement gets a new flush
    await expect(sql.run(`INSERT INTO "Probe" ("k") VALUES ('x')`)).resolves.toBe(1);
    const again = state(sql.getDurable!(insert, ["c"]));
    await turns();
    expect(again.done).toBe(false);
    await turns(() => gate.held() === 1);
    gate.release();
    await turns(() => again.done);
    expect(again.done).toBe(true);
  });
});
