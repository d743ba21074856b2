import { readFile } from "node:fs/promises";
import path from "node:path";
import { FileBox } from "file-box";
import type { Contact, Room } from "wechaty";
import type { AppContext } from "../../../src/app-context.js";
import { failureAlertKey } from "../../../src/delivery/give-up-alert.js";
import { notifyTaskForce } from "../../../src/delivery/notify-task-force.js";
import type { Logger } from "../../../src/log/logger.js";
import type { ChannelSender } from "../../../src/outbox/dispatcher.js";
import type { OutboxRow } from "../../../src/outbox/outbox.js";
import type { SendOutcome } from "../../../src/outbox/outbox-message.js";
import { findContact } from "../../../src/programme/programme-repository.js";
import { WECHAT_ID } from "./channel.js";
import { errorText } from "./governor/rate-limit-patterns.js";
import { REASON_TAG, type SendGovernor, type SendTarget } from "./governor/send-governor.js";
import type { SharedWechatBudgets } from "./governor/shared-wechat-budgets.js";
import { markdownToPlainText } from "./plain-text.js";
import { roomIdentityIs } from "./room-identity.js";
import type { RosterBinder } from "./roster-binder.js";
import { wechatTexts } from "./wechat-texts.js";

/** While logged out, held rows are looked at again this often. */
export const OFFLINE_RECHECK_MS = 30_000;

export const WECHAT_CHANNELS = ["wechat", "wechat_room"] as const;

type Sayable = string | InstanceType<typeof FileBox>;

class FatalPayload extends Error {}

export interface WechatSenderDeps {
  app: AppContext;
  binder: RosterBinder;
  governor: SendGovernor;
  /** The account's and rooms' budgets on the database, shared by every instance (start-wechaty-transport). */
  budgets?: SharedWechatBudgets;
  /** The logged-in account (the budgets' key). */
  accountId?(): string;
  log: Logger;
  isLoggedIn(): boolean;
}

/**
 * The outbox senders for `wechat` (1:1) and `wechat_room` (group chats). One send at a time for
 * the whole account (the dispatcher sends to different recipients concurrently): the governor
 * decides, the row goes out, the send is recorded. Held rows return `defer` and stay in the
 * outbox; a target that cannot be found is `fatal` and the task force is told.
 */
export class WechatSender {
  private chain: Promise<unknown> = Promise.resolve();
  readonly senders: { wechat: ChannelSender; wechat_room: ChannelSender };

