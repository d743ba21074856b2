import type { AppContext } from "../../src/app-context.js";
import type { InboundEvent } from "../../src/inbound/inbound-event.js";
import { findContact } from "../../src/programme/programme-repository.js";
import { type Composer, composerOf, type Route } from "../handlers/composer.js";
import type { HandleOutcome, Handler, HandlerContext } from "../handlers/handler.js";
import { createRouter } from "../handlers/router.js";
import type { ChannelRegistry } from "../transports/channel-registry.js";
import { channelRegistry } from "../transports/transports.js";
import {
  countRepliesTo,
  finishInbound,
  inboundSynced,
  recordInbound,
  waitForEarlierFromSender,
} from "./inbound-store.js";
import { createPerKeyQueue } from "./per-key-queue.js";
import { createReplier } from "./replier.js";

export interface HandleResult {
  /** The stored InboundMessage row. */
  inboundId: number;
  /** A redelivery of a message already handled (or being handled right now): nothing was done. */
  duplicate: boolean;
  /** A redelivery of a message a crashed run left unfinished, processed now. */
  resumed: boolean;
  status: "processed" | "failed" | "duplicate";
  /** The registered sender; undefined for an unregistered one. */
  contactId?: string;
  /** Name of the handler that ran ("unregistered" / "unmatched" when none did). */
  handler?: string;
  outcome?: HandleOutcome;
  /** Outbox rows queued as replies to this message (all runs). */
  replies: number;
}

export interface InboundHandlerOptions {
  /** The router (default createRouter(), bot/handlers/router.ts); a list is routed in its order (tests). */
  router?: Composer | Handler[];
  /** Claim lease for resuming crashed messages (default 60 s). */
  leaseMs?: number;
  /** Where replies go and what channels can carry (default: every built-in transport). */
  channels?: ChannelRegistry;
}

const APOLOGY =
  "抱歉，机器人处理您的消息时出现内部错误，本条消息未能处理，已记录并通知维护人员。请稍后重试；如急需报送，可联系省专班。";

/**
 * The one inbound entry point every transport calls. Steps: store the message (dedupe by channel +
 * externalId) → identify the sender → route to the first matching handler (the router, a Composer) →
 * queue the replies the handler returned through the outbox (keys `reply:<inboundId>:<n>`) → mark the
 * message processed (or failed after a handler error, with an apology to the sender; the bot keeps
 * running). Every step logs through the event's child logger (inboundId, channel, externalId, contactId).
 * An unregistered sender gets one polite reply naming whom to contact; apart from the inbound row
 * itself (stored first, before the sender is known, so that dedupe works) nothing is stored for them.
 * Messages of one sender are handled one at a time, in arrival order (per channel + senderRef), in one
 * process by a queue and across instances on one database by waiting for earlier unfinished rows.
 */
