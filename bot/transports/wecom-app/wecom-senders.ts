import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../../src/log/logger.js";
import type { ChannelSender, SendContext } from "../../../src/outbox/dispatcher.js";
import type { OutboxRow } from "../../../src/outbox/outbox.js";
import type { SendOutcome } from "../../../src/outbox/outbox-message.js";
import type { SendBudget } from "../../../src/outbox/send-budgets.js";
import { splitByBytes } from "../../../src/text/split-by-bytes.js";
import type { Clock } from "../../../src/time/clock.js";
import type { CardResponseCodes } from "./card-response-codes.js";
import { MediaUploads } from "./media-uploads.js";
import { PartProgress } from "./part-progress.js";
import { localBudget, SlidingWindowLimiter } from "./rate-limiter.js";
import { needsResendNotice, RESEND_NOTICE, ROW_MARK_MAX_BYTES, rowMark } from "./row-marker.js";
import { WECOM_LIMITS } from "./wecom-api-types.js";
import type { WecomClient } from "./wecom-client.js";
import { outcomeOf, SendRefused, WecomApiError } from "./wecom-errors.js";
import { WECOM_RATE_LIMITS, type WecomRateLimits } from "./wecom-rate-limits.js";

export interface WecomSendersOptions {
  client: WecomClient;
  clock: Clock;
  logger: Logger;
  /** config.robotKeys: env-var name → webhook key, looked up at send time. */
  robotKeys: Readonly<Record<string, string>>;
  cardCodes?: CardResponseCodes;
  /** false turns the client-side budgets off (bench baseline only). */
  rateLimits?: WecomRateLimits | false;
  /**
   * Budgets shared by every instance (SharedSendBudget over the database); default: in-process
   * budgets from `rateLimits`, which only hold for a single instance.
   */
  budgets?: Partial<Record<keyof WecomRateLimits, SendBudget>>;
  /** How long app-chat member lists are cached for the per-member budget (default 10 min). */
  chatMembersTtlMs?: number;
}

export type WecomChannel = "wecom_app" | "wecom_appchat" | "wecom_robot";

/** Senders for the WeCom outbox channels (app ones only when app credentials are configured). */
export function createWecomSenders(o: WecomSendersOptions): Partial<Record<WecomChannel, ChannelSender>> {
  const s = new WecomSenders(o);
  const robot: ChannelSender = { send: (row, ctx) => s.sendRobot(row, ctx) };
  if (!o.client.hasApp) return { wecom_robot: robot };
  return {
    wecom_app: { send: (row, ctx) => s.sendApp(row, ctx) },
    wecom_appchat: { send: (row, ctx) => s.sendAppchat(row, ctx) },
    wecom_robot: robot,
  };
}

const ROBOT_CARD_TYPES = new Set(["text_notice", "news_notice"]);

class WecomSenders {
  private readonly limits: Partial<Record<keyof WecomRateLimits, SendBudget>>;
  private readonly contexts = new WeakMap<OutboxRow, SendContext>();
  private readonly uploads: MediaUploads;
  private readonly progress = new PartProgress();
  private readonly members = new Map<string, { userids: string[]; at: number }>();
  private readonly log: Logger;

  constructor(private readonly o: WecomSendersOptions) {
    const rl = o.rateLimits === undefined ? WECOM_RATE_LIMITS : o.rateLimits;
    this.limits =
      rl === false
        ? {}
        : (o.budgets ?? {
            app: localBudget(new SlidingWindowLimiter(rl.app, o.clock), "app"),
            appchat: localBudget(new SlidingWindowLimiter(rl.appchat, o.clock), "appchat"),
            robot: localBudget(new SlidingWindowLimiter(rl.robot, o.clock), "robot"),
          });
    this.log = o.logger.child({ component: "wecom-sender" });
    this.uploads = new MediaUploads(o.clock);
  }

