import type { FastifyInstance } from "fastify";
import { listAudit } from "../web-audit.js";
import type { WebRuntime } from "../web-console.js";
import { html, requireTaskForce } from "../web-user.js";

export const AUDIT_LABELS: Record<string, string> = {
  login: "登录",
  login_failed: "登录失败",
  logout: "退出",
  login_link_created: "生成登录链接",
  "circular.draft": "起草通报",
  "circular.approve": "批准通报",
  "circular.send": "发布通报",
  "roster.import": "导入名单",
  "outbox.retry": "重发消息",
};

export function registerAuditRoutes(web: FastifyInstance, rt: WebRuntime): void {
  web.get("/audit", async (req, reply) => {
    const user = requireTaskForce(req);
    const rows = await listAudit(rt.app.store.db, 300);
    return html(reply).view("audit", { user, title: "操作记录", nav: "audit", rows, labels: AUDIT_LABELS });
  });
}
