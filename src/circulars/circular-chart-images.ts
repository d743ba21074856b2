import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AssessmentModel } from "../assessment/assessment-model.js";
import { figuresHash } from "../assessment/figures-hash.js";
import { ChartFontError, findChartFont } from "../charts/chart-fonts.js";
import { circularChartFigures } from "../charts/circular-charts.js";
import type { Logger } from "../log/logger.js";

export interface ChartImageFile {
  /** File name, e.g. "completion-foreign_trade.png" (also the message's idempotency part). */
  name: string;
  caption: string;
  path: string;
}

/**
 * The circular's charts as PNG files in `<dir>/charts/` (src/charts: completion by zone against the
 * time-progress, the aggregate gauge, per group with a headline target), sent as picture messages
 * beside the markdown. Without a CJK font there are no pictures: the circular still goes out (text
 * and files), and the log says what to install. A circular's figures do not change once approved, so
 * the PNGs of a second send (to a group configured since, a re-send) are the files of the first,
 * recognised by a stamp of the figures hash and the chart version.
 */
export async function writeCircularChartImages(
  dir: string,
  model: AssessmentModel,
  o: { fontFile?: string; logger?: Logger } = {},
): Promise<ChartImageFile[]> {
  const out = path.join(path.resolve(dir), "charts");
  const stampFile = path.join(out, "charts.json");
  const stamp = `${CHART_IMAGES_VERSION}:${figuresHash(model)}`;
  const previous = await readFile(stampFile, "utf8")
    .then((t) => JSON.parse(t) as { stamp: string; files: ChartImageFile[] })
    .catch(() => undefined);
  if (previous?.stamp === stamp) {
    const present = await Promise.all(
      previous.files.map((f) =>
        stat(f.path).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (present.every(Boolean)) return previous.files;
  }
  let figures: ReturnType<typeof circularChartFigures>;
  try {
    figures = circularChartFigures(model, { font: findChartFont(o.fontFile) });
  } catch (e) {
    if (!(e instanceof ChartFontError)) throw e;
    o.logger?.warn({ err: e.message }, "circular: charts not rendered (no CJK font), sent without pictures");
    return [];
  }
  await mkdir(out, { recursive: true });
  const files = await Promise.all(
    figures.map(async (f) => {
      const file = path.join(out, f.name);
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, f.png);
      await rename(tmp, file);
      return { name: f.name, caption: f.caption, path: file };
    }),
  );
  await writeFile(stampFile, JSON.stringify({ stamp, files }));
  return files;
}

/** Bump when the charts' look changes: PNGs stamped with an older version are drawn again. */
export const CHART_IMAGES_VERSION = 1;
