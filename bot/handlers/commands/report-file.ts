import { fileLimits } from "../../../src/files/file-limits.js";
import { submitWorkbook } from "../../../src/files/submit-workbook.js";
import { dialogueAnswer, dialogueDeps } from "../dialogue-reply.js";
import { answer, type Handler, type HandlerContext } from "../handler.js";

/**
 * The reply to a picture, voice note or video: how to send the figures instead — a spreadsheet
 * where the transport carries files, else where to send one (a transport capability, not a name).
 */
export function mediaReply(ctx: HandlerContext): string {
  const what = { image: "图片", voice: "语音", video: "视频", file: "文件" }[
    ctx.event.attachment?.kind ?? "file"
  ];
  const fileWay = ctx.receivesFiles
    ? "也可以直接发送 Excel 报送表（.xlsx、.xls 或 .csv）"
    : "Excel 报送表请发给企业微信「智能机器人」或个人微信机器人（本应用收不到文件）";
  return (
    `您好，机器人暂时无法识别${what}中的数据。请用以下方式报送：\n` +
    "1. 直接输入文字，例如：惠水经开区 一季度 进出口累计3.2亿元，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场；\n" +
    "2. 发送“模板”获取填报模板，填好后发回；\n" +
    `3. ${fileWay}。`
  );
}

/**
 * A message with an attachment: a spreadsheet is read as a report (submitWorkbook: bounds, table,
 * the same dialogue as a typed report); pictures, voice and video get the polite "how to send" reply.
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
