import type http from "node:http";

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The named field of a multipart/form-data body (enough of RFC 7578 for uploads). */
export function multipartField(
  raw: Buffer,
  contentType: string | undefined,
  name: string,
): { filename: string; data: Buffer } | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? "");
  if (!boundary) return undefined;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let pos = raw.indexOf(delim);
  while (pos !== -1) {
    const next = raw.indexOf(delim, pos + delim.length);
    if (next === -1) break;
    const part = raw.subarray(pos + delim.length + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, headerEnd).toString("utf8");
    if (new RegExp(`name="${name}"`).test(headers)) {
      const filename = /filename="([^"]*)"/.exec(headers)?.[1] ?? "";
      return { filename, data: part.subarray(headerEnd + 4) };
    }
    pos = next;
  }
  return undefined;
}
