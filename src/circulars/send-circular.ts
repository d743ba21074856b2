import type { AppContext } from "../app-context.js";
import { type Address, groupRoute } from "../delivery/addresses.js";
import { type ChannelRoute, routeOf } from "../delivery/delivery-routes.js";
import type { NewOutboxMessage } from "../outbox/outbox-message.js";
import type { ChatGroupDef } from "../programme/programme.js";
import { listChatGroups } from "../programme/programme-repository.js";
import { splitByBytes, splitByChars } from "../text/split-by-bytes.js";
import { type ChartImageFile, writeCircularChartImages } from "./circular-chart-images.js";
import { CircularError } from "./circular-error.js";
import { type CircularRecord, updateCircularIf } from "./circular-repository.js";
import {
  type CircularPaths,
  circularBaseDir,
  circularDir,
  docLabel,
  type FiguresChanged,
  getCircular,
  refreshIfChanged,
  renderAndWrite,
} from "./circular-service.js";
import type { CircularFiles, RenderedCircular } from "./render-circular.js";
import { PLAIN_TEXT_MAX_CHARS } from "./render-markdown.js";

export interface GroupDelivery {
  groupId: string;
  groupName: string;
  channel: Address["channel"];
  recipient: string;
  /** Messages queued now. */
  queued: number;
  /** Messages that were already queued by an earlier send (same idempotency key). */
  existing: number;
  /** Messages of an earlier send that had failed, queued again now (re-send of a failed group). */
  retried: number;
}

export interface UnconfiguredGroup {
  groupId: string;
  groupName: string;
  channel: string;
  reason: string;
}

export type SendResult =
  | {
      kind: "sent";
      circular: CircularRecord;
      /** false when the circular had been sent before (nothing already queued was queued again). */
      firstTime: boolean;
      deliveries: GroupDelivery[];
      unconfigured: UnconfiguredGroup[];
    }
  | FiguresChanged;

/** The idempotency key of one message of a circular to one group. */
export function circularMessageKey(circularId: number, groupId: string, part: string): string {
  return `circular:${circularId}:${groupId}:${part}`;
}

/**
 * Text parts as the channel takes them (markdown within its markdown limit, else plain text within
 * its character limit), the charts as pictures, then the files.
 */
function messagesFor(
  c: CircularRecord,
  g: ChatGroupDef,
  addr: Address,
  route: ChannelRoute | undefined,
  rendered: RenderedCircular,
  files: CircularFiles,
  charts: ChartImageFile[],
): NewOutboxMessage[] {
  const t = rendered.text;
  const [parts, msgType] = route?.markdownBytes
    ? [splitByBytes(t.markdown.trimEnd(), route.markdownBytes, { numbered: true }), "markdown" as const]
    : [
        splitByChars(t.plain.trimEnd(), route?.textChars ?? PLAIN_TEXT_MAX_CHARS, { numbered: true }),
        "text" as const,
      ];
  const base = { channel: addr.channel, recipient: addr.recipient, purpose: "circular" as const };
  return [
    ...parts.map((content, i) => ({
      ...base,
      idempotencyKey: circularMessageKey(c.id, g.id, `text-${i + 1}`),
      msgType,
      payload: { content },
    })),
    ...charts.map((ch) => ({
      ...base,
      idempotencyKey: circularMessageKey(c.id, g.id, `chart-${ch.name.replace(/\.png$/, "")}`),
      msgType: "image" as const,
      payload: { path: ch.path, filename: ch.name },
    })),
    {
      ...base,
      idempotencyKey: circularMessageKey(c.id, g.id, "docx"),
      msgType: "file" as const,
      payload: { path: files.docx, filename: files.docxName },
    },
    {
      ...base,
      idempotencyKey: circularMessageKey(c.id, g.id, "xlsx"),
      msgType: "file" as const,
      payload: { path: files.xlsx, filename: files.xlsxName },
    },
  ];
}

/**
 * Pushes an approved circular to every active group chat through the outbox. The figures are
 * checked first: if a confirmed revision changed since approval, nothing is sent and the circular
 * goes back to draft. Sending again queues nothing already queued (keys circular:<id>:<group>:<part>),
 * reaches groups configured since, and re-sends what had failed (those rows go back to pending) —
 * for every group, or only `groupId`. Groups whose channel is not configured are reported. "Sent"
 * here means queued: whether every group got it is read from the rows (circular-delivery.ts).
 */
