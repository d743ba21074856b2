import { type Db, isUniqueViolation, type Tx } from "../db/database.js";

export interface Heartbeat {
  name: string;
  lastRunAt: Date;
  lastError: string | null;
  instance: string;
}

/** Records that a periodic job ran (for /healthz and `kaiqu status`); safe when instances race. */
export async function recordHeartbeat(
  db: Db | Tx,
  beat: { name: string; at: Date; instance: string; error?: string },
): Promise<void> {
  const data = { lastRunAt: beat.at, lastError: beat.error?.slice(0, 1000) ?? null, instance: beat.instance };
  try {
    await db.jobHeartbeat.upsert({
      where: { name: beat.name },
      create: { name: beat.name, ...data },
      update: data,
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await db.jobHeartbeat.update({ where: { name: beat.name }, data });
  }
}

export async function readHeartbeat(db: Db | Tx, name: string): Promise<Heartbeat | undefined> {
  return (await db.jobHeartbeat.findUnique({ where: { name } })) ?? undefined;
}
