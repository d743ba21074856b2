/**
 * Failure texts that mean "the platform is throttling this account". Data, not logic: add a phrase
 * here when a puppet reports throttling in new words. Strings match case-insensitively as substrings;
 * regular expressions are used as given.
 */
export const RATE_LIMIT_PATTERNS: readonly (string | RegExp)[] = [
  "操作过于频繁",
  "操作太频繁",
  "过于频繁",
  "频繁",
  "频率过快",
  "发送太快",
  "frequent",
  "rate limit",
  "rate-limit",
  "ratelimit",
  "rate_limit",
  "too many",
  "too often",
  "too fast",
  "throttl",
  /\b429\b/,
];

/** The text of an error as platforms report it (message, details, code), for matching and logs. */
export function errorText(err: unknown): string {
  if (typeof err === "string") return err;
  if (err instanceof Error) {
    const extra = err as Error & { details?: unknown; code?: unknown; description?: unknown };
    return [err.message, extra.details, extra.description, extra.code]
      .filter((p) => p !== undefined && p !== null && p !== "")
      .map(String)
      .join(" | ");
  }
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** The first pattern the error matches, or undefined when it is not a rate-limit failure. */
export function matchRateLimit(
  err: unknown,
  patterns: readonly (string | RegExp)[] = RATE_LIMIT_PATTERNS,
): string | undefined {
  const text = errorText(err);
  const lower = text.toLowerCase();
  for (const p of patterns) {
    if (typeof p === "string" ? lower.includes(p.toLowerCase()) : p.test(text)) return String(p);
  }
  return undefined;
}