export async function sendCircular(
  app: AppContext,
  id: number,
  paths: CircularPaths & { groupId?: string } = {},
): Promise<SendResult> {
  const c = await getCircular(app, id);
  if (c.status === "draft") {
    throw new CircularError(
      "wrong_status",
      `通报 ${id}（${docLabel(c)}）尚未批准，不能发布。请省专班成员先发送“批准 通报 ${id}”。`,
    );
  }
  if (paths.groupId !== undefined && c.status !== "sent")
    throw new CircularError(
      "wrong_status",
      `通报 ${id}（${docLabel(c)}）尚未发布：请先发布到全部群聊，某个群聊发送失败后才可单独重发。`,
    );
  if (c.status === "approved") {
    const changed = await refreshIfChanged(app, c, c.approvedHash ?? c.figuresHash, paths);
    if (changed) return changed;
  }
  const { rendered, files } = await renderAndWrite(app, c, circularDir(c, circularBaseDir(app, paths)));
  const charts = await writeCircularChartImages(files.dir, c.model, {
    fontFile: app.config.CHART_FONT_FILE,
    logger: app.logger,
  });
  const planned: Array<{ g: ChatGroupDef; addr: Address; messages: NewOutboxMessage[] }> = [];
  const unconfigured: UnconfiguredGroup[] = [];
  const allGroups = await listChatGroups(app.store.db);
  if (paths.groupId !== undefined && !allGroups.some((g) => g.id === paths.groupId))
    throw new CircularError("no_groups", `名册中没有编号为 ${paths.groupId} 的群聊（或已停用）。`);
  for (const g of allGroups.filter((x) => paths.groupId === undefined || x.id === paths.groupId)) {
    const route = groupRoute(g, app.routes);
    if ("reason" in route) {
      unconfigured.push({ groupId: g.id, groupName: g.name, channel: g.channel, reason: route.reason });
      continue;
    }
    const addr = route.address;
    const messages = messagesFor(c, g, addr, routeOf(app.routes, addr.channel), rendered, files, charts);
    planned.push({ g, addr, messages });
  }
  if (unconfigured.length > 0)
    app.logger.warn({ circularId: id, unconfigured }, "circular: groups not reachable");
  if (planned.length === 0) {
    throw new CircularError(
      "no_groups",
      `没有可发送的群聊：${unconfigured.map((u) => `${u.groupName}（${u.reason}）`).join("；") || "名册中没有群聊"}。通报未发布。`,
    );
  }
  const now = app.clock.now();
  const deliveries = await app.store.db.$transaction(
    async (tx) => {
      const out: GroupDelivery[] = [];
      for (const p of planned) {
        const results = await app.outbox.enqueueAll(p.messages, tx);
        const queued = results.filter((r) => r.created).length;
        // a re-send: this group's messages given up earlier go out again (their keys stay; nothing sent twice)
        const { count: retried } = await tx.outboundMessage.updateMany({
          where: { id: { in: results.filter((r) => !r.created).map((r) => r.id) }, status: "failed" },
          data: { status: "pending", nextAttemptAt: now, attempts: 0, claimedBy: null, claimedAt: null },
        });
        out.push({
          groupId: p.g.id,
          groupName: p.g.name,
          channel: p.addr.channel,
          recipient: p.addr.recipient,
          queued,
          existing: results.length - queued,
          retried,
        });
      }
      if (
        c.status === "approved" &&
        !(await updateCircularIf(tx, id, "approved", { status: "sent", sentAt: now }))
      ) {
        throw new CircularError("wrong_status", `通报 ${id} 的状态刚刚被他人更改，未发布，请重试。`);
      }
      return out;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  app.logger.info({ circularId: id, groups: deliveries.length }, "circular queued for delivery");
  return {
    kind: "sent",
    circular: await getCircular(app, id),
    firstTime: c.status === "approved",
    deliveries,
    unconfigured,
  };
}

/** The outbox rows of a circular (its delivery record), by group. */
export async function circularDeliveries(app: AppContext, id: number) {
  const rows = await app.store.db.outboundMessage.findMany({
    where: { idempotencyKey: { startsWith: `circular:${id}:` } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      idempotencyKey: true,
      channel: true,
      recipient: true,
      msgType: true,
      status: true,
      sentAt: true,
      lastError: true,
    },
  });
  return rows.map((r) => ({
    ...r,
    groupId: r.idempotencyKey.split(":")[2] ?? "",
    part: r.idempotencyKey.split(":")[3] ?? "",
  }));
}
