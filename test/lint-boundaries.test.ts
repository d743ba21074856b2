import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

// The project's own biome.json, applied to probe files in a scratch tree laid out like the repository.
const root = path.resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "kaiqu-lint-"));
const config = JSON.parse(readFileSync(path.join(root, "biome.json"), "utf8"));
delete config.$schema;
writeFileSync(path.join(scratch, "biome.json"), JSON.stringify(config));
const PROBE = [
  'import Fastify from "fastify";',
  'import { WechatyBuilder } from "wechaty";',
  'import http from "node:http";',
  'import { runCli } from "../bot/cli/run-cli.js";',
  "export const used = [Fastify, WechatyBuilder, http, runCli, fetch];",
  "",
].join("\n");

function lint(folder: "src" | "bot"): string {
  mkdirSync(path.join(scratch, folder), { recursive: true });
  const file = path.join(scratch, folder, "probe.ts");
  writeFileSync(file, PROBE);
  try {
    return execFileSync(
      path.join(root, "node_modules/.bin/biome"),
      ["lint", `--config-path=${scratch}`, file],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ""}${err.stderr ?? ""}`;
  }
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the lint rule that keeps src/ platform-neutral", () => {
  it("refuses bot/, wechaty, fastify, node:http and fetch in src/", () => {
    const out = lint("src");
    expect(out).toContain("src/ must not import fastify");
    expect(out).toContain("src/ must not import wechaty");
    expect(out).toContain("src/ must not import an HTTP client");
    expect(out).toContain("src/ is platform-neutral: it must not import bot/");
    expect(out).toContain("src/ must not make HTTP calls");
  });

  it("allows the same imports in bot/", () => {
    expect(lint("bot")).not.toContain("must not");
  });
});

/**
 * The core (src/) never lists platforms: channels are strings a transport owns
 * (bot/transports/<name>/). This reads every src/ file's code — identifiers and string/template
 * text, not comments (a comment may give a platform's rule as the reason for a limit) — and fails
 * on a platform name outside the allow-list below. Each entry says why the file still names one;
 * the list may only shrink: an entry whose file no longer names a platform fails too.
 */
const PLATFORM = /wecom|wechat|aibot|weixin|企业微信|微信/i;
/** The console transport's channel name: only as a whole string ("console.log" is no channel). */
const CHANNEL_WORDS = /^(console|cli|terminal)$/;

const ALLOWED: Record<string, string> = {
  // data and formats people fill in or read, not code paths
  "src/roster/roster-sheets.ts": "the roster workbook's layout: account and group columns bureaus fill in",
  "src/roster/roster-values.ts": "the roster's words for group channels (企业微信应用群 …)",
  "src/roster/parse-people-sheets.ts":
    "checks which 群聊 address column each kind of group needs (the sheet's rules, user text)",
  "src/programme/sample-programme.ts": "the sample roster's identities and groups (data)",
  "src/files/report-form-workbook.ts":
    "the report form's instructions name where to send it back (user text)",
  "src/config/config.ts": "the environment schema (= .env.example, checked by docs-config.test.ts)",
  "src/log/logger.ts": "redacts secrets by name, before any transport is loaded",
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Platform names in a file's identifiers and string/template text (comments excluded). */
function platformNames(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const hits = new Set<string>();
  const visit = (n: ts.Node) => {
    if (
      (ts.isIdentifier(n) ||
        ts.isPrivateIdentifier(n) ||
        ts.isStringLiteral(n) ||
        ts.isNoSubstitutionTemplateLiteral(n) ||
        ts.isTemplateHead(n) ||
        ts.isTemplateMiddle(n) ||
        ts.isTemplateTail(n)) &&
      (PLATFORM.test(n.text) ||
        (!ts.isIdentifier(n) && !ts.isPrivateIdentifier(n) && CHANNEL_WORDS.test(n.text)))
    )
      hits.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...hits];
}

const naming = Object.fromEntries(
  tsFiles(path.join(root, "src"))
    .map(
      (f) =>
        [
          path.relative(root, f).split(path.sep).join("/"),
          platformNames(f, readFileSync(f, "utf8")),
        ] as const,
    )
    .filter(([, hits]) => hits.length > 0),
);

describe("the core never lists platforms", () => {
  it("no platform name in src/ code outside the justified allow-list", () => {
    const offenders = Object.entries(naming)
      .filter(([f]) => !(f in ALLOWED))
      .map(([f, hits]) => `${f}: ${hits.slice(0, 5).join(", ")}`);
    expect(offenders).toEqual([]);
  });

  it("the allow-list only shrinks: every entry still needs its exemption", () => {
    expect(Object.keys(ALLOWED).filter((f) => !(f in naming))).toEqual([]);
  });

  it("the check sees code, not comments", () => {
    expect(platformNames("a.ts", '// WeCom allows 5 s\nconst x = "wecom_app";')).toEqual(["wecom_app"]);
    const template = ["/** WeChat folds */ const n = `$", "{1}企业微信$", "{2}`;"].join("");
    expect(platformNames("b.ts", template)).toEqual(["企业微信"]);
    expect(platformNames("c.ts", "const limit = 2048; // WeCom")).toEqual([]);
    expect(platformNames("d.ts", 'console.log("x"); const c = "console";')).toEqual(["console"]);
  });
});
