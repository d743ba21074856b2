import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../project-root.js";

/** The repository's `templates/` directory (data editable without code). */
export const TEMPLATES_DIR = path.join(projectRoot(import.meta.url), "templates");

const cache = new Map<string, { mtimeMs: number; text: string }>();

/**
 * Reads `templates/<name>` (UTF-8, BOM stripped, CRLF → LF). Cached until the file changes (an edited
 * template reaches a running bot without a restart); throws a clear error when the file is missing.
 * `name` may contain sub-directories but must stay inside `templates/`.
 */
export function loadTemplate(name: string): string {
  const file = path.resolve(TEMPLATES_DIR, name);
  if (!file.startsWith(TEMPLATES_DIR + path.sep))
    throw new Error(`template name outside templates/: ${name}`);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch (err) {
    throw new Error(`template not found: templates/${name} (${(err as Error).message})`);
  }
  const cached = cache.get(name);
  if (cached && cached.mtimeMs === mtimeMs) return cached.text;
  const text = readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n");
  cache.set(name, { mtimeMs, text });
  return text;
}

/** Forgets cached templates (tests that edit a template file). */
export function clearTemplateCache(): void {
  cache.clear();
}