  sendApp(row: OutboxRow, ctx?: SendContext): Promise<SendOutcome> {
    if (ctx) this.contexts.set(row, ctx);
    return this.guard(row, async () => {
      const to = { touser: [row.recipient] };
      // WeCom userids are case-insensitive: one member, one budget
      const member = [row.recipient.toLowerCase()];
      const c = this.o.client;
      if (row.msgType === "template_card") {
        const card = row.payload.card;
        if (!card) throw new SendRefused("payload.card 缺失 / missing card");
        const taskId = typeof card.task_id === "string" ? card.task_id : undefined;
        const code = taskId ? await this.o.cardCodes?.take(row.recipient, taskId) : undefined;
        const buttonOnly = typeof card.replace_name === "string" && card.card_type === undefined;
        if (code) {
          const updated = await c
            .updateTemplateCard({
              userids: [row.recipient],
              response_code: code,
              ...(buttonOnly
                ? { button: { replace_name: String(card.replace_name) } }
                : { template_card: card }),
            })
            .then(() => true)
            .catch((e: unknown) => {
              if (e instanceof WecomApiError && e.action === "give_up") {
                this.log.info(
                  { outboxId: row.id, errcode: e.errcode },
                  "card update refused, sending instead",
                );
                return false;
              }
              // transient: keep the code for the retry (a spent code is refused and falls back)
              return this.o.cardCodes?.remember(row.recipient, taskId!, code).then(() => {
                throw e;
              });
            });
          if (updated) return { kind: "sent", errcode: 0 };
        }
        if (buttonOnly) {
          if (!row.payload.fallbackText) return { kind: "sent", errcode: 0 };
          return this.sendParts(
            row,
            "app",
            member,
            this.markedParts(row, row.payload.fallbackText, WECOM_LIMITS.appText),
            (t) =>
              c
                .sendMessage(to, { msgtype: "text", text: { content: t } })
                .then((r) => this.checkRecipient(row, r)),
          );
        }
        return this.sendParts(row, "app", member, [""], () =>
          c
            .sendMessage(to, { msgtype: "template_card", template_card: card })
            .then((r) => this.checkRecipient(row, r)),
        );
      }
      if (row.msgType === "image") {
        return this.sendParts(row, "app", member, [""], async () => {
          const mediaId = await this.uploads.mediaId(row.payload, "app-image", (f) =>
            c.uploadMedia("image", f).then((m) => m.media_id),
          );
          return c
            .sendMessage(to, { msgtype: "image", image: { media_id: mediaId } })
            .then((r) => this.checkRecipient(row, r));
        });
      }
      if (row.msgType === "file") {
        return this.sendParts(row, "app", member, [""], async () => {
          const mediaId = await this.uploads.mediaId(row.payload, "app", (f) =>
            c.uploadMedia("file", f).then((m) => m.media_id),
          );
          return c
            .sendMessage(to, { msgtype: "file", file: { media_id: mediaId } })
            .then((r) => this.checkRecipient(row, r));
        });
      }
      const markdown = row.msgType === "markdown";
      const limit = markdown ? WECOM_LIMITS.appMarkdown : WECOM_LIMITS.appText;
      return this.sendParts(row, "app", member, this.markedParts(row, this.content(row), limit), (t) =>
        c
          .sendMessage(
            to,
            markdown
              ? { msgtype: "markdown", markdown: { content: t } }
              : { msgtype: "text", text: { content: t } },
          )
          .then((r) => this.checkRecipient(row, r)),
      );
    });
  }

  sendAppchat(row: OutboxRow, ctx?: SendContext): Promise<SendOutcome> {
    if (ctx) this.contexts.set(row, ctx);
    return this.guard(row, async () => {
      const c = this.o.client;
      const chatid = row.recipient;
      const members = this.limits.appchat ? await this.chatMembers(chatid) : [];
      if (row.msgType === "image") {
        return this.sendParts(row, "appchat", members, [""], async () => {
          const mediaId = await this.uploads.mediaId(row.payload, "app-image", (f) =>
            c.uploadMedia("image", f).then((m) => m.media_id),
          );
          await c.appchatSend(chatid, { msgtype: "image", image: { media_id: mediaId } });
          return undefined;
        });
      }
      if (row.msgType === "file") {
        return this.sendParts(row, "appchat", members, [""], async () => {
          const mediaId = await this.uploads.mediaId(row.payload, "app", (f) =>
            c.uploadMedia("file", f).then((m) => m.media_id),
          );
          await c.appchatSend(chatid, { msgtype: "file", file: { media_id: mediaId } });
          return undefined;
        });
      }
      // app chats have no template cards: the fallback text goes instead
      const markdown = row.msgType === "markdown";
      const text = row.msgType === "template_card" ? this.fallback(row) : this.content(row);
      const limit = markdown ? WECOM_LIMITS.appchatMarkdown : WECOM_LIMITS.appchatText;
      return this.sendParts(row, "appchat", members, this.parts(text, limit), async (t) => {
        await c.appchatSend(
          chatid,
          markdown
            ? { msgtype: "markdown", markdown: { content: t } }
            : { msgtype: "text", text: { content: t } },
        );
        return undefined;
      });
    });
  }

