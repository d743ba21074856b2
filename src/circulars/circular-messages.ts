import { periodLabel } from "../domain/period.js";
import { formatLocal } from "../time/clock.js";
import { CIRCULAR_STATUS_LABELS, type CircularRecord } from "./circular-repository.js";
import { docLabel, type FiguresChanged, periodOf } from "./circular-service.js";
import type { SendResult } from "./send-circular.js";

/** Chinese texts shared by the CLI and the task-force chat commands. */

export function circularHeadline(c: CircularRecord): string {
  return `通报 ${c.id}（${docLabel(c)}，${periodLabel(periodOf(c))}${c.model.isSample ? "，样例数据" : ""}）`;
}

export function describeCircular(c: CircularRecord): string {
  const lines = [
    `${circularHeadline(c)}：${CIRCULAR_STATUS_LABELS[c.status]}`,
    `数据截至 ${formatLocal(c.builtAt)}；应报 ${c.model.totals.zones} 个，已报 ${c.model.totals.submitted} 个，未报 ${c.model.totals.missing} 个`,
    `起草：${c.createdBy}，${formatLocal(c.createdAt)}`,
  ];
  if (c.approvedBy && c.approvedAt) lines.push(`批准：${c.approvedBy}，${formatLocal(c.approvedAt)}`);
  if (c.sentAt) lines.push(`发布：${formatLocal(c.sentAt)}`);
  return lines.join("\n");
}

export function describeChanged(r: FiguresChanged, action: "批准" | "发布"): string {
  return [
    `${circularHeadline(r.circular)}未能${action}：${action === "发布" ? "批准" : "起草"}后有经开区更正或补报了数据，通报需按最新数据重新批准。`,
    "变化如下：",
    ...r.reasons.map((x) => `- ${x}`),
    `草稿已按最新数据更新（数据截至 ${formatLocal(r.circular.builtAt)}），状态退回草稿。请核对后发送“批准 通报 ${r.circular.id}”。`,
  ].join("\n");
}

export function describeSend(r: Extract<SendResult, { kind: "sent" }>): string {
  const queued = r.deliveries.reduce((n, d) => n + d.queued, 0);
  const lines = [
    r.firstTime
      ? `${circularHeadline(r.circular)}已发布，共 ${r.deliveries.length} 个群聊，${queued} 条消息进入发送队列：`
      : `${circularHeadline(r.circular)}此前已发布；本次新排队 ${queued} 条（已发送或排队的不会重复发送）：`,
    ...r.deliveries.map(
      (d) => `- ${d.groupName}：新排队 ${d.queued} 条${d.existing ? `，已有 ${d.existing} 条` : ""}`,
    ),
  ];
  if (r.unconfigured.length > 0) {
    lines.push(`以下 ${r.unconfigured.length} 个群聊未配置发送渠道，未发送：`);
    lines.push(...r.unconfigured.map((u) => `- ${u.groupName}：${u.reason}`));
  }
  return lines.join("\n");
}
