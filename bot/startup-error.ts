import { ConfigError } from "../src/config/config.js";
import { PendingMigrationsError } from "../src/db/open-app-store.js";
import { StoreOpenError } from "../src/db/store-open-error.js";

/**
 * The operator-facing text of an error the operator must fix (configuration, store, port), or
 * undefined for a defect (those keep their stack trace). Shared by `npm start` and the CLI so that
 * both print the same one-line Chinese + English message, never a stack or a JSON log line.
 */
export function startupErrorMessage(e: unknown, listen?: { host: string; port: number }): string | undefined {
  if (e instanceof ConfigError || e instanceof PendingMigrationsError || e instanceof StoreOpenError)
    return e.message;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (listen && code === "EADDRINUSE")
    return (
      `端口 ${listen.port} 已被占用（${listen.host}）：请停止占用该端口的程序，或在 .env 中把 PORT 改为其他端口 / ` +
      `port ${listen.port} on ${listen.host} is already in use: stop the other program or set PORT to a free port`
    );
  if (listen && code === "EACCES")
    return (
      `没有权限监听端口 ${listen.port}（${listen.host}）：请把 PORT 改为 1024 以上的端口 / ` +
      `no permission to listen on port ${listen.port} (${listen.host}): set PORT to a port above 1024`
    );
  if (listen && code === "EADDRNOTAVAIL")
    return (
      `本机没有地址 ${listen.host}：请把 HOST 改为 127.0.0.1 或 0.0.0.0 / ` +
      `${listen.host} is not an address of this machine: set HOST to 127.0.0.1 or 0.0.0.0`
    );
  return undefined;
}
