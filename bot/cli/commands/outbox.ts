import type { Command } from "commander";
import { Outbox, type OutboxRow } from "../../../src/outbox/outbox.js";
import { OUTBOX_STATUSES, type OutboxStatus } from "../../../src/outbox/outbox-message.js";
import { formatLocal } from "../../../src/time/clock.js";
import { type CliContext, CliError } from "../cli-context.js";

const STATUS_LABELS: Record<OutboxStatus, string> = {
  pending: "待发送",
  sending: "发送中",
  sent: "已发送",
  failed: "已放弃",
  cancelled: "已取消",
};

/** `kaiqu outbox list|retry`: the operator's view of the persistent outbox. */
export function register(program: Command, ctx: CliContext): void {
  const outbox = program.command("outbox").description("发送队列 / the persistent outbox");

  outbox
    .command("list")
    .description("列出发送队列中的消息（新的在前）/ list outbox messages, newest first")
    .option("--status <status>", `只看某一状态 / only this status: ${OUTBOX_STATUSES.join("|")}`)
    .option("--limit <n>", "最多显示条数 / at most this many rows", "50")
    .option("--json", "JSON output")
    .action(async (opts: { status?: string; limit: string; json?: boolean }) => {
      const status = parseStatus(opts.status);
      const limit = parsePositive("--limit", opts.limit, "--limit 100");
      const store = await ctx.store();
      const ob = new Outbox(store, ctx.clock);
      const [rows, backlog] = await Promise.all([ob.list({ status, limit }), ob.backlog()]);
      if (opts.json) return ctx.json({ backlog, rows: rows.map(toJson) });
      ctx.out(
        `待发送 pending ${backlog.pending} · 发送中 sending ${backlog.sending} · 已发送 sent ${backlog.sent} · 已放弃 failed ${backlog.failed}`,
      );
      if (rows.length === 0)
        return ctx.out(status ? `没有状态为 ${status} 的消息 / no ${status} messages` : "队列为空 / empty");
      for (const r of rows) ctx.out(describe(r));
      if (rows.some((r) => r.status === "failed"))
        ctx.out("重新发送已放弃的消息：npm run kaiqu -- outbox retry <ID> / resend a failed message");
    });

  outbox
    .command("retry")
    .description("让已放弃（或待发送）的消息立即重新发送 / send a failed (or pending) message again now")
    .argument("<id>", "消息ID（见 outbox list）/ message id from `outbox list`")
    .option("--json", "JSON output")
    .action(async (idText: string, opts: { json?: boolean }) => {
      const id = parsePositive("ID", idText, "npm run kaiqu -- outbox retry 42");
      const store = await ctx.store();
      const row = await store.db.outboundMessage.findUnique({ where: { id } });
      if (!row)
        throw new CliError(
          `没有ID为 ${id} 的消息（读到 "${idText}"）；用 npm run kaiqu -- outbox list 查看ID`,
        );
      if (row.status === "sent" || row.status === "sending")
        throw new CliError(
          `消息 #${id} 的状态是 ${row.status}（${STATUS_LABELS[row.status as OutboxStatus]}），只能重发 failed 或 pending 的消息`,
        );
      const ok = await new Outbox(store, ctx.clock).retry(id);
      if (!ok) throw new CliError(`消息 #${id} 的状态刚刚改变，未能重发；请用 outbox list 查看`);
      if (opts.json) return ctx.json({ id, status: "pending", previousStatus: row.status });
      ctx.out(
        `消息 #${id} 已重新排队，运行中的机器人将立即发送 / queued again, the running bot sends it next`,
      );
    });
}

function parseStatus(text: string | undefined): OutboxStatus | undefined {
  if (text === undefined) return undefined;
  if ((OUTBOX_STATUSES as readonly string[]).includes(text)) return text as OutboxStatus;
  throw new CliError(
    `--status 的值无效（读到 "${text}"），应为 ${OUTBOX_STATUSES.join("、")} 之一，例如 --status failed`,
  );
}

function parsePositive(name: string, text: string, example: string): number {
  if (!/^\d{1,9}$/.test(text.trim()) || Number(text) < 1)
    throw new CliError(`${name} 应为正整数（读到 "${text}"），例如 ${example}`);
  return Number(text);
}

function describe(r: OutboxRow): string {
  const body =
    r.msgType === "file"
      ? `[文件] ${r.payload.filename ?? r.payload.path ?? ""}`
      : (r.payload.content ?? r.payload.fallbackText ?? "").replace(/\s+/g, " ");
  const when =
    r.status === "sent" && r.sentAt
      ? `sent ${formatLocal(r.sentAt)}`
      : `next ${formatLocal(r.nextAttemptAt)}`;
  const err =
    r.lastError && r.status !== "sent" ? `\n      ${r.lastErrcode ?? ""} ${r.lastError.slice(0, 160)}` : "";
  return (
    `#${r.id}  ${r.status.padEnd(7)} ${r.channel}→${r.recipient}  ${r.msgType}/${r.purpose}  ` +
    `tries ${r.attempts}  ${when}\n      ${body.slice(0, 80)}${body.length > 80 ? "…" : ""}${err}`
  );
}

function toJson(r: OutboxRow) {
  return {
    id: r.id,
    idempotencyKey: r.idempotencyKey,
    status: r.status,
    channel: r.channel,
    recipient: r.recipient,
    msgType: r.msgType,
    purpose: r.purpose,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    lastErrcode: r.lastErrcode,
    lastError: r.lastError,
    externalMsgId: r.externalMsgId,
    payload: r.payload,
  };
}
