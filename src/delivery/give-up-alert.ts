import { createHash } from "node:crypto";
import type { AppContext } from "../app-context.js";
import type { OutboxChannel } from "../domain/codes.js";
import type { OutboxRow } from "../outbox/outbox.js";
import { localDate } from "../time/clock.js";
import { notifyTaskForce } from "./notify-task-force.js";

/** What a given-up row failed with (the dispatcher's onGiveUp argument). */
export interface GiveUpOutcome {
  errcode?: number;
  error: string;
  /** The sender's name for the cause shared by every row it breaks (see SendOutcome.cause). */
  cause?: string;
}

/**
 * The cause a failure is alerted under: the sender's when it names one (an app-wide configuration
 * error breaks every recipient), else the channel, recipient and errcode — so the eight rows of a
 * circular to a robot whose key was deleted are one cause, one alert.
 */
export function failureCause(row: Pick<OutboxRow, "channel" | "recipient">, o: GiveUpOutcome): string {
  return o.cause ?? `${row.channel}:${row.recipient}:${o.errcode ?? "error"}`;
}

/**
 * The alert key of a cause on a day (Asia/Shanghai): one alert per cause and day, however many rows
 * it fails. A sender that alerts on its own (WeChat: target not found) uses the same key, so the
 * give-up alert that follows is not a second one. Hashed: recipients may be long.
 */
export function failureAlertKey(cause: string, at: Date): string {
  const h = createHash("sha256").update(cause).digest("hex").slice(0, 20);
  return `outbox-failed:${h}:${localDate(at)}`;
}

function preview(row: OutboxRow): string {
  const p = row.payload;
  const text =
    row.msgType === "file"
      ? `[文件] ${p.filename ?? ""}`
      : row.msgType === "template_card"
        ? (p.fallbackText ?? "[卡片]")
        : (p.content ?? "");
  return text.replace(/\s+/g, " ").slice(0, 60);
}

/**
 * A message given up for good: tell the task force once per cause (not once per message), over
 * another channel than the failing one. Later rows failing for the same cause that day add no alert;
 * the text says where to see them all.
 */
export async function alertGiveUp(app: AppContext, row: OutboxRow, outcome: GiveUpOutcome): Promise<void> {
  if (row.purpose === "alert") {
    app.logger.error(
      { outboxId: row.id, channel: row.channel },
      "an alert to the task force could not be delivered",
    );
    return;
  }
  const cause = failureCause(row, outcome);
  const key = failureAlertKey(cause, app.clock.now());
  const queued = await notifyTaskForce(app, {
    key,
    avoid: [row.channel as OutboxChannel],
    text:
      `【发送失败】消息 #${row.id}（${row.purpose}，渠道 ${row.channel}，接收方 ${row.recipient}）已放弃发送。\n` +
      `原因：${outcome.errcode !== undefined ? `errcode ${outcome.errcode}，` : ""}${outcome.error}\n` +
      `内容摘要：${preview(row)}\n` +
      "同一原因今天导致的其他发送失败不再逐条告警；全部失败消息：npm run kaiqu -- outbox list --status failed。\n" +
      `处理后可执行 npm run kaiqu -- outbox retry ${row.id}（其他消息同样按编号重试）重新发送。`,
  });
  if (queued === 0)
    app.logger.warn({ outboxId: row.id, cause }, "send failure of an already alerted cause: no new alert");
}
