import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parsePeriodKey } from "../../src/domain/period.js";
import type { ParseContext } from "../../src/parsing/parsed-report.js";
import { sampleParseContext } from "./sample-parse-context.js";

export const REPLIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/replies");

const issueSchema = z.object({
  code: z.string(),
  field: z.string().optional(),
  zoneId: z.string().optional(),
});

export const replyCaseSchema = z
  .object({
    name: z.string(),
    text: z.string(),
    /** The quarter open at the time (default 2023Q1); "none" = no open quarter. */
    openPeriod: z.string().optional(),
    year: z.number().int().optional(),
    defaultZoneId: z.string().optional(),
    expected: z
      .object({
        /** "2023Q1", or null when no period is expected. */
        period: z.string().nullable().optional(),
        periodSource: z.enum(["explicit", "implicit", "none"]).optional(),
        sections: z.array(z.object({ zoneId: z.string(), values: z.record(z.string(), z.string()) })),
        unassigned: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    /** When given: exactly these note codes, in any order (what is named back without refusing). */
    expectedNotes: z.array(z.string()).optional(),
    /** Exactly these issues (code, and field/zoneId when given) — no more, no fewer. */
    expectedIssues: z.array(issueSchema).optional(),
  })
  .refine((c) => c.expected || c.expectedIssues, "a case needs expected or expectedIssues");
export type ReplyCase = z.infer<typeof replyCaseSchema>;

const fileSchema = z.object({ about: z.string(), cases: z.array(replyCaseSchema) });

export function loadReplyCases(): { file: string; case: ReplyCase }[] {
  const out: { file: string; case: ReplyCase }[] = [];
  for (const file of readdirSync(REPLIES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const parsed = fileSchema.parse(JSON.parse(readFileSync(path.join(REPLIES_DIR, file), "utf8")));
    for (const c of parsed.cases) out.push({ file, case: c });
  }
  return out;
}

export function contextFor(c: ReplyCase): ParseContext {
  const open = c.openPeriod === "none" ? null : parsePeriodKey(c.openPeriod ?? "2023Q1");
  if (open === undefined) throw new Error(`bad openPeriod in fixture ${c.name}`);
  return sampleParseContext({
    openPeriod: open,
    ...(c.year ? { year: c.year } : {}),
    ...(c.defaultZoneId ? { defaultZoneId: c.defaultZoneId } : {}),
  });
}