export function createInboundHandler(
  app: AppContext,
  opts: InboundHandlerOptions = {},
): (event: InboundEvent) => Promise<HandleResult> {
  const router = Array.isArray(opts.router) ? composerOf(opts.router) : (opts.router ?? createRouter());
  const db = app.store.db;
  const perSender = createPerKeyQueue();
  const channels = opts.channels ?? channelRegistry();

  return (event) => perSender(`${event.channel}\u0000${event.senderRef}`, () => handleOne(event));

  async function handleOne(event: InboundEvent): Promise<HandleResult> {
    const leaseMs = opts.leaseMs ?? app.config.INBOUND_LEASE_S * 1000;
    const recorded = await recordInbound(db, event, app.clock.now(), leaseMs);
    const inboundId = recorded.row.id;
    const log = app.logger.child({ inboundId, channel: event.channel, externalId: event.externalId });
    const countReplies = () => countRepliesTo(db, inboundId);
    if (recorded.kind === "duplicate") {
      log.info({ status: recorded.row.status }, "inbound: duplicate delivery ignored");
      return {
        inboundId,
        duplicate: true,
        resumed: false,
        status: "duplicate",
        replies: await countReplies(),
      };
    }
    if (recorded.kind === "resumed") log.warn("inbound: resuming a message left unfinished");
    // a newly stored row already asked whether an earlier one is being handled (in its INSERT)
    const rosterVersion = recorded.kind === "new" ? recorded.rosterVersion : undefined;
    if (recorded.kind !== "new" || recorded.earlierBusy !== false)
      await waitForEarlierFromSender(db, recorded.row, app.clock, leaseMs);

    const replyTo = channels.replyAddress(event);
    const replier = createReplier(app, inboundId, replyTo, channels);
    const identity = channels.identity(event.channel);
    const contact = identity
      ? await findContact(db, identity, event.senderRef, rosterVersion)
      : await findContact(db, event.senderRef, undefined, rosterVersion);
    // a first run's replies are exactly the ones this replier saw committed (no statement needed)
    const replies = () =>
      recorded.kind === "new" && replier.queued !== undefined
        ? Promise.resolve(replier.queued)
        : countReplies();
    const result = async (r: Partial<HandleResult> & Pick<HandleResult, "status">): Promise<HandleResult> => {
      // what is reported was stored: the inbound row is on disk too (its flush may have run meanwhile)
      await inboundSynced(db);
      return {
        inboundId,
        duplicate: false,
        resumed: recorded.kind === "resumed",
        replies: await replies(),
        ...r,
      };
    };

    if (!contact?.active) {
      if (event.chatRef) {
        // in a group: one short answer per member and group, never a flood, no names
        if (!(await askedBeforeInGroup(db, event, inboundId))) await replier.reply(UNREGISTERED_IN_GROUP);
      } else await replier.reply(unregisteredReply(event.senderRef));
      await finishInbound(db, inboundId, { status: "processed", at: app.clock.now() });
      log.info({ senderRef: event.senderRef }, "inbound: unregistered sender");
      return result({ status: "processed", handler: "unregistered" });
    }

    const contactLog = log.child({ contactId: contact.id });
    // set when the handler's own transaction marked the message and committed (ctx.finishIn)
    let finishedInTx = false;
    const ctx: HandlerContext = {
      app,
      event,
      inboundId,
      contact,
      ...(rosterVersion !== undefined ? { rosterVersion } : {}),
      replyTo,
      receivesFiles: channels.receivesFiles(event.channel),
      text: event.text.trim(),
      log: contactLog,
      queueWith: (tx, r) => replier.reply(r, tx),
      finishIn: async (tx) => {
        await finishInbound(
          db,
          inboundId,
          { status: "processed", contactId: contact.id, at: app.clock.now() },
          tx,
        );
        tx.afterCommit(() => {
          finishedInTx = true;
        });
      },
    };
    let ran: Route | undefined;
    try {
      ran = await router.route(ctx);
      const { outcome, replies } = ran
        ? await ran.run(ctx)
        : { outcome: undefined, replies: [unmatchedReply(event)] };
      for (const r of replies) await replier.reply(r);
      // unless the handler's transaction already marked it (ctx.finishIn): one commit per message
      if (!finishedInTx)
        await finishInbound(db, inboundId, {
          status: "processed",
          contactId: contact.id,
          at: app.clock.now(),
        });
      contactLog.info({ handler: ran?.name ?? "unmatched", outcome }, "inbound: processed");
      return result({
        status: "processed",
        contactId: contact.id,
        handler: ran?.name ?? "unmatched",
        ...(outcome ? { outcome } : {}),
      });
    } catch (e) {
      const error = describeError(e);
      contactLog.error({ err: e, handler: ran?.name }, "inbound: handler failed");
      await replier
        .reply(APOLOGY)
        .catch((err) => contactLog.error({ err }, "inbound: apology could not be queued"));
      await finishInbound(db, inboundId, {
        status: "failed",
        contactId: contact.id,
        error,
        at: app.clock.now(),
      }).catch((err) => contactLog.error({ err }, "inbound: could not mark the message failed"));
      return result({ status: "failed", contactId: contact.id, ...(ran ? { handler: ran.name } : {}) });
    }
  }
}

const UNREGISTERED_IN_GROUP =
  "您好，您的账号尚未登记在经开区培育调度名册中，暂不能在群内报送。请联系省专班登记后再试（本提示只发送一次）。";

/** Whether this member already wrote in this group before (and so had the one answer). */
async function askedBeforeInGroup(
  db: AppContext["store"]["db"],
  event: InboundEvent,
  inboundId: number,
): Promise<boolean> {
  const earlier = await db.inboundMessage.findFirst({
    where: {
      channel: event.channel,
      senderRef: event.senderRef,
      chatRef: event.chatRef,
      id: { lt: inboundId },
    },
    select: { id: true },
  });
  return earlier !== null;
}

/** Re-exported: the count lives with the other per-message statements (inbound-store.ts). */
export { countRepliesTo };

/** Neutral on purpose (#18): a stranger learns no names or numbers of staff. */
function unregisteredReply(senderRef: string): string {
  return (
    `您好！您的账号（${senderRef}）尚未登记在经开区培育调度名册中，暂时无法使用本机器人报送或查询。` +
    "如您是市州商务局联络员，请通过本单位向贵州省商务厅经开区培育工作专班申请登记后再试。"
  );
}

function unmatchedReply(event: InboundEvent): string {
  return event.kind === "action"
    ? "该按钮已失效，请按最新消息操作。发送“帮助”查看可用命令。"
    : "未能识别您的消息。发送“帮助”查看可用命令，发送“模板”获取填报模板。";
}

/** For InboundMessage.error (≤ 1000 chars): the end of the message (where Prisma puts the cause), then the stack. */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const msg = e.message.trim();
  // driver adapters keep the database's own words here (e.g. a trigger's RAISE message)
  const cause = (e as { meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } } }).meta
    ?.driverAdapterError?.cause?.originalMessage;
  const head = `${e.name}: ${msg.length > 600 ? `…${msg.slice(-600)}` : msg}${cause ? ` (${cause})` : ""}`;
  const frames = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  return [head, ...frames].join("\n").slice(0, 1000);
}
