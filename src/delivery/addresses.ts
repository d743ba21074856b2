import type { OutboxChannel } from "../domain/codes.js";
import type { ChatGroupDef, ContactDef } from "../programme/programme.js";

export interface Address {
  channel: OutboxChannel;
  recipient: string;
}

export interface EnabledChannels {
  wecom: boolean;
  wechat: boolean;
  /** 智能机器人 (long connection): reaches a WeCom userid 1:1 and group chats by chat id. */
  wecomBot?: boolean;
}

/**
 * Where a contact is reached: WeCom first when configured, else personal WeChat; on neither,
 * the console (so a console-only installation still records what would have been sent).
 */
export function contactAddress(contact: ContactDef, enabled: EnabledChannels): Address {
  const userid = contact.identities.wecom;
  const wxid = contact.identities.wechat;
  if (userid && enabled.wecom) return { channel: "wecom_app", recipient: userid };
  if (userid && enabled.wecomBot) return { channel: "wecom_bot", recipient: userid };
  if (wxid && enabled.wechat) return { channel: "wechat", recipient: wxid };
  return { channel: "console", recipient: contact.id };
}

/** Where a group chat is reached; undefined when its channel is not configured (reported by the caller). */
export function groupAddress(
  group: ChatGroupDef,
  enabled: EnabledChannels & { robotKeys: Readonly<Record<string, string>> },
): Address | undefined {
  switch (group.channel) {
    case "wecom_appchat":
      return enabled.wecom && group.wecomChatId
        ? { channel: "wecom_appchat", recipient: group.wecomChatId }
        : undefined;
    case "wecom_robot":
      // the recipient is the env-var NAME; the sender looks the key up at send time
      return group.webhookKeyEnv && enabled.robotKeys[group.webhookKeyEnv]
        ? { channel: "wecom_robot", recipient: group.webhookKeyEnv }
        : undefined;
    case "wecom_bot":
      // a 智能机器人 group: the chat id the bot saw (pushes reach chats where it was messaged)
      return enabled.wecomBot && group.wecomChatId
        ? { channel: "wecom_bot", recipient: group.wecomChatId }
        : undefined;
    case "wechat_room": {
      const room = group.wechatRoomId ?? group.wechatTopic;
      return enabled.wechat && room ? { channel: "wechat_room", recipient: room } : undefined;
    }
  }
}