  constructor(private readonly d: WechatSenderDeps) {
    this.senders = {
      wechat: { send: (row) => this.serial(() => this.send(row, "direct")) },
      wechat_room: { send: (row) => this.serial(() => this.send(row, "group")) },
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async send(row: OutboxRow, kind: SendTarget["kind"]): Promise<SendOutcome> {
    const { app, governor, binder } = this.d;
    const now = app.clock.now();
    if (!this.d.isLoggedIn()) {
      return {
        kind: "defer",
        until: new Date(now.getTime() + OFFLINE_RECHECK_MS),
        reason: "[wechat:offline] 个人微信未登录，登录后发送",
      };
    }
    const target: SendTarget = { kind, id: binder.canonical(kind, row.recipient), purpose: row.purpose };
    const verdict = governor.check(target, now);
    if (!verdict.ok) return { kind: "defer", until: verdict.until, reason: verdict.reason };

    let sayable: Sayable;
    try {
      sayable = await toSayable(row);
    } catch (e) {
      if (e instanceof FatalPayload) return { kind: "fatal", error: e.message };
      throw e;
    }
    const to: Contact | Room | undefined =
      kind === "direct"
        ? await binder.resolveContact(row.recipient)
        : await binder.resolveRoom(row.recipient);
    if (!to) return this.unresolved(row, kind);

    // the budgets every instance shares (the governor's own counts are this process's view)
    const taken = this.d.budgets
      ? await this.d.budgets.take(this.d.accountId?.() ?? "account", { kind, id: to.id }, row)
      : undefined;
    if (taken && !taken.ok)
      return {
        kind: "defer",
        until: new Date(app.clock.now().getTime() + (taken.lost ? 0 : taken.waitMs)),
        reason: taken.lost ? "claim taken over by another instance" : taken.reason,
      };
    try {
      const sent = await to.say(sayable);
      governor.recordSent({ kind, id: to.id }, app.clock.now());
      return { kind: "sent", ...(sent?.id ? { externalMsgId: sent.id } : {}) };
    } catch (err) {
      const at = app.clock.now();
      const failure = governor.recordFailure(err, at);
      const text = errorText(err).slice(0, 300);
      if (failure.rateLimited && failure.until) {
        if (failure.alerted) await failure.alerted;
        this.d.log.error(
          { outboxId: row.id, error: text, until: failure.until },
          "wechaty: rate limited, breaker open",
        );
        return {
          kind: "defer",
          until: failure.until,
          reason: `${REASON_TAG("breaker")} 微信提示：${text}；暂停发送`,
        };
      }
      return { kind: "retry", error: `微信发送失败：${text}` };
    } finally {
      // counted from WeChat's answer (also after an error: the message may have gone)
      if (taken?.ok) await taken.settle();
    }
  }

  private async unresolved(row: OutboxRow, kind: SendTarget["kind"]): Promise<SendOutcome> {
    const { app } = this.d;
    const label = await this.rosterLabel(row.recipient, kind);
    const text = wechatTexts.unresolvedTarget({
      kind,
      label,
      recipient: row.recipient,
      rowId: row.id,
      purpose: row.purpose,
    });
    this.d.log.error(
      { outboxId: row.id, channel: row.channel, recipient: row.recipient },
      "wechaty: target not found",
    );
    // the give-up alert that follows has the same key: one alert per missing target and day
    const cause = `wechat-unresolved:${row.channel}:${row.recipient}`;
    await notifyTaskForce(app, {
      key: failureAlertKey(cause, app.clock.now()),
      text,
      avoid: [...WECHAT_CHANNELS],
    }).catch((e) => this.d.log.error({ err: e }, "wechaty: alert about a missing target failed"));
    return {
      kind: "fatal",
      cause,
      error: `个人微信找不到${kind === "direct" ? "联系人" : "群聊"}「${label}」（${row.recipient}）`,
    };
  }

  private async rosterLabel(recipient: string, kind: SendTarget["kind"]): Promise<string> {
    const db = this.d.app.store.db;
    if (kind === "direct") {
      const c = await findContact(db, WECHAT_ID, recipient);
      return c?.name ?? recipient;
    }
    const g = await db.chatGroup.findFirst({
      where: roomIdentityIs(recipient),
      select: { name: true },
    });
    return g?.name ?? recipient;
  }
}

/** What WeChat can show: text (markdown made plain, cards as their fallback text) or a file. */
async function toSayable(row: OutboxRow): Promise<Sayable> {
  const p = row.payload;
  switch (row.msgType) {
    case "text":
      if (p.content === undefined)
        throw new FatalPayload("文字消息没有内容（payload.content）/ text message without content");
      return p.content;
    case "markdown":
      if (p.content === undefined)
        throw new FatalPayload("markdown 消息没有内容（payload.content）/ markdown message without content");
      return markdownToPlainText(p.content);
    case "template_card": {
      const text = p.fallbackText ?? p.content;
      if (text === undefined)
        throw new FatalPayload(
          "卡片消息没有替代文字（payload.fallbackText），个人微信无法显示卡片 / template_card without fallbackText",
        );
      return text;
    }
    // a .png FileBox is shown as a picture by WeChat
    case "image":
    case "file": {
      if (!p.path) throw new FatalPayload("文件消息没有文件路径（payload.path）/ file message without path");
      let data: Buffer;
      try {
        data = await readFile(p.path);
      } catch (e) {
        throw new FatalPayload(`文件无法读取：${p.path}（${errorText(e)}）/ file not readable`);
      }
      // base64 keeps the file inside the message, so it works with every puppet (local or remote)
      return FileBox.fromBase64(data.toString("base64"), p.filename ?? path.basename(p.path));
    }
    default:
      throw new FatalPayload(
        `个人微信不支持的消息类型“${row.msgType}”（可用 text、markdown、template_card、file、image）/ unsupported msgType`,
      );
  }
}
