import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOf } from "../src/db/database.js";
import type { Sql } from "../src/db/sql.js";
import { createTestStore, type TestStore } from "./support/stores.js";

// Raw SQL and Prisma share the one SQLite connection; their transactions take turns by one lock
// (src/db/sqlite-lock.ts). Checked on a real store: while one kind holds a transaction open, the
// other kind's transaction and raw single statements wait for it — and get it after a commit and
// after a rollback alike.

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

describe("the SQLite connection lock", () => {
  let store: TestStore;
  let sql: Sql;
  const rows = async () =>
    (await sql.all<{ k: string }>(`SELECT "k" FROM "LockProbe" ORDER BY rowid`)).map((r) => r.k);

  beforeAll(async () => {
    store = await createTestStore("sqlite");
    sql = sqlOf(store.db)!;
    await sql.run(`CREATE TABLE "LockProbe" ("k" TEXT NOT NULL)`);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it("a raw transaction and a raw write wait while a Prisma transaction is open, then run after it", async () => {
    await sql.run(`DELETE FROM "LockProbe"`);
    const g = gate();
    const prisma = store.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO "LockProbe" ("k") VALUES ('prisma')`);
      await g.opened;
    });
    await turns();
    let done = 0;
    const raw = sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO "LockProbe" ("k") VALUES ('raw-tx')`);
      done += 1;
    });
    const single = sql.run(`INSERT INTO "LockProbe" ("k") VALUES ('raw-one')`).then(() => {
      done += 1;
    });
    await turns();
    expect(done).toBe(0);
    g.open();
    await Promise.all([prisma, raw, single]);
    expect(await rows()).toEqual(["prisma", "raw-tx", "raw-one"]);
  });

  it("a Prisma transaction waits while a raw transaction is open; a rolled-back Prisma transaction releases the lock", async () => {
    await sql.run(`DELETE FROM "LockProbe"`);
    const g = gate();
    const raw = sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO "LockProbe" ("k") VALUES ('raw')`);
      await g.opened;
    });
    await turns();
    let started = false;
    const prisma = store.db.$transaction(async (tx) => {
      started = true;
      await tx.$executeRawUnsafe(`INSERT INTO "LockProbe" ("k") VALUES ('prisma')`);
      throw new Error("rolled back");
    });
    await turns();
    expect(started).toBe(false);
    g.open();
    await raw;
    await expect(prisma).rejects.toThrow("rolled back");
    // after the rollback the lock is free again for both kinds
    await sql.transaction((tx) => tx.run(`INSERT INTO "LockProbe" ("k") VALUES ('after')`));
    await store.db.$executeRawUnsafe(`INSERT INTO "LockProbe" ("k") VALUES ('prisma-after')`);
    await store.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO "LockProbe" ("k") VALUES ('prisma-tx-after')`);
    });
    expect(await rows()).toEqual(["raw", "after", "prisma-after", "prisma-tx-after"]);
  });
});
