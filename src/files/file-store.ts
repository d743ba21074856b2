import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SpreadsheetKind } from "./sheet-grid.js";

export interface StoredFile {
  sha256: string;
  /** Relative to the store folder: "<sha256>.<ext>". */
  path: string;
  name: string;
}

/**
 * Keeps a copy of a submitted file under its content hash (written once, atomically by rename), so a
 * revision can name its raw input and the task force can fetch it later (`原件`, `report file`).
 */
export function storeFileCopy(dir: string, bytes: Buffer, name: string, kind: SpreadsheetKind): StoredFile {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const rel = `${sha256}.${kind}`;
  const full = path.join(dir, rel);
  if (!existsSync(full)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${full}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, full);
  }
  return { sha256, path: rel, name: safeFileName(name, kind) };
}

/** The stored copy's bytes, checked against its hash (undefined when missing or altered). */
export function readFileCopy(dir: string, file: { sha256: string; path: string }): Buffer | undefined {
  if (!/^[0-9a-f]{64}\.(xlsx|xls|csv)$/.test(file.path)) return undefined;
  const full = path.join(dir, file.path);
  if (!existsSync(full)) return undefined;
  const bytes = readFileSync(full);
  return createHash("sha256").update(bytes).digest("hex") === file.sha256 ? bytes : undefined;
}

/** A file name without folders or control characters, with the extension its content has. */
export function safeFileName(name: string, kind: SpreadsheetKind): string {
  const base = name
    .replace(/^.*[\\/]/, "")
    .replace(/[<>:"|?*]/g, "")
    .replace(/\p{Cc}/gu, "")
    .trim();
  const stem = base.replace(/\.[^.]*$/, "") || "报送";
  return `${stem.slice(0, 80)}.${kind}`;
}
