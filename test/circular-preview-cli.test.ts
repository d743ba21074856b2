import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSoffice } from "../src/circulars/render-pdf.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { seedSampleQ1 } from "./support/sample-circular.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * `npm run circular:preview -- ID` end to end on a fresh SQLite store: the sample programme with its
 * Q1 reports, a draft made by `kaiqu circular draft`, then the preview through the real CLI (LibreOffice
 * and pdftoppm as installed; KAIQU_SOFFICE from the environment when set).
 */
describe("kaiqu circular-preview", () => {
  let store: CliTestStore;
  let env: Record<string, string>;
  let tmp: string;
  let id: number;
  beforeAll(async () => {
    store = await createCliTestStore("sqlite");
    await store.withDb((db) => seedSampleQ1(db));
    env = {
      ...store.env,
      LOG_LEVEL: "silent",
      ...(process.env.KAIQU_SOFFICE ? { KAIQU_SOFFICE: process.env.KAIQU_SOFFICE } : {}),
    };
    tmp = mkdtempSync(path.join(os.tmpdir(), "kaiqu-preview-"));
    const draft = await runCliCapture(
      ["circular", "draft", "--period", "2023Q1", "--now", "2023-04-25 10:00", "--as", "TF-01"].concat([
        "--out",
        path.join(tmp, "draft"),
        "--json",
      ]),
      env,
    );
    expect(draft.stderr).toBe("");
    expect(draft.code).toBe(0);
    id = JSON.parse(draft.stdout).circular.id;
  }, 60_000);
  afterAll(async () => {
    await store?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("writes the Word and Excel pages as PNG files", async () => {
    expect(hasSoffice(env.KAIQU_SOFFICE ?? "/usr/bin/soffice", process.env.PATH ?? "")).toBe(true);
    const out = path.join(tmp, "preview");
    const r = await runCliCapture(["circular-preview", String(id), "--out", out, "--json"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { dir: string; docx: string[]; xlsx: string[] };
    expect(j.dir).toBe(out);
    // The sample's Word circular: body, charts, the landscape attachment and the 版记 page.
    expect(j.docx.length).toBeGreaterThanOrEqual(6);
    expect(j.xlsx.length).toBeGreaterThanOrEqual(4);
    for (const f of [...j.docx, ...j.xlsx]) {
      expect(path.dirname(f)).toBe(out);
      const png = readFileSync(f);
      expect(png.length, f).toBeGreaterThan(1000);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE), f).toBe(true);
    }
    expect(j.docx.map((f) => path.basename(f))[0]).toMatch(/^docx-0*1\.png$/);
  }, 120_000);

  it("says what is wrong for an unknown circular and for a missing LibreOffice", async () => {
    const unknown = await runCliCapture(["circular-preview", "999"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("找不到编号为 999 的通报");
    const noSoffice = await runCliCapture(["circular-preview", String(id)], {
      ...env,
      KAIQU_SOFFICE: path.join(tmp, "no-such-soffice"),
    });
    expect(noSoffice.code).toBe(1);
    expect(noSoffice.stderr).toContain("找不到 LibreOffice");
    expect(noSoffice.stderr).toContain("KAIQU_SOFFICE");
    // a bare name is looked up on the PATH by the OS
    const bare = await runCliCapture(["circular-preview", String(id)], {
      ...env,
      KAIQU_SOFFICE: "no-such-soffice",
    });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain("找不到 LibreOffice（no-such-soffice）");
  });
});