  sendRobot(row: OutboxRow, ctx?: SendContext): Promise<SendOutcome> {
    if (ctx) this.contexts.set(row, ctx);
    return this.guard(row, async () => {
      const c = this.o.client;
      const name = row.recipient;
      const key = this.o.robotKeys[name];
      if (!key) throw new SendRefused(`群机器人未配置 / robot key not configured: ${name}`);
      // the budget is the robot's (its key), however many names point to it
      const keys = [createHash("sha256").update(key).digest("hex").slice(0, 16)];
      const done = () => undefined;
      if (row.msgType === "file") {
        return this.sendParts(row, "robot", keys, [""], async () => {
          const mediaId = await this.uploads.mediaId(row.payload, `robot:${name}`, (f) =>
            c.webhookUploadMedia(key, "file", f).then((m) => m.media_id),
          );
          return c.webhookSend(key, { msgtype: "file", file: { media_id: mediaId } }).then(done);
        });
      }
      if (row.msgType === "image") {
        // a robot sends the picture itself (no upload): base64 + md5 of the raw bytes, ≤ 2 MB
        const data = await readImage(row.payload.path, WECOM_LIMITS.robotImageBytes);
        const image = { base64: data.toString("base64"), md5: createHash("md5").update(data).digest("hex") };
        return this.sendParts(row, "robot", keys, [""], () =>
          c.webhookSend(key, { msgtype: "image", image }).then(done),
        );
      }
      if (row.msgType === "template_card" && ROBOT_CARD_TYPES.has(String(row.payload.card?.card_type))) {
        const card = row.payload.card!;
        return this.sendParts(row, "robot", keys, [""], () =>
          c.webhookSend(key, { msgtype: "template_card", template_card: card }).then(done),
        );
      }
      if (row.msgType === "markdown") {
        return this.sendParts(
          row,
          "robot",
          keys,
          this.parts(this.content(row), WECOM_LIMITS.robotMarkdown),
          (t) => c.webhookSend(key, { msgtype: "markdown", markdown: { content: t } }).then(done),
        );
      }
      const text = row.msgType === "template_card" ? this.fallback(row) : this.content(row);
      const mentions = row.payload.mentions;
      return this.sendParts(row, "robot", keys, this.parts(text, WECOM_LIMITS.robotText), (t, i) =>
        c
          .webhookSend(key, {
            msgtype: "text",
            text: { content: t, ...(mentions?.length && i === 0 ? { mentioned_list: mentions } : {}) },
          })
          .then(done),
      );
    });
  }

  /**
   * Takes the rate budget for the parts still to send (or defers), then sends them in order.
   * Parts that reached WeCom in an earlier attempt of this row are not sent again.
   */
  private async sendParts(
    row: OutboxRow,
    budget: keyof WecomRateLimits,
    keys: string[],
    parts: string[],
    sendOne: (part: string, index: number) => Promise<{ msgid?: string } | undefined>,
  ): Promise<SendOutcome> {
    const { sent: alreadySent, ids } = parts.length > 1 ? this.progress.get(row) : { sent: 0, ids: [] };
    // row.partsSent is the stored progress (survives a crash, a restart or another instance taking the row)
    const first = Math.min(Math.max(alreadySent, row.partsSent), parts.length);
    if (ids.length === 0 && first > 0 && row.externalMsgId) ids.push(...row.externalMsgId.split(","));
    // a takeover after the duplicate-check window (or on a channel without one) says so visibly
    const windowMs = budget === "app" ? this.o.client.duplicateCheckMs : 0;
    const notice = needsResendNotice(row, this.o.clock.now().getTime(), windowMs);
    // the notice goes in front of the first part when it fits, else as a message of its own
    const firstPart = parts[first];
    const separateNotice =
      notice &&
      firstPart !== undefined &&
      firstPart !== "" &&
      Buffer.byteLength(RESEND_NOTICE + firstPart) > 2048;
    const remaining = parts.length - first + (separateNotice ? 1 : 0);
    const limiter = this.limits[budget];
    const budgetTaken =
      limiter && keys.length > 0 && remaining > 0
        ? await limiter.tryAcquire(keys, remaining, row)
        : undefined;
    if (budgetTaken?.lost)
      return { kind: "defer", until: this.o.clock.now(), reason: "claim taken over by another instance" };
    if (budgetTaken?.waitMs === Number.POSITIVE_INFINITY)
      throw new SendRefused(
        `消息分为 ${parts.length} 段，超过每分钟发送上限 / more parts than the rate limit allows`,
      );
    if (budgetTaken && budgetTaken.waitMs > 0)
      return {
        kind: "defer",
        until: new Date(this.o.clock.now().getTime() + budgetTaken.waitMs),
        reason: `WeCom rate budget (${budget}) exhausted`,
      };
    const ctx = this.contexts.get(row);
    if (separateNotice)
      await sendOne(RESEND_NOTICE.trim() + (budget === "app" ? rowMark(row.id) : ""), first);
    let i = first;
    try {
      for (; i < parts.length; i++) {
        const part = parts[i]!;
        const withNotice =
          notice && !separateNotice && i === first && part !== "" ? `${RESEND_NOTICE}${part}` : part;
        const r = await sendOne(withNotice, i);
        if (r?.msgid) ids.push(r.msgid);
        if (parts.length > 1 && i + 1 < parts.length) {
          this.progress.save(row, i + 1, ids);
          await ctx?.recordParts(i + 1, ids);
        }
      }
    } catch (e) {
      if (parts.length > 1) this.progress.save(row, i, ids);
      throw e;
    } finally {
      // counted from when WeCom has certainly received them (also after an error: it may have)
      await budgetTaken?.settle();
    }
    this.progress.clear(row);
    return { kind: "sent", errcode: 0, ...(ids.length ? { externalMsgId: ids.join(",") } : {}) };
  }

