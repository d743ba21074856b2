/** Request and response shapes of the WeCom server API (DOC/90236, 90248, 91770, 94888). */

/** Byte limits of message contents (UTF-8), from the WeCom docs. */
export const WECOM_LIMITS = {
  appText: 2048,
  appMarkdown: 2048,
  appchatText: 2048,
  appchatMarkdown: 2048,
  robotText: 2048,
  robotMarkdown: 4096,
  fileBytes: 20 * 1024 * 1024,
  /** media/upload type=image: at most 10 MB, JPG/PNG. */
  imageBytes: 10 * 1024 * 1024,
  /** Group robot image message: at most 2 MB before base64. */
  robotImageBytes: 2 * 1024 * 1024,
} as const;

export type AppMessageBody =
  | { msgtype: "text"; text: { content: string } }
  | { msgtype: "markdown"; markdown: { content: string } }
  | { msgtype: "file"; file: { media_id: string } }
  | { msgtype: "image"; image: { media_id: string } }
  | { msgtype: "template_card"; template_card: Record<string, unknown> };

export type AppchatMessageBody = Exclude<AppMessageBody, { msgtype: "template_card" }>;

export type WebhookMessageBody =
  | {
      msgtype: "text";
      text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] };
    }
  | { msgtype: "markdown"; markdown: { content: string } }
  | { msgtype: "file"; file: { media_id: string } }
  /** The picture itself: base64 of at most 2 MB (before encoding), JPG or PNG, and the md5 of the raw bytes. */
  | { msgtype: "image"; image: { base64: string; md5: string } }
  | { msgtype: "template_card"; template_card: Record<string, unknown> };

export interface AppRecipients {
  touser?: string[];
  toparty?: string[];
  totag?: string[];
}

export interface MessageSendResult {
  msgid?: string;
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  /** Interactive template cards only: usable once within 72 h for update_template_card. */
  response_code?: string;
}

export interface UploadedMedia {
  type: string;
  media_id: string;
  created_at: string;
}

export interface UpdateTemplateCardRequest {
  userids?: string[];
  partyids?: number[];
  tagids?: number[];
  atall?: 0 | 1;
  response_code: string;
  button?: { replace_name: string };
  template_card?: Record<string, unknown>;
}

export interface AppchatInfo {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
  chat_type?: number;
}

export interface FileUpload {
  filename: string;
  data: Uint8Array;
}
