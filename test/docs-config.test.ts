import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envSchema, loadConfig, withoutEmptyValues } from "../src/config/config.js";

const read = (f: string) => readFileSync(new URL(`../${f}`, import.meta.url), "utf8");
const exampleVars = [...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
const schemaVars = Object.keys(envSchema.shape);

describe("configuration documentation stays true", () => {
  it(".env.example lists exactly the variables of the config schema (plus the robot-key pattern)", () => {
    const listed = exampleVars.filter((v) => !v.startsWith("WECOM_ROBOT_KEY_"));
    expect([...new Set(listed)].sort()).toEqual([...schemaVars].sort());
    expect(exampleVars.some((v) => v.startsWith("WECOM_ROBOT_KEY_"))).toBe(true);
  });

  it("the README configuration table names every variable", () => {
    const readme = read("README.md");
    const missing = [...schemaVars, "WECOM_ROBOT_KEY_*"].filter((v) => !readme.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });

  it(".env.example defaults parse and equal the schema defaults", () => {
    const env: Record<string, string> = {};
    for (const m of read(".env.example").matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)) env[m[1]!] = m[2]!;
    expect(envSchema.parse(withoutEmptyValues(env))).toEqual(envSchema.parse({}));
    // a copied .env.example starts the bot console-only, without errors
    const config = loadConfig(env);
    expect(config.wecomEnabled).toBe(false);
    expect(config.wechatyEnabled).toBe(false);
  });

  it("every file or folder of the project the README names exists", () => {
    const named = [...read("README.md").matchAll(/`((?:bot|src|test|bench|prisma|templates)\/[^`\s]+)`/g)]
      .map((m) => m[1]!)
      .filter((p) => !/[<{*]/.test(p)); // patterns such as prisma/<provider>/… are not paths
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((p) => !existsSync(new URL(`../${p}`, import.meta.url)))).toEqual([]);
  });
});
