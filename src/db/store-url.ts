import path from "node:path";

export type Provider = "sqlite" | "postgresql";

export interface StoreUrl {
  provider: Provider;
  /** For SQLite: absolute file path. For PostgreSQL: the connection string as given. */
  target: string;
}

/** Picks the store from DATABASE_URL: file:… → SQLite, postgresql://… → PostgreSQL. */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreUrl {
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", target: url };
  if (url.startsWith("file:")) {
    const raw = url.slice("file:".length).replace(/\?.*$/, "");
    if (raw === "") throw new Error(`DATABASE_URL: expected a file path after "file:" (got "${url}")`);
    return { provider: "sqlite", target: path.resolve(cwd, raw) };
  }
  throw new Error(
    `DATABASE_URL: expected file:PATH or postgresql://… (got "${url.replace(/:[^:@/]*@/, ":***@")}")`,
  );
}

/** The URL with any password masked, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
