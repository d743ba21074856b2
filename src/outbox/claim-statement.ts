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
 * claim). See Outbox.claim for the guarantees.
 *
 * Cost, measured with 10 000 queued rows (test/outbox-claim-plan.test.ts holds the plan):
 * - The waiting rows are few (a deferred head per recipient, the rows in flight): `w` gathers the
 *   first waiting id of each group once per claim, and a candidate is claimable when its id is
 *   below it. Asking per candidate (NOT EXISTS, two index searches each) made every claim cost
 *   O(queued rows) searches: 9–13 ms per claim with 10 000 due rows, against 2–3 ms now.
 * - Candidates come through the (status, nextAttemptAt) index, which holds the few pending and
 *   sending rows among every row ever sent. SQLite keeps no statistics (no ANALYZE) and, left
 *   alone, searches the (channel, recipient, …) index by channel alone — every row of the channel,
 *   sent ones included, so the claim would grow with the table's history. SQLite's unary `+`
 *   takes the channel term off index use; PostgreSQL plans from its statistics.
 */
export function claimStatement(provider: string, o: ClaimOptions): { sql: string; params: SqlParam[] } {
  const staleBefore = new Date(o.now.getTime() - o.leaseMs);
  const q = new SqlParams(provider, true);
  const pNow = () => q.time(o.now);
  const pStale = () => q.time(staleBefore);
  const channel = provider === "postgresql" ? "c.channel" : "+c.channel";
  const sql = `UPDATE "OutboundMessage" SET status = 'sending', "claimedBy" = ${q.value(o.instanceId)}, "claimedAt" = ${pNow()},
      "uncertainSince" = CASE WHEN status = 'sending' THEN COALESCE("uncertainSince", "claimedAt", ${pNow()}) ELSE "uncertainSince" END
    WHERE id IN (
      SELECT c.id FROM "OutboundMessage" c
      LEFT JOIN (
        SELECT channel, recipient, purpose, MIN(id) AS "firstWaiting" FROM "OutboundMessage"
        WHERE (status = 'pending' AND "nextAttemptAt" > ${pNow()}) OR (status = 'sending' AND "claimedAt" >= ${pStale()})
        GROUP BY channel, recipient, purpose) w
        ON w.channel = c.channel AND w.recipient = c.recipient AND w.purpose = c.purpose
      WHERE ${channel} IN (${o.channels.map((c) => q.value(c)).join(", ")})
        AND ((c.status = 'pending' AND c."nextAttemptAt" <= ${pNow()})
          OR (c.status = 'sending' AND (c."claimedAt" < ${pStale()} OR c."claimedAt" IS NULL)))
        AND (w."firstWaiting" IS NULL OR c.id < w."firstWaiting")
      ORDER BY c.id LIMIT ${q.value(o.limit)})
    RETURNING *`;
  return { sql, params: q.params as SqlParam[] };
}
