import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

/** One frame as it crossed the wire ({cmd, headers:{req_id}, body} or an ack {headers, errcode, errmsg}). */
export interface Frame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

export interface FakeAibotOptions {
  botId: string;
  secret: string;
  /** Answer pings (default true); false makes the SDK's heartbeat declare the connection dead. */
  answerPings?: boolean;
}

/**
 * A local stand-in for WeCom's 智能机器人 long-connection endpoint (wss://openws.work.weixin.qq.com),
 * on 127.0.0.1, speaking the wire protocol as @wecom/aibot-node-sdk 1.0.7 and WeCom's DOC/101463
 * describe it: `aibot_subscribe` with bot_id/secret (errcode 0, or 40058-style refusal that the SDK
 * answers by closing and retrying), `ping` acks, `aibot_msg_callback`/`aibot_event_callback` pushed
 * to the client, acks for `aibot_respond_msg`, `aibot_respond_update_msg`, `aibot_send_msg` and the
 * three-step media upload (chunks assembled and checked against the announced size and md5; the file
 * is kept in `media` by its media_id), and a `disconnected_event` when a second connection subscribes for the
 * same bot (WeCom keeps one). Also an HTTP endpoint serving AES-256-CBC-encrypted files, as WeCom's
 * media URLs do. Everything received is kept in `received` for assertions.
 */
export class FakeAibotServer {
  readonly received: Frame[] = [];
  /** Subscribes seen, with their outcome. */
  readonly subscribes: { botId: unknown; ok: boolean }[] = [];
  connections = 0;
  /** Connections open right now, and the most ever open at once (one per bot id is WeCom's rule). */
  open = 0;
  maxOpen = 0;
  pings = 0;
  /** Next errcodes to answer aibot_send_msg with (shifted per frame; 0 = ok). */
  readonly sendErrors: number[] = [];
  private wss!: WebSocketServer;
  private http!: Server;
  private live: WebSocket | undefined;
  private seq = 0;
  private readonly files = new Map<string, { bytes: Buffer; filename: string }>();
  private readonly uploads = new Map<
    string,
    { type: unknown; filename: string; size: number; chunks: number; md5: string; parts: Map<number, Buffer> }
  >();
  /** Media assembled from finished uploads, by media_id (what a recipient would receive). */
  readonly media = new Map<string, { type: unknown; filename: string; bytes: Buffer }>();
  private readonly waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  url = "";
  httpUrl = "";

