/**
 * The one lock of the SQLite connection: whoever holds it may open a transaction on it — a Prisma
 * transaction (through the adapter, see lockAdapterTransactions) or a raw one (sqlite-sql.ts). Raw
 * transactions used to take the adapter's own mutex through its startTransaction, which also runs a
 * freshly prepared BEGIN that the raw side then had to commit before its BEGIN IMMEDIATE: three
 * statements, a prepare and the adapter's debug calls per transaction, about 4 % of a report
 * message's CPU. Now the raw side takes this lock alone. FIFO; `acquire` resolves with the release
 * function (calling it again is harmless).
 */
export interface ConnectionLock {
  acquire(): Promise<() => void>;
}

export function createConnectionLock(): ConnectionLock {
  let tail: Promise<void> = Promise.resolve();
  return {
    acquire() {
      let unlock!: () => void;
      const mine = new Promise<void>((resolve) => {
        unlock = resolve;
      });
      const before = tail;
      tail = before.then(() => mine);
      return before.then(() => {
        let released = false;
        return () => {
          if (released) return;
          released = true;
          unlock();
        };
      });
    },
  };
}

/** What the Prisma driver adapter's transactions look like (@prisma/driver-adapter-utils). */
interface AdapterTransaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
interface TransactionalAdapter {
  startTransaction(...args: unknown[]): Promise<AdapterTransaction>;
}

/**
 * Makes every Prisma transaction on `adapter` hold `lock` from its start until its commit or
 * rollback, so that no raw transaction is open on the connection meanwhile and none starts.
 */
export function lockAdapterTransactions(adapter: TransactionalAdapter, lock: ConnectionLock): void {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args: unknown[]) => {
    const release = await lock.acquire();
    let tx: AdapterTransaction;
    try {
      tx = await start(...args);
    } catch (e) {
      release();
      throw e;
    }
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => commit().finally(release);
    tx.rollback = () => rollback().finally(release);
    return tx;
  };
}
