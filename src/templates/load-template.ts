import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's `templates/` directory (data editable without code). */
export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../templates");

const cache = new Map<string, string>();

/**
 * Reads `templates/<name>` (UTF-8, BOM stripped, CRLF → LF). Cached per process; throws a clear error when
 * the file is missing. `name` may contain sub-directories but must stay inside `templates/`.
 */
export function loadTemplate(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const file = path.resolve(TEMPLATES_DIR, name);
  if (!file.startsWith(TEMPLATES_DIR + path.sep))
    throw new Error(`template name outside templates/: ${name}`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`template not found: templates/${name} (${(err as Error).message})`);
  }
  text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  cache.set(name, text);
  return text;
}

/** Forgets cached templates (tests that edit a template file). */
export function clearTemplateCache(): void {
  cache.clear();
}
