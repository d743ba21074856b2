import { readFile } from "node:fs/promises";
import type { TemplateCard, WSClient } from "@wecom/aibot-node-sdk";
import type { ChannelSender } from "../../../src/outbox/dispatcher.js";
import type { OutboxRow } from "../../../src/outbox/outbox.js";
import type { SendOutcome } from "../../../src/outbox/outbox-message.js";
import type { Clock } from "../../../src/time/clock.js";

/** Errcodes that no retry can fix (the content or the address is wrong); anything else is retried. */
const PERMANENT = new Set([40008, 40058, 45002, 846605, 93006]);

/** How long a row waits when this instance does not hold the connection (another may). */
const NOT_CONNECTED_WAIT_MS = 3_000;

/**
 * Delivers wecom_bot outbox rows over the long connection with `aibot_send_msg` (WeCom's proactive
 * push; it works for replies too and, unlike a passive reply, does not depend on the inbound frame's
 * req_id surviving a reconnect). text/markdown → markdown (a group reply starts with `<@userid>`),
 * template_card → template_card, file → the SDK's chunked media upload, then a file message.
 * "sent" means WeCom acknowledged that frame with errcode 0. An ack that never comes (timeout, the
 * connection dropped) is retried: WeCom has no idempotency key for pushes, so such a retry may,
 * rarely, show a message twice — never lose it.
 */
export function createWecomBotSender(o: { client: () => WSClient | undefined; clock: Clock }): ChannelSender {
  return {
    send: async (row: OutboxRow): Promise<SendOutcome> => {
      const client = o.client();
      if (!client?.isConnected) {
        return {
          kind: "defer",
          until: new Date(o.clock.now().getTime() + NOT_CONNECTED_WAIT_MS),
          reason: "智能机器人长连接未建立（或由其他实例持有）/ long connection not up on this instance",
        };
      }
      try {
        const ack = await sendRow(client, row);
        return { kind: "sent", externalMsgId: ack.headers.req_id };
      } catch (e) {
        return outcomeOf(e);
      }
    },
  };
}

async function sendRow(client: WSClient, row: OutboxRow): Promise<{ headers: { req_id: string } }> {
  const to = row.recipient;
  switch (row.msgType) {
    case "text":
    case "markdown": {
      const mention = (row.payload.mentions ?? []).map((u) => `<@${u}>`).join(" ");
      const content = row.payload.content ?? "";
      return client.sendMessage(to, {
        msgtype: "markdown",
        markdown: { content: mention ? `${mention} ${content}` : content },
      });
    }
    case "template_card": {
      const card = row.payload.card;
      if (!card) throw new Refused("payload.card 缺失 / missing card");
      return client.sendMessage(to, {
        msgtype: "template_card",
        template_card: card as unknown as TemplateCard,
      });
    }
    case "image":
    case "file": {
      const { path, filename } = row.payload;
      if (!path || !filename) throw new Refused("payload.path/filename 缺失 / missing file");
      const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
        throw new Refused(`文件无法读取 / cannot read ${filename}: ${e.code ?? e.message}`);
      });
      const type = row.msgType === "image" ? "image" : "file";
      const media = await client.uploadMedia(bytes, { type, filename });
      return client.sendMediaMessage(to, type, media.media_id);
    }
    default:
      throw new Refused(`不支持的消息类型 / unsupported msgType ${row.msgType}`);
  }
}

class Refused extends Error {}

function outcomeOf(e: unknown): SendOutcome {
  if (e instanceof Refused) return { kind: "fatal", error: e.message };
  // the SDK rejects with the ack frame itself when WeCom answers errcode ≠ 0
  const frame = e as { errcode?: unknown; errmsg?: unknown };
  if (typeof frame?.errcode === "number") {
    const error = `errcode ${frame.errcode}: ${String(frame.errmsg ?? "")}`.slice(0, 300);
    return PERMANENT.has(frame.errcode)
      ? { kind: "fatal", errcode: frame.errcode, error }
      : { kind: "retry", errcode: frame.errcode, error };
  }
  return { kind: "retry", error: e instanceof Error ? e.message.slice(0, 300) : String(e) };
}
