import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** One text line of a PDF page as poppler lays it out (points, origin top left). */
export interface PdfLine {
  text: string;
  words: Array<{ text: string; xMin: number; yMin: number; xMax: number; yMax: number }>;
  yMin: number;
  yMax: number;
}

export interface PdfPage {
  width: number;
  height: number;
  lines: PdfLine[];
  /** Every word of the page, space-separated in reading order. */
  text: string;
}

const num = (s: string, name: string) => Number(new RegExp(`${name}="([\\d.]+)"`).exec(s)?.[1]);
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** The pages of a PDF, from `pdftotext -bbox-layout`, and the page count from `pdfinfo`. */
export async function pdfLayout(pdf: Buffer): Promise<{ pages: PdfPage[]; pageCount: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaiqu-pdftext-"));
  try {
    const file = path.join(dir, "in.pdf");
    await writeFile(file, pdf);
    const [{ stdout: html }, { stdout: info }] = await Promise.all([
      run("pdftotext", ["-bbox-layout", file, "-"], { maxBuffer: 256 * 1024 * 1024 }),
      run("pdfinfo", [file]),
    ]);
    const pages = [...html.matchAll(/<page ([^>]*)>([\s\S]*?)<\/page>/g)].map((p) => {
      const lines = [...p[2]!.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)].map((l) => {
        const words = [...l[2]!.matchAll(/<word ([^>]*)>([\s\S]*?)<\/word>/g)].map((w) => ({
          text: unescapeXml(w[2]!),
          xMin: num(w[1]!, "xMin"),
          yMin: num(w[1]!, "yMin"),
          xMax: num(w[1]!, "xMax"),
          yMax: num(w[1]!, "yMax"),
        }));
        return {
          text: words.map((w) => w.text).join(""),
          words,
          yMin: num(l[1]!, "yMin"),
          yMax: num(l[1]!, "yMax"),
        };
      });
      return {
        width: num(p[1]!, "width"),
        height: num(p[1]!, "height"),
        lines,
        text: lines.map((l) => l.words.map((w) => w.text).join(" ")).join("\n"),
      };
    });
    const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    return { pages, pageCount };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pages (0-based) on which a word with exactly this text appears. */
export function pagesWithWord(pages: PdfPage[], text: string): number[] {
  return pages.flatMap((p, i) => (p.lines.some((l) => l.words.some((w) => w.text === text)) ? [i] : []));
}
