import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

/**
 * The circular's Word and Excel files as a reader sees them: converted to PDF by LibreOffice
 * (headless, with a profile of its own per conversion so parallel runs never share one), and PDF
 * pages to PNG with poppler's pdftoppm. Used by the layout tests and `npm run circular:preview`.
 */
const run = promisify(execFile);

/** LibreOffice's executable unless the configuration names another (`KAIQU_SOFFICE`). */
export const DEFAULT_SOFFICE = "/usr/bin/soffice";

/**
 * Whether `soffice` names an existing file, or (a bare name such as "soffice") one in a directory of
 * `searchPath` (the caller's PATH: the core reads no environment of its own).
 */
export function hasSoffice(soffice: string, searchPath: string): boolean {
  if (soffice.includes(path.sep)) return existsSync(soffice);
  return searchPath.split(path.delimiter).some((dir) => dir !== "" && existsSync(path.join(dir, soffice)));
}

/** docx or xlsx bytes → PDF bytes, converted by the LibreOffice executable `soffice`. */
export async function convertToPdf(
  data: Buffer,
  ext: "docx" | "xlsx",
  soffice = DEFAULT_SOFFICE,
): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaiqu-pdf-"));
  try {
    const input = path.join(dir, `circular.${ext}`);
    await writeFile(input, data);
    const profile = pathToFileURL(path.join(dir, "profile")).href;
    await run(
      soffice,
      [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "pdf", "--outdir", dir, input],
      { timeout: 300_000 },
    );
    return await readFile(path.join(dir, "circular.pdf"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** PDF pages → `<outDir>/<prefix>-N.png` at `dpi`; returns the files in page order. */
export async function pdfToPngs(pdf: Buffer, outDir: string, prefix: string, dpi = 60): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const dir = await mkdtemp(path.join(tmpdir(), "kaiqu-png-"));
  try {
    const input = path.join(dir, "in.pdf");
    await writeFile(input, pdf);
    await run("pdftoppm", ["-png", "-r", String(dpi), input, path.join(outDir, prefix)], {
      timeout: 300_000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const pageNo = (f: string) => Number(/-(\d+)\.png$/.exec(f)?.[1] ?? 0);
  return (await readdir(outDir))
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith(".png"))
    .sort((a, b) => pageNo(a) - pageNo(b))
    .map((f) => path.join(outDir, f));
}
