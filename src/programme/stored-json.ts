import type { z } from "zod";

/** Parses a JSON column with its schema; a bad value names the row it came from. */
export function parseStoredJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  try {
    return schema.parse(JSON.parse(text));
  } catch (e) {
    throw new Error(
      `stored ${what} is not valid JSON of the expected shape: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
