import { describe, expect, it } from "vitest";
import { toCallbackMessage, toInboundEvent } from "../bot/transports/wecom-app/callback-message.js";
import { parseCallbackXml } from "../bot/transports/wecom-app/callback-xml.js";
import { appEventXml, mediaMessageXml } from "./support/wecom-callbacks.js";

const at = new Date("2023-04-10T02:00:00Z");
const read = (xml: string) => toInboundEvent(toCallbackMessage(parseCallbackXml(xml)), at);

/** What a decrypted self-built-app callback becomes: every message an event, every event (no MsgId) nothing. */
describe("self-built app callbacks → inbound events", () => {
  it.each([
    ["location", "[位置]"],
    ["link", "[链接]"],
    ["image", "[图片]"],
  ] as const)("a %s message is an event with a byte-less attachment, keyed by its MsgId", (type, text) => {
    const e = read(
      mediaMessageXml({ from: "qn_li", type, msgId: "8300000000000000001", createTime: 1681092000 }),
    );
    expect(e).toEqual({
      channel: "wecom",
      externalId: "msg:8300000000000000001",
      senderRef: "qn_li",
      receivedAt: at,
      kind: "text",
      text,
      attachment: { kind: type },
    });
  });

  it("a message kind the bot has no name for is still an event (answered, never dropped)", () => {
    const xml = mediaMessageXml({
      from: "qn_li",
      type: "link",
      msgId: "8300000000000000002",
      createTime: 1681092000,
    }).replace("<![CDATA[link]]>", "<![CDATA[emotion]]>");
    expect(read(xml)).toMatchObject({ text: "[emotion]", attachment: { kind: "other" } });
    const short = xml.replace("<![CDATA[emotion]]>", "<![CDATA[shortvideo]]>");
    expect(read(short)).toMatchObject({ text: "[小视频]", attachment: { kind: "video" } });
  });

  it.each(["enter_agent", "subscribe", "unsubscribe", "LOCATION"])("the %s event gives no event", (event) => {
    expect(read(appEventXml({ from: "qn_li", event, createTime: 1681092000 }))).toBeUndefined();
  });
});