  constructor(readonly o: FakeAibotOptions) {}

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((r) => this.wss.on("listening", () => r()));
    const addr = this.wss.address();
    this.url = `ws://127.0.0.1:${typeof addr === "string" ? addr : addr.port}`;
    this.wss.on("connection", (socket) => this.onConnection(socket));
    this.http = createServer((req, res) => {
      const f = this.files.get(req.url ?? "");
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
      });
      res.end(f.bytes);
    });
    await new Promise<void>((r) => this.http.listen(0, "127.0.0.1", () => r()));
    const h = this.http.address();
    this.httpUrl = `http://127.0.0.1:${typeof h === "string" ? h : h!.port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  /** True while an authenticated connection is open. */
  get authenticated(): boolean {
    return this.live !== undefined;
  }

  /** Pushes a message callback to the authenticated client; returns the frame's req_id. */
  pushMessage(body: Record<string, unknown>): string {
    return this.push("aibot_msg_callback", body);
  }

  pushEvent(body: Record<string, unknown>): string {
    return this.push("aibot_event_callback", body);
  }

  /** Drops the live connection without a close handshake (network loss). */
  drop(): void {
    this.live?.terminate();
    this.live = undefined;
  }

  /** Serves `bytes` encrypted with a fresh per-file key; returns the url and the message's aeskey. */
  hostEncryptedFile(bytes: Buffer, filename: string): { url: string; aeskey: string } {
    const key = randomBytes(32);
    const pad = 32 - (bytes.length % 32);
    const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    const enc = Buffer.concat([
      cipher.update(Buffer.concat([bytes, Buffer.alloc(pad, pad)])),
      cipher.final(),
    ]);
    const path = `/media/${++this.seq}`;
    this.files.set(path, { bytes: enc, filename });
    return { url: `${this.httpUrl}${path}`, aeskey: key.toString("base64") };
  }

  /** Resolves with the next received frame (or one already received) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 8_000): Promise<Frame> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error("fake aibot server: frame not received in time")),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(t);
          resolve(f);
        },
      });
    });
  }

  sent(cmd: string): Frame[] {
    return this.received.filter((f) => f.cmd === cmd);
  }

  private push(cmd: string, body: Record<string, unknown>): string {
    if (!this.live) throw new Error("fake aibot server: no authenticated connection");
    const req_id = `${cmd}_${++this.seq}`;
    this.live.send(JSON.stringify({ cmd, headers: { req_id }, body }));
    return req_id;
  }

  private onConnection(socket: WebSocket): void {
    this.connections += 1;
    this.open += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    socket.on("message", (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.received.push(frame);
      for (const w of [...this.waiters]) {
        if (w.pred(frame)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
      this.answer(socket, frame);
    });
    socket.on("close", () => {
      this.open -= 1;
      if (this.live === socket) this.live = undefined;
    });
  }

  private ack(socket: WebSocket, frame: Frame, errcode = 0, body?: Record<string, unknown>): void {
    const errmsg = errcode === 0 ? "ok" : `fake error ${errcode}`;
    socket.send(
      JSON.stringify({
        headers: { req_id: frame.headers.req_id },
        errcode,
        errmsg,
        ...(body ? { body } : {}),
      }),
    );
  }

  private answer(socket: WebSocket, frame: Frame): void {
    switch (frame.cmd) {
      case "aibot_subscribe": {
        const ok = frame.body?.bot_id === this.o.botId && frame.body?.secret === this.o.secret;
        this.subscribes.push({ botId: frame.body?.bot_id, ok });
        if (!ok) {
          this.ack(socket, frame, 40058);
          return;
        }
        if (this.live && this.live !== socket) {
          // WeCom keeps one connection per bot: the old one is told and closed
          const old = this.live;
          old.send(
            JSON.stringify({
              cmd: "aibot_event_callback",
              headers: { req_id: `evt_${++this.seq}` },
              body: {
                msgid: `disc_${this.seq}`,
                create_time: Math.floor(Date.now() / 1000),
                aibotid: this.o.botId,
                from: { userid: "" },
                msgtype: "event",
                event: { eventtype: "disconnected_event" },
              },
            }),
          );
          setTimeout(() => old.close(), 50);
        }
        this.live = socket;
        this.ack(socket, frame);
        return;
      }
      case "ping":
        this.pings += 1;
        if (this.o.answerPings !== false) this.ack(socket, frame);
        return;
      case "aibot_send_msg":
        this.ack(socket, frame, this.sendErrors.shift() ?? 0);
        return;
      case "aibot_upload_media_init": {
        const b = frame.body ?? {};
        const upload_id = `up_${++this.seq}`;
        this.uploads.set(upload_id, {
          type: b.type,
          filename: String(b.filename ?? ""),
          size: Number(b.total_size),
          chunks: Number(b.total_chunks),
          md5: String(b.md5 ?? ""),
          parts: new Map(),
        });
        this.ack(socket, frame, 0, { upload_id });
        return;
      }
      case "aibot_upload_media_chunk": {
        const b = frame.body ?? {};
        const up = this.uploads.get(String(b.upload_id));
        if (!up) {
          this.ack(socket, frame, 40001); // an unknown upload id (the code is this fake's)
          return;
        }
        up.parts.set(Number(b.chunk_index), Buffer.from(String(b.base64_data ?? ""), "base64"));
        this.ack(socket, frame);
        return;
      }
      case "aibot_upload_media_finish": {
        // the file is assembled from its chunks and checked against the size and md5 announced at init
        const up = this.uploads.get(String(frame.body?.upload_id));
        const parts = up ? [...Array(up.chunks).keys()].map((i) => up.parts.get(i)) : [];
        const bytes = parts.every((p) => p) ? Buffer.concat(parts as Buffer[]) : undefined;
        if (
          !up ||
          !bytes ||
          bytes.length !== up.size ||
          createHash("md5").update(bytes).digest("hex") !== up.md5
        ) {
          this.ack(socket, frame, 40005); // incomplete or corrupt upload (the code is this fake's)
          return;
        }
        const media_id = `media_${++this.seq}`;
        this.media.set(media_id, { type: up.type, filename: up.filename, bytes });
        this.ack(socket, frame, 0, {
          type: up.type,
          media_id,
          created_at: String(Math.floor(Date.now() / 1000)),
        });
        return;
      }
      default:
        this.ack(socket, frame);
    }
  }
}
