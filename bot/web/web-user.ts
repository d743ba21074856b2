import type { FastifyReply, FastifyRequest } from "fastify";
import type { ContactDef } from "../../src/programme/programme.js";

/** The signed-in contact and what the console lets them do. */
export interface WebUser {
  contact: ContactDef;
  sessionToken: string;
  csrfToken: string;
  /** Task force: every prefecture, may act. Bureau contacts and leads: their own prefecture, read-only. */
  taskForce: boolean;
  /** The only prefecture a bureau user may see; null for the task force. */
  prefectureCode: string | null;
}

declare module "fastify" {
  interface FastifyRequest {
    webUser: WebUser | null;
  }
}

/** A refusal shown as a Chinese page with its status code. */
export class WebError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = "WebError";
  }
}

export function userOf(c: ContactDef, sessionToken: string, csrfToken: string): WebUser {
  const taskForce = c.role === "task_force";
  return {
    contact: c,
    sessionToken,
    csrfToken,
    taskForce,
    prefectureCode: taskForce ? null : c.prefectureCode,
  };
}

/** Any signed-in user (pages redirect to the log-in page instead, see web-console.ts). */
export function requireUser(req: FastifyRequest): WebUser {
  if (!req.webUser) throw new WebError(401, "请先登录。");
  return req.webUser;
}

/** Task-force members only: every action and the pages that lead to one. */
export function requireTaskForce(req: FastifyRequest): WebUser {
  const u = requireUser(req);
  if (!u.taskForce) throw new WebError(403, "只有省专班成员可以执行此操作或查看此页面。");
  return u;
}

/** A bureau user may see its own prefecture only. */
export function requirePrefecture(user: WebUser, prefectureCode: string): void {
  if (!user.taskForce && user.prefectureCode !== prefectureCode)
    throw new WebError(403, "您只能查看本市州的经开区。");
}

export function html(reply: FastifyReply): FastifyReply {
  return reply.type("text/html; charset=utf-8").header("cache-control", "no-store");
}
