import type { Db, Tx } from "../db/database.js";

/** Where one group's copy of a sent circular stands, from its outbox rows (circular:<id>:<group>:*). */
export type GroupDeliveryState = "delivered" | "sending" | "failed";
export const GROUP_DELIVERY_LABELS: Record<GroupDeliveryState, string> = {
  delivered: "已送达",
  sending: "发送中",
  failed: "发送失败",
};

/**
 * A sent circular as a whole: 已发布 only when every group got every message; 发布中 while any is
 * still queued; otherwise 部分发布 (some groups got it, some failed) or 发布失败 (none did).
 */
export type CircularDeliveryState = "published" | "publishing" | "partial" | "failed";
export const CIRCULAR_DELIVERY_LABELS: Record<CircularDeliveryState, string> = {
  published: "已发布",
  publishing: "发布中",
  partial: "部分发布",
  failed: "发布失败",
};

export interface GroupDeliveryStatus {
  groupId: string;
  /** The roster's name of the group (the id when it has left the roster). */
  groupName: string;
  channel: string;
  recipient: string;
  state: GroupDeliveryState;
  /** Messages of this group: all, delivered, given up (failed or cancelled). */
  total: number;
  sent: number;
  failed: number;
  /** The reason of the first message given up, if any. */
  lastError?: string;
}

export interface CircularDeliveryStatus {
  state: CircularDeliveryState;
  label: string;
  groups: GroupDeliveryStatus[];
}

/**
 * The delivery state of a circular read from its stored outbox rows — the one record of what
 * reached whom (a row is "sent" only on WeCom's or WeChat's success for that message); undefined
 * when nothing was queued. Group names come from the roster as it stands.
 */
export async function circularDeliveryStatus(
  db: Db | Tx,
  circularId: number,
): Promise<CircularDeliveryStatus | undefined> {
  const rows = await db.outboundMessage.findMany({
    where: { idempotencyKey: { startsWith: `circular:${circularId}:` } },
    orderBy: { id: "asc" },
    select: { idempotencyKey: true, channel: true, recipient: true, status: true, lastError: true },
  });
  if (rows.length === 0) return undefined;
  const names = new Map(
    (await db.chatGroup.findMany({ select: { id: true, name: true } })).map((g) => [g.id, g.name]),
  );
  return deliveryStatusOf(rows, names);
}

/**
 * The same from outbox rows already read (ordered by id) and the groups' names, for a page that
 * lists the rows as well (one read of the table).
 */
export function deliveryStatusOf(
  rows: readonly {
    idempotencyKey: string;
    channel: string;
    recipient: string;
    status: string;
    lastError: string | null;
  }[],
  names: ReadonlyMap<string, string>,
): CircularDeliveryStatus | undefined {
  if (rows.length === 0) return undefined;
  const byGroup = new Map<string, GroupDeliveryStatus>();
  for (const r of rows) {
    const groupId = r.idempotencyKey.split(":")[2] ?? "";
    const g = byGroup.get(groupId) ?? {
      groupId,
      groupName: names.get(groupId) ?? groupId,
      channel: r.channel,
      recipient: r.recipient,
      state: "delivered" as GroupDeliveryState,
      total: 0,
      sent: 0,
      failed: 0,
    };
    g.total++;
    if (r.status === "sent") g.sent++;
    else if (r.status === "failed" || r.status === "cancelled") {
      g.failed++;
      if (g.lastError === undefined && r.lastError) g.lastError = r.lastError;
    }
    byGroup.set(groupId, g);
  }
  const groups = [...byGroup.values()];
  for (const g of groups)
    g.state = g.sent === g.total ? "delivered" : g.sent + g.failed < g.total ? "sending" : "failed";
  const state: CircularDeliveryState = groups.every((g) => g.state === "delivered")
    ? "published"
    : groups.some((g) => g.state === "sending")
      ? "publishing"
      : groups.some((g) => g.state === "delivered")
        ? "partial"
        : "failed";
  return { state, label: CIRCULAR_DELIVERY_LABELS[state], groups };
}

/** One line per group: "- 省专班群（群机器人）：发送失败，3 条中 3 条未发出（原因）". */
export function describeGroupDeliveries(d: CircularDeliveryStatus): string[] {
  return d.groups.map((g) => {
    const head = `- ${g.groupName}：${GROUP_DELIVERY_LABELS[g.state]}`;
    if (g.state === "delivered") return `${head}（${g.total} 条）`;
    const waiting = g.total - g.sent - g.failed;
    const parts = [
      `${g.total} 条中已送达 ${g.sent} 条`,
      ...(g.failed ? [`未发出 ${g.failed} 条`] : []),
      ...(waiting ? [`排队 ${waiting} 条`] : []),
    ];
    return `${head}，${parts.join("，")}${g.lastError ? `（${g.lastError.slice(0, 80)}）` : ""}`;
  });
}

/** The label a circular is shown with: a sent one by how far its delivery got. */
export function circularLabel(
  c: { status: string },
  delivery: CircularDeliveryStatus | undefined,
  statusLabels: Record<string, string>,
): string {
  return c.status === "sent" && delivery ? delivery.label : (statusLabels[c.status] ?? c.status);
}
