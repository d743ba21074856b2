import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { OutboxPayload } from "../../../src/outbox/outbox-message.js";
import type { Clock } from "../../../src/time/clock.js";
import { type FileUpload, WECOM_LIMITS } from "./wecom-api-types.js";
import { SendRefused } from "./wecom-errors.js";

/** media_id lives 3 days; reuse it for 2. */
const MEDIA_TTL_MS = 2 * 86_400_000;

/**
 * Uploads a row's file once per scope (app, or one robot: a robot's media_id is usable only by
 * that robot) and reuses the media_id while it is valid — a circular to nine bureaus is uploaded
 * once. Concurrent sends of the same file share one upload.
 */
export class MediaUploads {
  private readonly media = new Map<string, { id: Promise<string>; at: number }>();

  constructor(private readonly clock: Clock) {}

  async mediaId(
    payload: OutboxPayload,
    scope: string,
    put: (f: FileUpload) => Promise<string>,
  ): Promise<string> {
    const file = payload.path;
    if (!file) throw new SendRefused("payload.path 缺失 / missing file path");
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new SendRefused(`文件不存在 / file not found: ${path.basename(file)}`);
    if (info.size <= 5 || info.size > WECOM_LIMITS.fileBytes)
      throw new SendRefused(`文件大小 ${info.size} 字节不在 6 B–20 MB 之间 / file size out of range`);
    const key = `${scope}|${file}|${info.size}|${info.mtimeMs}`;
    const now = this.clock.now().getTime();
    const hit = this.media.get(key);
    if (hit && now - hit.at < MEDIA_TTL_MS) return hit.id;
    const id = readFile(file).then((data) =>
      put({ filename: payload.filename ?? path.basename(file), data }),
    );
    this.media.set(key, { id, at: now });
    id.catch(() => this.media.delete(key));
    return id;
  }
}
