import type { InboundEvent } from "../../../src/inbound/inbound-event.js";
import type { Logger } from "../../../src/log/logger.js";
import type { BotFile } from "./frame-events.js";

/**
 * The event of a 1:1 file or picture, as every transport hands it to `handle`: a file is downloaded
 * now (WeCom's URL lives 5 minutes) through the SDK's downloadFile with the message's own aeskey and
 * carried as bytes within the size limit (beyond it, or when the download fails, the attachment has
 * no bytes and the reader says so); a picture carries no bytes and gets the polite how-to reply.
 */
export async function fileEvent(
  event: InboundEvent,
  file: BotFile,
  maxBytes: number,
  log: Logger,
): Promise<InboundEvent> {
  if (file.kind === "image") return { ...event, text: "[图片]", attachment: { kind: "image" } };
  try {
    const { bytes, filename } = await file.download();
    const name = filename ?? "报送.xlsx";
    return {
      ...event,
      text: `[文件] ${name}`,
      attachment: {
        kind: "file",
        fileName: name,
        ...(bytes.length <= maxBytes ? { bytes } : { size: bytes.length }),
      },
    };
  } catch (e) {
    log.warn({ err: e }, "智能机器人文件下载失败 / file download failed");
    return { ...event, text: "[文件] 下载失败", attachment: { kind: "file" } };
  }
}
