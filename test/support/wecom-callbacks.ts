import { randomBytes } from "node:crypto";
import { CallbackCipher } from "../../bot/transports/wecom-app/callback-crypto.js";

/** Test WeCom callback settings (the key is 43 chars [A-Za-z0-9], as the console generates). */
export const CALLBACK = {
  corpId: "wwcorp0001",
  agentId: 1000002,
  secret: "app-secret",
  token: "kaiquToken42",
  encodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
} as const;

/** The WeCom app settings of the environment, with the API pointed at a fake server. */
export function wecomEnv(apiBase: string): Record<string, string> {
  return {
    WECOM_CORP_ID: CALLBACK.corpId,
    WECOM_AGENT_ID: String(CALLBACK.agentId),
    WECOM_SECRET: CALLBACK.secret,
    WECOM_TOKEN: CALLBACK.token,
    WECOM_ENCODING_AES_KEY: CALLBACK.encodingAESKey,
    WECOM_API_BASE: apiBase,
  };
}

export const callbackCipher = new CallbackCipher({
  token: CALLBACK.token,
  encodingAESKey: CALLBACK.encodingAESKey,
  receiveId: CALLBACK.corpId,
});

export function textMessageXml(o: {
  from: string;
  content: string;
  msgId: string;
  createTime?: number;
}): string {
  return (
    `<xml><ToUserName><![CDATA[${CALLBACK.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${o.content}]]></Content><MsgId>${o.msgId}</MsgId><AgentID>${CALLBACK.agentId}</AgentID></xml>`
  );
}

/** A non-text message as WeCom pushes it to a self-built app (per the message-format docs, DOC/90239). */
export function mediaMessageXml(o: {
  from: string;
  type: "image" | "voice" | "video" | "location" | "link";
  msgId: string;
  createTime?: number;
}): string {
  const fields = {
    image:
      "<PicUrl><![CDATA[https://wework.qpic.cn/a.jpg]]></PicUrl><MediaId><![CDATA[media_img_1]]></MediaId>",
    voice: "<MediaId><![CDATA[media_voice_1]]></MediaId><Format><![CDATA[amr]]></Format>",
    video:
      "<MediaId><![CDATA[media_video_1]]></MediaId><ThumbMediaId><![CDATA[media_thumb_1]]></ThumbMediaId>",
    location:
      "<Location_X>26.1331</Location_X><Location_Y>106.6337</Location_Y><Scale>15</Scale>" +
      "<Label><![CDATA[贵州省黔南州惠水县经济开发区]]></Label><AppType><![CDATA[wxwork]]></AppType>",
    link:
      "<Title><![CDATA[一季度经开区工作简报]]></Title><Description><![CDATA[简报全文]]></Description>" +
      "<Url><![CDATA[https://example.com/brief]]></Url><PicUrl><![CDATA[https://example.com/a.png]]></PicUrl>",
  }[o.type];
  return (
    `<xml><ToUserName><![CDATA[${CALLBACK.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[${o.type}]]></MsgType>` +
    `${fields}<MsgId>${o.msgId}</MsgId><AgentID>${CALLBACK.agentId}</AgentID></xml>`
  );
}

/** An application event without a MsgId (enter_agent when the contact opens the app, subscribe, …). */
export function appEventXml(o: { from: string; event: string; createTime?: number }): string {
  return (
    `<xml><ToUserName><![CDATA[${CALLBACK.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[${o.event}]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>${CALLBACK.agentId}</AgentID></xml>`
  );
}

export function cardClickXml(o: {
  from: string;
  key: string;
  taskId: string;
  responseCode: string;
  createTime?: number;
}): string {
  return (
    `<xml><ToUserName><![CDATA[${CALLBACK.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${o.key}]]></EventKey>` +
    `<TaskId><![CDATA[${o.taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>` +
    `<ResponseCode><![CDATA[${o.responseCode}]]></ResponseCode><AgentID>${CALLBACK.agentId}</AgentID></xml>`
  );
}

export interface CallbackRequest {
  path: string;
  body: string;
}

/** An encrypted POST as WeCom sends it; `tamper` edits the ciphertext before it is signed. */
export function encryptedPost(
  plainXml: string,
  o: { timestamp?: number; receiveId?: string; tamper?: (encrypt: string) => string; encrypt?: string } = {},
): CallbackRequest {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(5).toString("hex");
  let encrypt = o.encrypt ?? callbackCipher.seal(plainXml, timestamp, nonce, o.receiveId).encrypt;
  if (o.tamper) encrypt = o.tamper(encrypt);
  const signature = callbackCipher.signature(timestamp, nonce, encrypt);
  const q = new URLSearchParams({ msg_signature: signature, timestamp, nonce });
  return {
    path: `/wecom/callback?${q}`,
    body: `<xml><ToUserName><![CDATA[${CALLBACK.corpId}]]></ToUserName><AgentID><![CDATA[${CALLBACK.agentId}]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

export async function post(
  baseUrl: string,
  r: CallbackRequest,
  contentType = "text/xml",
): Promise<{ status: number; body: string }> {
  const res = await fetch(baseUrl + r.path, {
    method: "POST",
    headers: { "content-type": contentType },
    body: r.body,
  });
  const body = await res.text();
  return { status: res.status, body };
}
