import type { Db, Tx } from "../db/database.js";
import { type Period, periodShortLabel } from "../domain/period.js";
import type { Programme } from "../programme/programme.js";
import { quarterDef, zonesOfPrefecture } from "../programme/programme.js";
import { dayjs, formatLocal, localDate } from "../time/clock.js";
import { listLatestConfirmed } from "./confirmed-reports.js";

/** "截止2023-04-22，还有3天" / "已逾期2天" */
export function deadlineNote(p: Programme, period: Period, now: Date): string {
  const deadline = quarterDef(p, period.quarter).deadline;
  const days = dayjs(deadline).diff(dayjs(localDate(now)), "day");
  if (days > 0) return `截止${deadline}，还有${days}天`;
  if (days === 0) return `截止${deadline}，今天截止`;
  return `截止${deadline}，已逾期${-days}天`;
}

/**
 * `进度` for a bureau contact or lead: which of the prefecture's zones have a confirmed report for
 * the period (latest revision, when, by whom, late or not) and which have none.
 */
export async function bureauProgressMessage(
  db: Db | Tx,
  p: Programme,
  period: Period,
  prefectureCode: string,
  now: Date,
): Promise<string> {
  const pref = p.prefectures.find((x) => x.code === prefectureCode);
  const zones = zonesOfPrefecture(p, prefectureCode);
  const confirmed = await listLatestConfirmed(
    db,
    period,
    zones.map((z) => z.id),
  );
  const names = new Map(
    (
      await db.contact.findMany({
        where: { id: { in: confirmed.map((c) => c.contactId) } },
        select: { id: true, name: true },
      })
    ).map((c) => [c.id, c.name]),
  );
  const lines = [
    `${pref?.name ?? prefectureCode} ${periodShortLabel(period)}报送进度（${deadlineNote(p, period, now)}）：`,
  ];
  const done = zones.filter((z) => confirmed.some((c) => c.zoneId === z.id));
  const todo = zones.filter((z) => !confirmed.some((c) => c.zoneId === z.id));
  lines.push(`已报送（${done.length}）：`);
  for (const z of done) {
    const c = confirmed.find((x) => x.zoneId === z.id)!;
    lines.push(
      `· ${z.name}：第${c.revisionNo}版，${formatLocal(c.confirmedAt)} ${names.get(c.contactId) ?? c.contactId}报送${c.late ? "（逾期）" : ""}`,
    );
  }
  if (done.length === 0) lines.push("· （无）");
  lines.push(`未报送（${todo.length}）：`);
  for (const z of todo) lines.push(`· ${z.name}`);
  if (todo.length === 0) lines.push("· （无，已全部报送）");
  return lines.join("\n");
}

/** `进度` for the task force: per prefecture, how many of its zones have reported. */
export async function overallProgressMessage(
  db: Db | Tx,
  p: Programme,
  period: Period,
  now: Date,
): Promise<string> {
  const confirmed = await listLatestConfirmed(db, period);
  const lines = [`${periodShortLabel(period)}各市州报送进度（${deadlineNote(p, period, now)}）：`];
  for (const pref of p.prefectures) {
    const zones = zonesOfPrefecture(p, pref.code);
    if (zones.length === 0) continue;
    const missing = zones.filter((z) => !confirmed.some((c) => c.zoneId === z.id));
    lines.push(
      `· ${pref.shortName}：${zones.length - missing.length}/${zones.length}${missing.length ? `，未报：${missing.map((z) => z.shortName).join("、")}` : "，已全部报送"}`,
    );
  }
  return lines.join("\n");
}