  private async guard(row: OutboxRow, run: () => Promise<SendOutcome>): Promise<SendOutcome> {
    try {
      return await run();
    } catch (e) {
      const sent = Math.max(row.partsSent, this.progress.get(row).sent);
      const partsSent = sent > 0 ? { partsSent: sent } : {};
      if (e instanceof SendRefused) return { kind: "fatal", error: e.message, ...partsSent };
      if (e instanceof WecomApiError && e.isConfigError)
        this.log.error(
          { outboxId: row.id, channel: row.channel, errcode: e.errcode, endpoint: e.endpoint },
          `WeCom 配置错误 / configuration error: ${e.message}`,
        );
      const outcome = outcomeOf(e);
      return outcome.kind === "retry" || outcome.kind === "fatal" ? { ...outcome, ...partsSent } : outcome;
    }
  }

  /** A single recipient reported back as invalid or unlicensed means nothing was delivered. */
  private checkRecipient(
    row: OutboxRow,
    r: { msgid?: string; invaliduser?: string; unlicenseduser?: string },
  ) {
    const me = row.recipient.toLowerCase();
    const listed = (s?: string) => (s ?? "").toLowerCase().split("|").includes(me);
    if (listed(r.invaliduser))
      throw new WecomApiError(
        "message/send",
        81013,
        `userid ${row.recipient} 无效或不在应用可见范围 / invalid or not visible`,
        {
          action: "give_up",
        },
      );
    if (listed(r.unlicenseduser))
      throw new WecomApiError("message/send", 81013, `userid ${row.recipient} 无接口许可 / no API licence`, {
        action: "give_up",
      });
    return r;
  }

  private content(row: OutboxRow): string {
    const t = row.payload.content;
    if (!t || t.trim() === "") throw new SendRefused("payload.content 为空 / empty content");
    return t;
  }

  private fallback(row: OutboxRow): string {
    const t = row.payload.fallbackText ?? row.payload.content;
    if (!t || t.trim() === "")
      throw new SendRefused(
        "该渠道不支持卡片且无 fallbackText / no fallbackText for a channel without cards",
      );
    return t;
  }

  /**
   * App-message parts, each ending with the row's invisible mark: distinct rows never look identical
   * to WeCom's duplicate check, a resend of the same row always does (see row-marker.ts). Room is
   * left for the mark and a resend notice.
   */
  private markedParts(row: OutboxRow, text: string, maxBytes: number): string[] {
    const room = ROW_MARK_MAX_BYTES + Buffer.byteLength(RESEND_NOTICE);
    const mark = rowMark(row.id);
    return this.parts(text, maxBytes - room).map((p) => p + mark);
  }

  private parts(text: string, maxBytes: number): string[] {
    return splitByBytes(text, maxBytes, { numbered: true });
  }

  private async chatMembers(chatid: string): Promise<string[]> {
    const now = this.o.clock.now().getTime();
    const hit = this.members.get(chatid);
    if (hit && now - hit.at < (this.o.chatMembersTtlMs ?? 600_000)) return hit.userids;
    const info = await this.o.client.appchatGet(chatid);
    const userids = info.userlist.map((u) => u.toLowerCase());
    this.members.set(chatid, { userids, at: now });
    return userids;
  }
}

/** An image file the bot wrote, within `max` bytes; anything else is refused (no retry can help). */
async function readImage(file: string | undefined, max: number): Promise<Buffer> {
  if (!file) throw new SendRefused("payload.path 缺失 / missing image path");
  const data = await readFile(file).catch(() => {
    throw new SendRefused(`图片不存在 / image not found: ${path.basename(file)}`);
  });
  if (data.length === 0 || data.length > max)
    throw new SendRefused(`图片大小 ${data.length} 字节超出 ${max} 字节 / image size out of range`);
  return data;
}
