import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AssessmentModel } from "../src/assessment/assessment-model.js";
import { type RenderedCircular, writeCircularFiles } from "../src/circulars/render-circular.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function rendered(tag: string, robot: number, app: number): RenderedCircular {
  return {
    title: "通报",
    text: {
      markdown: `# ${tag}`,
      plain: tag,
      robotParts: Array.from({ length: robot }, (_, i) => `${tag} robot ${i + 1}`),
      appParts: Array.from({ length: app }, (_, i) => `${tag} app ${i + 1}`),
      plainParts: [tag],
    },
    xlsx: Buffer.alloc(200_000, tag),
    docx: Buffer.alloc(300_000, tag),
  };
}

const model = { periodLabel: "2023年一季度", isSample: false } as AssessmentModel;
const meta = { number: 1, docNumber: "黔商函〔2023〕1号", numbered: true, issuer: "省商务厅" };

describe("writeCircularFiles", () => {
  it("renders of one circular at once all succeed and leave complete files, no temp files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaiqu-circ-"));
    dirs.push(dir);
    // the old code emptied parts/ and used pid+millisecond temp names: ENOENT on rename
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => writeCircularFiles(dir, rendered("A", 3, 4), model, meta)),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect((await readdir(path.join(dir, "parts"))).sort()).toEqual([
      "app-1.md",
      "app-2.md",
      "app-3.md",
      "app-4.md",
      "robot-1.md",
      "robot-2.md",
      "robot-3.md",
    ]);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect((await readFile(path.join(dir, "circular.docx"))).length).toBe(300_000);
    expect(await readFile(path.join(dir, "parts", "app-4.md"), "utf8")).toBe("A app 4");
  });

  it("a later rendering with fewer parts removes the stale ones", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaiqu-circ-"));
    dirs.push(dir);
    await writeCircularFiles(dir, rendered("A", 3, 3), model, meta);
    const files = await writeCircularFiles(dir, rendered("B", 1, 2), model, meta);
    expect(files.robotParts.map((f) => path.basename(f))).toEqual(["robot-1.md"]);
    expect((await readdir(path.join(dir, "parts"))).sort()).toEqual(["app-1.md", "app-2.md", "robot-1.md"]);
    expect(await readFile(path.join(dir, "parts", "robot-1.md"), "utf8")).toBe("B robot 1");
  });
});
