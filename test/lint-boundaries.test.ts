import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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
