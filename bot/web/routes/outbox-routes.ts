import type { FastifyInstance } from "fastify";
import { recordAudit } from "../web-audit.js";
import type { WebRuntime } from "../web-console.js";
import { idFrom } from "../web-query.js";
import { html, requireTaskForce, WebError } from "../web-user.js";

export function registerOutboxRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;
  web.get<{ Querystring: { done?: string } }>("/outbox", async (req, reply) => {
    const user = requireTaskForce(req);
    const [rows, backlog] = await Promise.all([
      app.outbox.list({ status: "failed", limit: 200 }),
      app.outbox.backlog(),
    ]);
    return html(reply).view("outbox", {
      user,
      title: "发送队列",
      nav: "outbox",
      rows,
      backlog,
      done: req.query.done === "retried" ? "消息已重新排队，运行中的机器人将立即发送。" : null,
    });
  });

  web.post<{ Params: { id: string } }>("/outbox/:id/retry", async (req, reply) => {
    const user = requireTaskForce(req);
    const id = idFrom(req.params.id);
    const row = await app.store.db.outboundMessage.findUnique({
      where: { id },
      select: { status: true, idempotencyKey: true },
    });
    if (!row) throw new WebError(404, `没有 ID 为 ${id} 的消息。`);
    if (row.status !== "failed")
      throw new WebError(409, `消息 #${id} 的状态是 ${row.status}，只能重发发送失败的消息。`);
    const ok = await app.outbox.retry(id);
    await recordAudit(app.store.db, {
      at: app.clock.now(),
      contactId: user.contact.id,
      action: "outbox.retry",
      target: String(id),
      detail: { ok, key: row.idempotencyKey },
      ip: req.ip,
    });
    if (!ok) throw new WebError(409, `消息 #${id} 的状态刚刚改变，未能重发。`);
    return reply.redirect("/web/outbox?done=retried", 303);
  });
}
