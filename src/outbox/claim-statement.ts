import type { SqlParam } from "../db/sql.js";
import type { OutboxChannel } from "../domain/codes.js";
import { SqlParams } from "./sql-params.js";

export interface ClaimOptions {
  instanceId: string;
  limit: number;
  leaseMs: number;
  channels: OutboxChannel[];
  now: Date;
}

/**
 * The claim as one conditional `UPDATE … RETURNING` (`$n` placeholders on both stores): due pending
 * rows and sending rows whose lease ran out, in id order, none behind an earlier row of the same
 * channel, recipient and purpose that waits (pending in the future, or being sent under a live
 * claim). See Outbox.claim for the guarantees. The two stores get the same condition in two forms,
 * each the one its planner runs well (measured with 10 000 queued rows, 8 000 of them held back):
 * - SQLite plans without statistics (no ANALYZE). Asked per candidate (NOT EXISTS, two index searches
 *   each), every claim cost 9–13 ms with 10 000 due rows; and it found the candidates by searching the
 *   (channel, recipient, …) index by channel alone — every row of the channel, sent ones included, so
 *   the claim grew with the table's history. Here `w` gathers the first waiting id of each group once
 *   (the waiting rows are few: a deferred head per recipient, the rows in flight), a candidate is
 *   claimable when its id is below it, and SQLite's unary `+` keeps the candidates on the
 *   (status, nextAttemptAt) index: 2–3 ms. test/outbox-claim-plan.test.ts holds the plan.
 * - PostgreSQL plans from its statistics: the NOT EXISTS form took 40 ms on a table never analysed and
 *   10 ms once analysed; the grouped form 184 ms and 12 ms (unanalysed, the planner took `w` for one
 *   row and sorted it again for every candidate), so PostgreSQL keeps NOT EXISTS.
 */
export function claimStatement(provider: string, o: ClaimOptions): { sql: string; params: SqlParam[] } {
  const staleBefore = new Date(o.now.getTime() - o.leaseMs);
  const q = new SqlParams(provider, true);
  const pNow = () => q.time(o.now);
  const pStale = () => q.time(staleBefore);
  const set = `status = 'sending', "claimedBy" = ${q.value(o.instanceId)}, "claimedAt" = ${pNow()},
      "uncertainSince" = CASE WHEN status = 'sending' THEN COALESCE("uncertainSince", "claimedAt", ${pNow()}) ELSE "uncertainSince" END`;
  const candidate = (channel: string) => `${channel} IN (${o.channels.map((c) => q.value(c)).join(", ")})
        AND ((c.status = 'pending' AND c."nextAttemptAt" <= ${pNow()})
          OR (c.status = 'sending' AND (c."claimedAt" < ${pStale()} OR c."claimedAt" IS NULL)))`;
  const sql =
    provider === "postgresql"
      ? `UPDATE "OutboundMessage" SET ${set}
    WHERE id IN (
      SELECT c.id FROM "OutboundMessage" c
      WHERE ${candidate("c.channel")}
        AND NOT EXISTS (
          SELECT 1 FROM "OutboundMessage" w
          WHERE w.channel = c.channel AND w.recipient = c.recipient AND w.purpose = c.purpose
            AND w.status = 'pending' AND w."nextAttemptAt" > ${pNow()} AND w.id < c.id)
        AND NOT EXISTS (
          SELECT 1 FROM "OutboundMessage" w
          WHERE w.channel = c.channel AND w.recipient = c.recipient AND w.purpose = c.purpose
            AND w.status = 'sending' AND w."claimedAt" >= ${pStale()} AND w.id < c.id)
      ORDER BY c.id LIMIT ${q.value(o.limit)})
    RETURNING *`
      : `UPDATE "OutboundMessage" SET ${set}
    WHERE id IN (
      SELECT c.id FROM "OutboundMessage" c
      LEFT JOIN (
        SELECT channel, recipient, purpose, MIN(id) AS "firstWaiting" FROM "OutboundMessage"
        WHERE (status = 'pending' AND "nextAttemptAt" > ${pNow()}) OR (status = 'sending' AND "claimedAt" >= ${pStale()})
        GROUP BY channel, recipient, purpose) w
        ON w.channel = c.channel AND w.recipient = c.recipient AND w.purpose = c.purpose
      WHERE ${candidate("+c.channel")}
        AND (w."firstWaiting" IS NULL OR c.id < w."firstWaiting")
      ORDER BY c.id LIMIT ${q.value(o.limit)})
    RETURNING *`;
  return { sql, params: q.params as SqlParam[] };
}
