import path from "node:path";
import type { Command } from "commander";
import { CircularError } from "../../../src/circulars/circular-error.js";
import { circularMeta, getCircular } from "../../../src/circulars/circular-service.js";
import { renderCircular } from "../../../src/circulars/render-circular.js";
import { convertToPdf, pdfToPngs } from "../../../src/circulars/render-pdf.js";
import { type CliContext, CliError } from "../cli-context.js";

/**
 * `kaiqu circular-preview ID [--out DIR] [--dpi N]` (`npm run circular:preview -- ID`): renders the
 * stored circular's Word (with its charts) and Excel files, converts them with LibreOffice and writes
 * their pages as PNG (docx-N.png, xlsx-N.png) for people to look at.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("circular-preview")
    .description("把通报的 Word、Excel 版转成 PNG 页面图片供查看 / PNG pages of a circular's docx and xlsx")
    .argument("<id>", "通报编号")
    .option("--out <dir>", "输出目录（默认 out/circulars/preview-<编号>）")
    .option("--dpi <n>", "分辨率（默认 60）", "60")
    .option("--json", "JSON output")
    .action(async (idText: string, opts: { out?: string; dpi: string; json?: boolean }) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id <= 0)
        throw new CliError(`通报编号应为正整数（读到 "${idText}"），例如 npm run circular:preview -- 3`, 2);
      const dpi = Number(opts.dpi);
      if (!Number.isInteger(dpi) || dpi < 20 || dpi > 300) throw new CliError(`--dpi 应为 20–300 的整数`, 2);
      const app = await ctx.app();
      const soffice = app.config.KAIQU_SOFFICE;
      let c: Awaited<ReturnType<typeof getCircular>>;
      try {
        c = await getCircular(app, id);
      } catch (e) {
        if (e instanceof CircularError) throw new CliError(e.message, 1);
        throw e;
      }
      const rendered = await renderCircular(c.model, circularMeta(app, c), undefined, { figures: "auto" });
      const out = path.resolve(opts.out ?? path.join("out", "circulars", `preview-${id}`));
      // a missing executable shows as ENOENT from the first conversion (the OS resolves a bare name)
      const toPdf = (data: Buffer, ext: "docx" | "xlsx") =>
        convertToPdf(data, ext, soffice).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e;
          throw new CliError(
            `找不到 LibreOffice（${soffice}）：请安装 libreoffice-writer 和 libreoffice-calc，或用 KAIQU_SOFFICE 指明路径`,
            1,
          );
        });
      const docx = await pdfToPngs(await toPdf(rendered.docx, "docx"), out, "docx", dpi);
      const xlsx = await pdfToPngs(await toPdf(rendered.xlsx, "xlsx"), out, "xlsx", dpi);
      if (opts.json)
        return ctx.json({ dir: out, docx, xlsx, figuresOmitted: rendered.figuresOmitted ?? null });
      ctx.out(`已写入 ${out}：Word ${docx.length} 页，Excel ${xlsx.length} 页`);
      if (rendered.figuresOmitted) ctx.out(`注意：Word 版未含图表（${rendered.figuresOmitted}）`);
      for (const f of [...docx, ...xlsx]) ctx.out(`  ${f}`);
    });
}
