import { createHash } from "node:crypto";
import type { Clock } from "../../../src/time/clock.js";

export interface FetchedToken {
  token: string;
  expiresInS: number;
}

interface Entry {
  token?: string;
  expiresAt: number;
  /** When to start fetching the next token (before expiresAt). */
  refreshAt: number;
  inflight?: Promise<string>;
}

/**
 * Access tokens per (corpid, agentid, secret): a token works only for the app whose secret
 * created it. Refreshed `refreshEarlyMs` before expiry (at most half the token's lifetime early);
 * concurrent callers share one refresh. While the cached token is still valid a failed early
 * refresh does not fail the caller: the old token is used and the next call tries again.
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
    const now = this.clock.now().getTime();
    if (e.token && now < e.refreshAt) return e.token;
    if (!e.inflight) {
      e.inflight = (async () => {
        try {
          const t = await fetchToken();
          const lifetimeMs = t.expiresInS * 1000;
          const at = this.clock.now().getTime();
          e.token = t.token;
          e.expiresAt = at + lifetimeMs;
          e.refreshAt = at + lifetimeMs - Math.min(this.refreshEarlyMs, lifetimeMs / 2);
          return t.token;
        } finally {
          e.inflight = undefined;
        }
      })();
    }
    const stale = e.token && now < e.expiresAt ? e.token : undefined;
    if (!stale) return e.inflight;
    return e.inflight.catch((err: unknown) => {
      if (e.token === stale && this.clock.now().getTime() < e.expiresAt) return stale;
      throw err;
    });
  }

  /** Drops `token` if it is still the cached one (a concurrent refresh may have replaced it). */
  invalidate(key: string, token: string): void {
    const e = this.entries.get(key);
    if (e && e.token === token) {
      e.token = undefined;
      e.expiresAt = 0;
      e.refreshAt = 0;
    }
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { expiresAt: 0, refreshAt: 0 };
      this.entries.set(key, e);
    }
    return e;
  }
}
