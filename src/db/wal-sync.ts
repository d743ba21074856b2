import { close, fsync, open } from "node:fs";
import { dirname } from "node:path";

/**
 * Makes SQLite's WAL commits durable off the event loop. The store commits with synchronous=NORMAL
 * (the frames are written to the WAL file but not flushed); a commit that must survive a power loss
 * then asks `sync()`, which flushes the WAL file with fsync(2) on libuv's thread pool — the same flush
 * SQLite does at a synchronous=FULL commit, but without blocking the event loop for it (with FULL,
 * better-sqlite3 waits for the disk on the main thread: nothing else runs, not even another request's
 * parsing). fsync flushes the file, whichever descriptor names it, so every commit written before the
 * flush started is durable once it settles. A checkpoint in between is harmless: with NORMAL, SQLite
 * syncs the WAL before a checkpoint and the database file after it.
 *
 * Requests coalesce (group commit): while one flush runs, every later request shares the next one,
 * which starts when it ends — a flush that started before a commit does not cover it. When a flush
 * fails, the one queued behind it fails too without running (after a failed fsync the kernel may have
 * dropped the dirty pages, so a later success would not prove those commits are on disk); the next
 * request starts a new flush.
 *
 * `pending()` is the write barrier: the flush (running or queued) that every sync asked for so far
 * waits on, or undefined when none is outstanding.
 */
export interface WalSyncer {
  sync(): Promise<void>;
  pending(): Promise<void> | undefined;
  close(): Promise<void>;
}

/** The file-system calls a syncer makes (node:fs by default; a test may slow or fail them). */
export interface SyncFs {
  open(path: string, cb: (err: NodeJS.ErrnoException | null, fd: number) => void): void;
  fsync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
  close(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
}

const nodeFs: SyncFs = {
  open: (path, cb) => open(path, "r", cb),
  fsync: (fd, cb) => fsync(fd, cb),
  close: (fd, cb) => close(fd, cb),
};

const call = <T>(f: (cb: (err: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v as T))));

/** A syncer for the database file `dbPath` (its WAL is `${dbPath}-wal`). */
export function walSyncer(dbPath: string, fs: SyncFs = nodeFs): WalSyncer {
  let fd: Promise<number> | undefined;
  /**
   * The WAL file is opened at the first flush (it exists once a commit has been written). Its
   * directory is flushed once then too, so that the WAL file's own entry survives (SQLite does the
   * same for a newly created WAL at its first sync).
   */
  const walFd = () => {
    fd ??= (async () => {
      const dir = await call<number>((cb) => fs.open(dirname(dbPath), cb));
      try {
        await call<void>((cb) => fs.fsync(dir, cb));
      } finally {
        await call<void>((cb) => fs.close(dir, cb)).catch(() => {});
      }
      return call<number>((cb) => fs.open(`${dbPath}-wal`, cb));
    })().catch((e: unknown) => {
      fd = undefined; // the next request tries again
      throw e;
    });
    return fd;
  };
  const flush = async () => {
    const n = await walFd();
    await call<void>((cb) => fs.fsync(n, cb));
  };
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const p = flush().finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };
  return {
    sync() {
      if (queued) return queued;
      if (!running) return start();
      // the commits behind a failed flush are not known to be on disk either: they fail with it
      const q = running.then(
        () => {
          queued = undefined;
          return start();
        },
        (e: unknown) => {
          queued = undefined;
          throw e;
        },
      );
      queued = q;
      return q;
    },
    pending: () => queued ?? running,
    async close() {
      await (queued ?? running)?.catch(() => {});
      const open = fd;
      fd = undefined;
      if (open) await open.then((n) => call<void>((cb) => fs.close(n, cb))).catch(() => {});
    },
  };
}
