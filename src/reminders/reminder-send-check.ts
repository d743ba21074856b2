import type { Db, Tx } from "../db/database.js";
import { parsePeriodKey } from "../domain/period.js";
import type { PreSendCheck } from "../outbox/dispatcher.js";
import type { OutboxRow } from "../outbox/outbox.js";
import { loadProgramme } from "../programme/programme-repository.js";
import { bureauGaps, taskForceOf } from "./bureau-gaps.js";
import { loadRosterSnapshot } from "./run-due-reminders.js";

/** The parts of a reminder's idempotency key remind:<year>Q<q>:<step>:<recipient id | group:<id>>. */
const KEY = /^remind:(\d{4}Q[1-4]):([^:]+):(group:)?(.+)$/;

/**
 * The reminders' send-time re-check (#16.3): a reminder or digest queued earlier is cancelled,
 * with the reason, when by the time it would go out
 * - its recipient (contact or group) is no longer active on the roster, or
 * - its bureau (the contact's or group's prefecture) has no zone left without a confirmed report
 *   (for a task-force digest: no bureau at all has one).
 * Other rows are not looked at. Reads the roster as it stands now (through the roster cache).
 */
export function reminderSendCheck(db: Db | Tx): PreSendCheck {
  return async (row: OutboxRow) => {
    if (row.purpose !== "reminder" && row.purpose !== "digest") return undefined;
    const m = KEY.exec(row.idempotencyKey);
    const period = m ? parsePeriodKey(m[1]!) : undefined;
    if (!m || !period) return undefined;
    const isGroup = m[3] !== undefined;
    const recipientId = m[4]!;
    const programme = await loadProgramme(db, period.year);
    if (!programme) return `已取消：${period.year}年度方案已不存在`;
    const roster = await loadRosterSnapshot(db, period);
    const gaps = bureauGaps(programme, roster);
    if (isGroup) {
      const group = roster.groups.find((g) => g.id === recipientId);
      if (!group) return `已取消：群聊 ${recipientId} 已不在名册中（或已停用）`;
      if (!gaps.some((g) => g.prefecture.code === group.prefectureCode))
        return `已取消：${m[1]} 该市州已无未报送的开发区`;
      return undefined;
    }
    const contact = roster.contacts.find((c) => c.id === recipientId && c.active);
    if (!contact) return `已取消：联系人 ${recipientId} 已不在名册中（或已停用）`;
    if (row.purpose === "digest") {
      if (!taskForceOf(roster).some((c) => c.id === contact.id))
        return `已取消：联系人 ${recipientId} 已不是专班成员`;
      return gaps.length === 0 ? `已取消：${m[1]} 各开发区均已报送` : undefined;
    }
    if (!gaps.some((g) => g.prefecture.code === contact.prefectureCode))
      return `已取消：${m[1]} 该市州已无未报送的开发区`;
    return undefined;
  };
}
