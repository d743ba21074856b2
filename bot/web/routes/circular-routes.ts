import type { FastifyInstance, FastifyRequest } from "fastify";
import { describeDiff, diffFigures } from "../../../src/assessment/figures-hash.js";
import { circularLabel, deliveryStatusOf } from "../../../src/circulars/circular-delivery.js";
import { CircularError } from "../../../src/circulars/circular-error.js";
import { CIRCULAR_STATUS_LABELS, listCirculars } from "../../../src/circulars/circular-repository.js";
import {
  approveCircular,
  circularMeta,
  draftCircular,
  getCircular,
  periodOf,
  UNNUMBERED_DOC,
} from "../../../src/circulars/circular-service.js";
import { renderCircular } from "../../../src/circulars/render-circular.js";
import { circularDeliveries, sendCircular } from "../../../src/circulars/send-circular.js";
import { periodKey, periodLabel } from "../../../src/domain/period.js";
import { listChatGroups, listProgrammeYears } from "../../../src/programme/programme-repository.js";
import { loadBoardModel } from "../board-data.js";
import { CHANNEL_LABELS, circularPartLabel } from "../labels.js";
import { recordAudit } from "../web-audit.js";
import type { WebRuntime } from "../web-console.js";
import { idFrom, periodFrom } from "../web-query.js";
import { html, requireTaskForce, WebError } from "../web-user.js";
import { wecomMarkdownToHtml } from "../wecom-markdown-html.js";

/** Circular refusals (wrong status, no groups, …) are shown as 409 pages with the service's own text. */
async function service<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof CircularError) throw new WebError(e.code === "not_found" ? 404 : 409, e.message);
    throw e;
  }
}

const DONE_MESSAGES: Record<string, string> = {
  drafted: "通报草稿已生成。",
  approved: "通报已批准，可以发布。",
  already: "通报此前已批准。",
  changed: "批准前数据有变化：草稿已按最新数据更新，请核对后重新批准。",
  sent: "通报已提交发布：消息已进入发送队列，下面是各群的发送状态；各群都收到后状态为“已发布”。",
  resent: "通报已再次发布：已发送或已排队的消息不会重复发送。",
  "send-changed": "批准后数据有变化，未发布：草稿已按最新数据更新，请重新批准。",
  retried: "失败的消息已重新排队。",
};

