/**
 * Positional parameters for raw SQL on either store ($n on PostgreSQL, ? on SQLite): every
 * placeholder binds the value it was made with, so make them in the order they appear in the text. Times are compared as the ORM stores
 * them: ISO text on SQLite, `timestamp(3)` in UTC on PostgreSQL.
 */
export class SqlParams {
  readonly params: unknown[] = [];
  /** `numbered`: `$n` on SQLite too (the raw-SQL layer src/db/sql.ts takes `$n` on both stores). */
  constructor(
    private readonly provider: string,
    private readonly numbered = false,
  ) {}
  value(v: unknown): string {
    this.params.push(v);
    return this.provider === "postgresql" || this.numbered ? `$${this.params.length}` : "?";
  }
  time(d: Date): string {
    if (this.provider !== "postgresql") return this.value(d);
    return `(${this.value(d.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
  }
}
