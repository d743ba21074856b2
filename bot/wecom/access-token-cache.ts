import { createHash } from "node:crypto";
import type { Clock } from "../../src/time/clock.js";

export interface FetchedToken {
  token: string;
  expiresInS: number;
}

interface Entry {
  token?: string;
  expiresAt: number;
  inflight?: Promise<string>;
}

/**
 * Access tokens per (corpid, agentid, secret): a token works only for the app whose secret
 * created it. Refreshed `refreshEarlyMs` before expiry; concurrent callers share one refresh.
 */
export class AccessTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly refreshEarlyMs = 5 * 60_000,
  ) {}

  static key(corpId: string, agentId: number | string, secret: string): string {
    // the secret itself is never a map key (heap dumps, debug output)
    return `${corpId}|${agentId}|${createHash("sha256").update(secret).digest("hex").slice(0, 16)}`;
  }

  async get(key: string, fetchToken: () => Promise<FetchedToken>): Promise<string> {
    const e = this.entry(key);
    if (e.token && this.clock.now().getTime() < e.expiresAt - this.refreshEarlyMs) return e.token;
    if (!e.inflight) {
      e.inflight = (async () => {
        try {
          const t = await fetchToken();
          e.token = t.token;
          e.expiresAt = this.clock.now().getTime() + t.expiresInS * 1000;
          return t.token;
        } finally {
          e.inflight = undefined;
        }
      })();
    }
    return e.inflight;
  }

  /** Drops `token` if it is still the cached one (a concurrent refresh may have replaced it). */
  invalidate(key: string, token: string): void {
    const e = this.entries.get(key);
    if (e && e.token === token) {
      e.token = undefined;
      e.expiresAt = 0;
    }
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { expiresAt: 0 };
      this.entries.set(key, e);
    }
    return e;
  }
}