export function registerCircularRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;
  const audit = (
    req: FastifyRequest,
    action: Parameters<typeof recordAudit>[1]["action"],
    target: string,
    detail: Record<string, unknown>,
  ) =>
    recordAudit(app.store.db, {
      at: app.clock.now(),
      contactId: req.webUser!.contact.id,
      action,
      target,
      detail,
      ip: req.ip,
    });

  web.get("/circulars", async (req, reply) => {
    const user = requireTaskForce(req);
    const [rows, years, groups] = await Promise.all([
      listCirculars(app.store.db),
      listProgrammeYears(app.store.db),
      listChatGroups(app.store.db),
    ]);
    // the outbox rows of every sent circular listed, in one query (not one per circular)
    const sentIds = rows.filter((c) => c.status === "sent").map((c) => c.id);
    const outbox = sentIds.length
      ? await app.store.db.outboundMessage.findMany({
          where: { OR: sentIds.map((id) => ({ idempotencyKey: { startsWith: `circular:${id}:` } })) },
          orderBy: { id: "asc" },
          select: { idempotencyKey: true, channel: true, recipient: true, status: true, lastError: true },
        })
      : [];
    const sent = new Map<number, typeof outbox>();
    for (const r of outbox) {
      const id = Number(r.idempotencyKey.split(":")[1]);
      const list = sent.get(id);
      if (list) list.push(r);
      else sent.set(id, [r]);
    }
    const names = new Map(groups.map((g) => [g.id, g.name]));
    const now = app.clock.now();
    return html(reply).view("circulars", {
      user,
      title: "通报",
      nav: "circulars",
      rows: rows.map((c) => ({
        ...c,
        statusLabel: circularLabel(c, deliveryStatusOf(sent.get(c.id) ?? [], names), CIRCULAR_STATUS_LABELS),
        periodLabel: periodLabel(periodOf(c)),
      })),
      periods: years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`)).reverse(),
      defaultPeriod: periodKey(periodFrom(undefined, now)),
    });
  });

  web.post<{ Body: { period?: string } }>("/circulars", async (req, reply) => {
    const user = requireTaskForce(req);
    const period = periodFrom(req.body?.period ?? "", app.clock.now());
    const r = await service(() => draftCircular(app, period, { createdBy: user.contact.id }));
    await audit(req, "circular.draft", String(r.circular.id), {
      period: periodKey(period),
      docNumber: r.circular.docNumber,
    });
    return reply.redirect(`/web/circulars/${r.circular.id}?done=drafted`, 303);
  });

  web.get<{ Params: { id: string }; Querystring: { done?: string } }>(
    "/circulars/:id",
    async (req, reply) => {
      const user = requireTaskForce(req);
      const c = await service(() => getCircular(app, idFrom(req.params.id)));
      // the figures as they stand now, read as the board reads them (one query; cached while unchanged)
      const [loaded, deliveries, groups, rendered] = await Promise.all([
        loadBoardModel(app.store.db, periodOf(c), app.clock.now(), rt.boardCache),
        circularDeliveries(app, c.id),
        listChatGroups(app.store.db),
        renderCircular(c.model, circularMeta(app, c)),
      ]);
      if (!loaded) throw new WebError(404, `${c.year}年度尚未设置培育计划（名单、目标）。`);
      const current = loaded.model;
      const changed =
        c.status !== "sent" && rt.boardCache.figuresHash(current) !== (c.approvedHash ?? c.figuresHash);
      const groupName = new Map(groups.map((g) => [g.id, g.name]));
      const byGroup = new Map<string, typeof deliveries>();
      for (const d of deliveries) byGroup.set(d.groupId, [...(byGroup.get(d.groupId) ?? []), d]);
      return html(reply).view("circular", {
        user,
        title: c.docNumber ?? UNNUMBERED_DOC,
        nav: "circulars",
        c,
        statusLabel: circularLabel(c, deliveryStatusOf(deliveries, groupName), CIRCULAR_STATUS_LABELS),
        periodLabel: periodLabel(periodOf(c)),
        done: req.query.done ? (DONE_MESSAGES[req.query.done] ?? null) : null,
        changes: changed ? describeDiff(diffFigures(c.model, current)) : [],
        parts: rendered.text.robotParts.map(wecomMarkdownToHtml),
        deliveries: [...byGroup.entries()].map(([groupId, rows]) => ({
          groupId,
          groupName: groupName.get(groupId) ?? groupId,
          rows: rows.map((r) => ({
            ...r,
            partLabel: circularPartLabel(r.part),
            channelLabel: CHANNEL_LABELS[r.channel] ?? r.channel,
          })),
          sent: rows.filter((r) => r.status === "sent").length,
          failed: rows.filter((r) => r.status === "failed").length,
        })),
      });
    },
  );

  web.get<{ Params: { id: string; ext: string } }>("/circulars/:id/circular.:ext", async (req, reply) => {
    requireTaskForce(req);
    const ext = req.params.ext;
    if (ext !== "xlsx" && ext !== "docx") throw new WebError(404, "页面不存在。");
    const c = await service(() => getCircular(app, idFrom(req.params.id)));
    const rendered = await renderCircular(c.model, circularMeta(app, c));
    const name = `${c.docNumber ?? "草稿"}${rendered.title}.${ext}`;
    return reply
      .type(
        ext === "xlsx"
          ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          : "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      )
      .header(
        "content-disposition",
        `attachment; filename="circular-${c.id}.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .header("cache-control", "no-store")
      .send(ext === "xlsx" ? rendered.xlsx : rendered.docx);
  });

  web.post<{ Params: { id: string } }>("/circulars/:id/approve", async (req, reply) => {
    const user = requireTaskForce(req);
    const id = idFrom(req.params.id);
    const r = await service(() => approveCircular(app, id, user.contact.id));
    await audit(req, "circular.approve", String(id), {
      result: r.kind,
      docNumber: r.circular.docNumber,
      figuresHash: r.circular.figuresHash,
      ...(r.kind === "changed" ? { reasons: r.reasons } : {}),
    });
    return reply.redirect(`/web/circulars/${id}?done=${r.kind}`, 303);
  });

  web.post<{ Params: { id: string } }>("/circulars/:id/send", async (req, reply) => {
    requireTaskForce(req);
    const id = idFrom(req.params.id);
    const r = await service(() => sendCircular(app, id));
    await audit(req, "circular.send", String(id), {
      result: r.kind,
      docNumber: r.circular.docNumber,
      ...(r.kind === "sent"
        ? {
            firstTime: r.firstTime,
            groups: r.deliveries.map((d) => ({ group: d.groupId, queued: d.queued, existing: d.existing })),
            unconfigured: r.unconfigured.map((u) => u.groupId),
          }
        : { reasons: r.reasons }),
    });
    const done = r.kind === "changed" ? "send-changed" : r.firstTime ? "sent" : "resent";
    return reply.redirect(`/web/circulars/${id}?done=${done}`, 303);
  });

  // Re-send one failed delivery of this circular (only rows that belong to it).
  web.post<{ Params: { id: string; outboxId: string } }>(
    "/circulars/:id/retry/:outboxId",
    async (req, reply) => {
      requireTaskForce(req);
      const id = idFrom(req.params.id);
      const outboxId = idFrom(req.params.outboxId);
      const row = await app.store.db.outboundMessage.findUnique({ where: { id: outboxId } });
      if (!row?.idempotencyKey.startsWith(`circular:${id}:`))
        throw new WebError(404, "这条消息不属于该通报。");
      if (row.status !== "failed")
        throw new WebError(409, `消息 #${outboxId} 的状态是 ${row.status}，只能重发发送失败的消息。`);
      const ok = await app.outbox.retry(outboxId);
      await audit(req, "outbox.retry", String(outboxId), { circularId: id, ok, key: row.idempotencyKey });
      if (!ok) throw new WebError(409, `消息 #${outboxId} 的状态刚刚改变，未能重发。`);
      return reply.redirect(`/web/circulars/${id}?done=retried`, 303);
    },
  );
}
