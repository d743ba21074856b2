import type { ChangeCount, RowChange } from "./programme-data.js";

/** Field-by-field equality of the fields `desired` has (the stored row may carry more). */
function same(stored: Record<string, unknown>, desired: Record<string, unknown>): boolean {
  return Object.entries(desired).every(([k, v]) => stored[k] === v);
}

export interface SyncPlan<S, D> {
  stored: S[];
  desired: D[];
  storedKey(s: S): string;
  desiredKey(d: D): string;
  /** Desired row in the stored row's column form (JSON arrays as text). */
  columns(d: D): Record<string, unknown>;
  create(rows: Record<string, unknown>[]): Promise<unknown>;
  update(s: S, columns: Record<string, unknown>): Promise<unknown>;
  /** What happens to stored rows absent from the desired ones. */
  absent?: { kind: "delete" | "deactivate"; apply(rows: S[]): Promise<unknown> };
  /**
   * Columns with a unique index: before the updates, every stored row whose value in such a column
   * changes gives it up (takes `placeholder`), so that a value moving to another row, or two rows
   * swapping values, never meets its old holder halfway through the updates.
   */
  unique?: { columns: string[]; placeholder(s: S, column: string): unknown };
}

const shown = (v: unknown): string =>
  v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);

/** How a changed row is named in a preview: its name (when it has one) and its key. */
function rowLabel(key: string, row: Record<string, unknown>): string {
  const k = key.split("\u0000").filter(Boolean).join(" · ");
  return typeof row.name === "string" && row.name !== k ? `${row.name}（${k}）` : k;
}

function note(count: ChangeCount, kind: RowChange["kind"], key: string, row: object, cols?: object): void {
  if (!count.rows) return;
  const held = row as Record<string, unknown>;
  const fields = cols
    ? Object.entries(cols)
        .filter(([k, v]) => kind === "created" || held[k] !== v)
        .map(([column, v]) => ({
          column,
          before: kind === "created" ? "" : shown(held[column]),
          after: shown(v),
        }))
    : [];
  count.rows.push({ kind, row: rowLabel(key, (cols ?? row) as Record<string, unknown>), fields });
}

/**
 * Writes only what differs, so that applying the same data twice touches nothing (and
 * @updatedAt columns do not move).
 */
export async function sync<S extends object, D>(plan: SyncPlan<S, D>, count: ChangeCount): Promise<void> {
  const byKey = new Map(plan.stored.map((s) => [plan.storedKey(s), s]));
  const desiredKeys = new Set<string>();
  const creates: Record<string, unknown>[] = [];
  const updates: Array<[S, Record<string, unknown>]> = [];
  for (const d of plan.desired) {
    const key = plan.desiredKey(d);
    desiredKeys.add(key);
    const cols = plan.columns(d);
    const s = byKey.get(key);
    if (!s) {
      creates.push(cols);
      note(count, "created", key, cols, cols);
    } else if (same(s as Record<string, unknown>, cols)) count.unchanged++;
    else {
      updates.push([s, cols]);
      note(count, "updated", key, s, cols);
    }
  }
  for (const [s, cols] of updates) {
    const held = s as Record<string, unknown>;
    const moving = (plan.unique?.columns ?? []).filter((c) => held[c] != null && held[c] !== cols[c]);
    if (moving.length > 0)
      await plan.update(s, Object.fromEntries(moving.map((c) => [c, plan.unique!.placeholder(s, c)])));
  }
  for (const [s, cols] of updates) {
    await plan.update(s, cols);
    count.updated++;
  }
  if (creates.length > 0) {
    await plan.create(creates);
    count.created += creates.length;
  }
  if (plan.absent) {
    const gone = plan.stored.filter(
      (s) =>
        !desiredKeys.has(plan.storedKey(s)) &&
        (plan.absent?.kind === "delete" || (s as { active?: boolean }).active !== false),
    );
    if (gone.length > 0) {
      await plan.absent.apply(gone);
      for (const g of gone)
        note(count, plan.absent.kind === "delete" ? "deleted" : "deactivated", plan.storedKey(g), g);
      if (plan.absent.kind === "delete") count.deleted += gone.length;
      else count.deactivated += gone.length;
    }
  }
}
