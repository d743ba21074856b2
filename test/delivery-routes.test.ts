import { describe, expect, it } from "vitest";
import { deliveryRoutes } from "../bot/transports/transports.js";
import { loadConfig } from "../src/config/config.js";
import { contactAddress, groupRoute } from "../src/delivery/addresses.js";
import type { ChatGroupDef, ContactDef } from "../src/programme/programme.js";

const WECOM = {
  WECOM_CORP_ID: "ww0123456789",
  WECOM_AGENT_ID: "1000002",
  WECOM_SECRET: "secret",
  WECOM_TOKEN: "token",
  WECOM_ENCODING_AES_KEY: "a".repeat(43),
};
const BOT = { WECOM_BOT_ID: "bot-id", WECOM_BOT_SECRET: "bot-secret" };
const WECHAT = { WECHATY_PUPPET: "wechaty-puppet-mock" };

const contact = (identities: Record<string, string>): ContactDef => ({
  id: "C1",
  name: "李联络",
  role: "bureau_contact",
  prefectureCode: "5227",
  identities,
  active: true,
});
const group = (channel: string, identities: Record<string, string>): ChatGroupDef => ({
  id: "G1",
  name: "群",
  channel,
  identities,
  audience: "prefecture",
  prefectureCode: "5227",
  copyReminders: true,
});

/** The routes built from the transports' ChannelSpecs, as the core's delivery sees them. */
describe("delivery routes from the transports", () => {
  it("a contact goes to the first configured channel that knows them; avoided channels are skipped", () => {
    const routes = deliveryRoutes(loadConfig({ ...WECOM, ...BOT, ...WECHAT }));
    const c = contact({ wecom: "qn_li", wechat: "wxid_li" });
    expect(contactAddress(c, routes)).toEqual({ channel: "wecom_app", recipient: "qn_li" });
    expect(contactAddress(c, routes, ["wecom_app"])).toEqual({ channel: "wecom_bot", recipient: "qn_li" });
    expect(contactAddress(c, routes, ["wecom_app", "wecom_bot"])).toEqual({
      channel: "wechat",
      recipient: "wxid_li",
    });
    expect(contactAddress(c, routes, ["wecom_app", "wecom_bot", "wechat"])).toEqual({
      channel: routes.fallback,
      recipient: "C1",
    });
    // an unconfigured platform is passed over: only the 智能机器人 is on
    const botOnly = deliveryRoutes(loadConfig(BOT));
    expect(contactAddress(c, botOnly)).toEqual({ channel: "wecom_bot", recipient: "qn_li" });
    expect(contactAddress(contact({ wechat: "wxid_li" }), botOnly)).toEqual({
      channel: "console",
      recipient: "C1",
    });
  });

  it("a group is reached by its channel's identities, or the transport says why not", () => {
    const routes = deliveryRoutes(loadConfig({ ...WECOM, ...WECHAT, WECOM_ROBOT_KEY_QN: "k" }));
    expect(groupRoute(group("wechat_room", { wechat_topic: "黔南群" }), routes)).toEqual({
      address: { channel: "wechat_room", recipient: "黔南群" },
    });
    expect(
      groupRoute(group("wechat_room", { wechat_room_id: "1@chatroom", wechat_topic: "黔南群" }), routes),
    ).toEqual({ address: { channel: "wechat_room", recipient: "1@chatroom" } });
    expect(groupRoute(group("wecom_robot", { wecom_robot_key_env: "WECOM_ROBOT_KEY_QN" }), routes)).toEqual({
      address: { channel: "wecom_robot", recipient: "WECOM_ROBOT_KEY_QN" },
    });
    expect(groupRoute(group("wecom_robot", { wecom_robot_key_env: "WECOM_ROBOT_KEY_TR" }), routes)).toEqual({
      reason: "环境变量 WECOM_ROBOT_KEY_TR 未设置（群机器人密钥）",
    });
    expect(groupRoute(group("wecom_appchat", {}), routes)).toEqual({ reason: "群聊未填写企业微信 chatid" });
    expect(groupRoute(group("wecom_bot", { wecom_chat: "wr1" }), routes)).toEqual({
      reason: "未配置智能机器人（WECOM_BOT_ID、WECOM_BOT_SECRET）",
    });
    expect(groupRoute(group("fax", { fax: "1" }), routes)).toEqual({ reason: "没有传输模块提供渠道 fax" });
  });

  it("channels declare their markdown limits and mention identities", () => {
    const routes = deliveryRoutes(loadConfig({}));
    const by = Object.fromEntries(routes.channels.map((r) => [r.channel, r]));
    expect([
      by.wecom_robot?.markdownBytes,
      by.wecom_appchat?.markdownBytes,
      by.wechat_room?.markdownBytes,
    ]).toEqual([4096, 2048, undefined]);
    expect(by.wechat_room?.textChars).toBe(1500);
    expect(by.wecom_robot?.mentionIdentity).toBe("wecom");
    expect(by.wecom_bot?.mentionIdentity).toBeUndefined();
  });
});
