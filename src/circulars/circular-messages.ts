import { periodLabel } from "../domain/period.js";
import { formatLocal } from "../time/clock.js";
import { type CircularDeliveryStatus, circularLabel, describeGroupDeliveries } from "./circular-delivery.js";
import { CIRCULAR_STATUS_LABELS, type CircularRecord } from "./circular-repository.js";
import { docLabel, type FiguresChanged, periodOf } from "./circular-service.js";
import type { SendResult } from "./send-circular.js";

/** Chinese texts shared by the CLI and the task-force chat commands. */

export function circularHeadline(c: CircularRecord): string {
  return `通报 ${c.id}（${docLabel(c)}，${periodLabel(periodOf(c))}${c.model.isSample ? "，样例数据" : ""}）`;
}

/** The circular's state; a sent one with its delivery (`delivery`: read by circularDeliveryStatus). */
export function describeCircular(c: CircularRecord, delivery?: CircularDeliveryStatus): string {
  const lines = [
    `${circularHeadline(c)}：${circularLabel(c, delivery, CIRCULAR_STATUS_LABELS)}`,
    `数据截至 ${formatLocal(c.builtAt)}；应报 ${c.model.totals.zones} 个，已报 ${c.model.totals.submitted} 个，未报 ${c.model.totals.missing} 个`,
    `起草：${c.createdBy}，${formatLocal(c.createdAt)}`,
  ];
  if (c.approvedBy && c.approvedAt) lines.push(`批准：${c.approvedBy}，${formatLocal(c.approvedAt)}`);
  if (c.sentAt) lines.push(`提交发布：${formatLocal(c.sentAt)}`);
  if (c.status === "sent" && delivery) {
    const got = delivery.groups.filter((g) => g.state === "delivered").length;
    lines.push(
      `各群发送情况（${got}/${delivery.groups.length} 个群聊已送达）：`,
      ...describeGroupDeliveries(delivery),
    );
    if (delivery.groups.some((g) => g.state === "failed"))
      lines.push(
        `发送失败的群聊可重发：发送“发布 通报 ${c.id}”（或 npm run kaiqu -- circular send ${c.id} --group <群聊编号>）`,
      );
  }
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
  const retried = r.deliveries.reduce((n, d) => n + d.retried, 0);
  const lines = [
    r.firstTime
      ? `${circularHeadline(r.circular)}已提交发布，共 ${r.deliveries.length} 个群聊，${queued} 条消息进入发送队列；各群都收到后状态为“已发布”（发送“通报 查看 ${r.circular.id}”查看）：`
      : `${circularHeadline(r.circular)}此前已提交发布；本次新排队 ${queued} 条${retried ? `，重发此前发送失败的 ${retried} 条` : ""}（已发送或排队的不会重复发送）：`,
    ...r.deliveries.map(
      (d) =>
        `- ${d.groupName}：新排队 ${d.queued} 条${d.existing ? `，已有 ${d.existing} 条` : ""}${d.retried ? `，重发 ${d.retried} 条` : ""}`,
    ),
  ];
  if (r.unconfigured.length > 0) {
    lines.push(`以下 ${r.unconfigured.length} 个群聊未配置发送渠道，未发送：`);
    lines.push(...r.unconfigured.map((u) => `- ${u.groupName}：${u.reason}`));
  }
  return lines.join("\n");
}
