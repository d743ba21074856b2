import { fileLimits } from "../../../src/files/file-limits.js";
import { submitWorkbook } from "../../../src/files/submit-workbook.js";
import type { InboundAttachment } from "../../../src/inbound/inbound-event.js";
import { dialogueAnswer, dialogueDeps } from "../dialogue-reply.js";
import { answer, type Handler, type HandlerContext } from "../handler.js";

/** What the reply says it could not read, per attachment kind. */
const UNREAD: Record<InboundAttachment["kind"], string> = {
  image: "图片中的数据",
  voice: "语音中的数据",
  video: "视频中的数据",
  file: "文件中的数据",
  location: "您发送的位置",
  link: "您发送的链接",
  other: "这类消息",
};

/**
 * The reply to anything the bot cannot read (a picture, voice note, video, location, link, …): what
 * it received, what it reads, and how to send the figures instead — a spreadsheet where the
 * transport carries files, else where to send one (a transport capability, not a name).
 */
export function mediaReply(ctx: HandlerContext): string {
  const what = UNREAD[ctx.event.attachment?.kind ?? "other"];
  const reads = ctx.receivesFiles ? "目前只能识别文字消息和 Excel 报送表" : "本应用目前只能识别文字消息";
  const fileWay = ctx.receivesFiles
    ? "也可以直接发送 Excel 报送表（.xlsx、.xls 或 .csv）"
    : "Excel 报送表请发给企业微信「智能机器人」或个人微信机器人（本应用收不到文件）";
  return (
    `您好，机器人暂时无法识别${what}，${reads}。请用以下方式报送：\n` +
    "1. 直接输入文字，例如：惠水经开区 一季度 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场；\n" +
    // the template is text (template.ts): filled in, it comes back as a message on every channel
    "2. 发送“模板”获取文字填报模板，填好后直接发回；\n" +
    `3. ${fileWay}。`
  );
}

/**
 * A message with an attachment: a spreadsheet is read as a report (submitWorkbook: bounds, table,
 * the same dialogue as a typed report); anything else (pictures, voice, video, locations, links, …)
 * gets the polite "how to send" reply.
 * Runs before every text handler (an attachment's text is only its description).
 */
export const reportFile: Handler = {
  name: "report-file",
  matches: (ctx) => ctx.event.attachment !== undefined,
  run: async (ctx) => {
    const a = ctx.event.attachment!;
    if (a.kind !== "file") {
      return answer("info", mediaReply(ctx));
    }
    const limits = fileLimits(ctx.app.config.FILE_MAX_BYTES);
    if (!a.bytes && a.resumed) {
      return answer(
        "refused",
        `文件「${a.fileName ?? "未命名"}」在机器人处理时中断，文件内容未保留，本次未读取。请重新发送该文件。`,
      );
    }
    if (!a.bytes) {
      return answer(
        "refused",
        `文件「${a.fileName ?? "未命名"}」未读取：文件${a.size ? `大小 ${Math.round(a.size / 1024)} KB，` : ""}超过上限 ${Math.round(limits.maxBytes / 1024 / 1024)} MB，或未能下载。请只保留报送用的工作表后再发送。`,
      );
    }
    const r = await submitWorkbook(
      dialogueDeps(ctx),
      { bytes: a.bytes, name: a.fileName ?? "报送.xlsx" },
      { limits, storeDir: ctx.app.config.FILE_STORE_DIR },
    );
    return dialogueAnswer(ctx, r);
  },
};
