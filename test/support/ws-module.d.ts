// The `ws` package ships without types (it is here as @wecom/aibot-node-sdk's dependency and
// @types/ws is not installed): the few parts the fake long-connection server uses.
declare module "ws" {
  import type { EventEmitter } from "node:events";
  import type { IncomingMessage } from "node:http";
  export interface ClientOptions {
    [key: string]: unknown;
  }
  export class WebSocket extends EventEmitter {
    static readonly OPEN: number;
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    ping(): void;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { host?: string; port?: number });
    address(): { port: number } | string;
    readonly clients: Set<WebSocket>;
    close(cb?: (err?: Error) => void): void;
    on(event: "connection", cb: (socket: WebSocket, req: IncomingMessage) => void): this;
    on(event: "listening", cb: () => void): this;
    on(event: string, cb: (...args: unknown[]) => void): this;
  }
  export default WebSocket;
}
