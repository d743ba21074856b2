import { mkdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The configured store cannot be opened for a reason the operator must fix (a folder that is a
 * file, a virtual file system, no permission). The message is one line, Chinese + English, and says
 * what to do; the bot and the CLI print it without a stack trace and exit non-zero.
 */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreOpenError";
  }
}

/** Kernel file systems: SQLite cannot keep a database there, and mkdir/locking on them can hang. */
const VIRTUAL_ROOTS = ["/proc", "/sys", "/dev"];

/**
 * Checks and creates the folder of a SQLite database file before SQLite touches it. Never calls
 * into a virtual file system, and walks up to the nearest existing ancestor itself, so that a path
 * component that is a file is named in the message instead of surfacing as EEXIST/ENOTDIR.
 */
export function prepareSqliteFolder(file: string): void {
  const hint = "把 DATABASE_URL 改为可写文件夹中的文件，例如 file:./data/kaiqu.db";
  const hintEn = "set DATABASE_URL to a file in a writable folder, e.g. file:./data/kaiqu.db";
  const root = VIRTUAL_ROOTS.find((r) => file === r || file.startsWith(`${r}/`));
  if (root)
    throw new StoreOpenError(
      `DATABASE_URL 指向系统虚拟文件夹 ${root}（${file}），不能存放数据库；请${hint} / DATABASE_URL points into the virtual file system ${root}; ${hintEn}`,
    );
  const folder = path.dirname(file);
  let existing = folder;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(existing);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw accessError(folder, code, hint, hintEn);
    }
    if (st) {
      if (!st.isDirectory())
        throw new StoreOpenError(
          `DATABASE_URL 的文件夹路径中 ${existing} 是一个文件而不是文件夹；请删除或改名该文件，或${hint} / a file stands where the DATABASE_URL folder should be (${existing}): remove or rename it, or ${hintEn}`,
        );
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    mkdirSync(folder, { recursive: true });
  } catch (e) {
    throw accessError(folder, (e as NodeJS.ErrnoException).code, hint, hintEn);
  }
}

function accessError(folder: string, code: string | undefined, hint: string, hintEn: string): StoreOpenError {
  return new StoreOpenError(
    `无法创建或访问数据库文件夹 ${folder}（${code ?? "错误"}）；请检查权限，或${hint} / cannot create or open the store folder ${folder} (${code ?? "error"}): check permissions, or ${hintEn}`,
  );
}
