import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { type CircularPhrases, loadCircularPhrases } from "./circular-phrases.js";
import { buildCircularView, type CircularMeta } from "./circular-view.js";
import type { DocxFigure } from "./docx-figures.js";
import { type RenderedText, renderCircularMarkdown } from "./render-markdown.js";

export interface RenderedCircular {
  title: string;
  text: RenderedText;
  xlsx: Buffer;
  docx: Buffer;
  /** Why the Word document has no charts, when it has none although charts were asked for. */
  figuresOmitted?: string;
}

export interface RenderOptions {
  /**
   * The charts of the Word document: "auto" draws the circular's charts (src/charts) when a CJK font
   * is installed, else renders without them and says why in `figuresOmitted`; "none" (default: the
   * PNGs cost a second or more, mostly resvg parsing the font) draws none; or the figures themselves.
   */
  figures?: "auto" | "none" | DocxFigure[];
}

/** The circular's charts as Word figures; without a CJK font, none and the reason. */
export async function circularDocxFigures(
  model: AssessmentModel,
): Promise<{ figures: DocxFigure[]; omitted?: string }> {
  const [{ circularChartFigures }, { ChartFontError }] = await Promise.all([
    import("../charts/circular-charts.js"),
    import("../charts/chart-fonts.js"),
  ]);
  try {
    return {
      figures: circularChartFigures(model).map((f) => ({ png: f.png, caption: f.caption, group: f.group })),
    };
  } catch (e) {
    if (e instanceof ChartFontError) return { figures: [], omitted: e.message };
    throw e;
  }
}

export interface CircularFiles {
  dir: string;
  markdown: string;
  plain: string;
  robotParts: string[];
  appParts: string[];
  xlsx: string;
  docx: string;
  /** Names shown to recipients when the files are sent. */
  xlsxName: string;
  docxName: string;
}

export function circularTitle(m: AssessmentModel): string {
  return `关于${m.periodLabel}经开区培育工作进展情况的通报`;
}

/** All three outputs from one model, each from its template in templates/. */
export async function renderCircular(
  model: AssessmentModel,
  meta: CircularMeta,
  phrases: CircularPhrases = loadCircularPhrases(),
  opts: RenderOptions = {},
): Promise<RenderedCircular> {
  const view = buildCircularView(model, meta, phrases);
  const title = circularTitle(model);
  // exceljs and docx are loaded on the first circular, not when the bot or the CLI starts
  const [{ renderCircularXlsx }, { renderCircularDocx }] = await Promise.all([
    import("./render-xlsx.js"),
    import("./render-docx.js"),
  ]);
  const asked = opts.figures ?? "none";
  const charts =
    asked === "auto" ? await circularDocxFigures(model) : { figures: asked === "none" ? [] : asked };
  const [xlsx, docx] = await Promise.all([
    renderCircularXlsx(model, meta, phrases, new Date(model.builtAt)),
    renderCircularDocx(
      model,
      view,
      phrases,
      { title, issuer: meta.issuer, printedOn: String(view.dateText) },
      undefined,
      charts.figures,
    ),
  ]);
  return {
    title,
    text: renderCircularMarkdown(view),
    xlsx,
    docx,
    ...(charts.omitted ? { figuresOmitted: charts.omitted } : {}),
  };
}

/**
 * Write-then-rename, so a dispatcher uploading a file never reads a half-written one. The temporary
 * name is unique per call (two renders of one circular at once — two instances, a send racing a
 * show — each rename their own file; the last rename wins, and both wrote the same content).
 */
async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Removes part files left by an earlier rendering with more parts (never a concurrent writer's temp file). */
async function removeStaleParts(partsDir: string, counts: { robot: number; app: number }): Promise<void> {
  for (const name of await readdir(partsDir)) {
    const m = /^(robot|app)-(\d+)\.md$/.exec(name);
    if (m && Number(m[2]) > counts[m[1] as "robot" | "app"])
      await rm(path.join(partsDir, name), { force: true });
  }
}

/**
 * Writes circular.md (the whole text), circular.txt (plain text), parts/robot-N.md and
 * parts/app-N.md (the chat parts as they are sent), circular.xlsx and circular.docx into `dir`.
 */
export async function writeCircularFiles(
  dir: string,
  r: RenderedCircular,
  model: AssessmentModel,
  meta: CircularMeta,
): Promise<CircularFiles> {
  const abs = path.resolve(dir);
  // never emptied wholesale: a concurrent render of the same circular may be writing into it
  await mkdir(path.join(abs, "parts"), { recursive: true });
  const file = (name: string) => path.join(abs, name);
  const robotParts = r.text.robotParts.map((_, i) => file(`parts/robot-${i + 1}.md`));
  const appParts = r.text.appParts.map((_, i) => file(`parts/app-${i + 1}.md`));
  await Promise.all([
    writeAtomic(file("circular.md"), r.text.markdown),
    writeAtomic(file("circular.txt"), r.text.plain),
    writeAtomic(file("circular.xlsx"), r.xlsx),
    writeAtomic(file("circular.docx"), r.docx),
    ...r.text.robotParts.map((p, i) => writeAtomic(robotParts[i]!, p)),
    ...r.text.appParts.map((p, i) => writeAtomic(appParts[i]!, p)),
  ]);
  await removeStaleParts(path.join(abs, "parts"), {
    robot: robotParts.length,
    app: appParts.length,
  });
  const base = `${meta.numbered ? meta.docNumber : "通报草稿"} ${model.periodLabel}经开区培育工作进展通报${model.isSample ? "（样例）" : ""}`;
  return {
    dir: abs,
    markdown: file("circular.md"),
    plain: file("circular.txt"),
    robotParts,
    appParts,
    xlsx: file("circular.xlsx"),
    docx: file("circular.docx"),
    xlsxName: `${base}.xlsx`,
    docxName: `${base}.docx`,
  };
}
