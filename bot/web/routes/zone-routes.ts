import type { FastifyInstance } from "fastify";
import { zoneTrendOption } from "../../../src/charts/circular-charts.js";
import { renderChartSvg } from "../../../src/charts/render-chart.js";
import { readFileCopy } from "../../../src/files/file-store.js";
import { loadProgramme } from "../../../src/programme/programme-repository.js";
import { attachment } from "../attachment.js";
import type { WebRuntime } from "../web-console.js";
import { periodFrom } from "../web-query.js";
import { html, requirePrefecture, requireUser, WebError } from "../web-user.js";
import { loadZoneHistory, trendIndicator, zoneTrend } from "../zone-history.js";

const FILE_TYPES: Record<string, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
  csv: "text/csv; charset=utf-8",
};

export function registerZoneRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;
  web.get<{ Params: { id: string }; Querystring: { period?: string } }>("/zones/:id", async (req, reply) => {
    const user = requireUser(req);
    const period = periodFrom(req.query.period, app.clock.now());
    const programme = await loadProgramme(app.store.db, period.year);
    const zone = programme?.zones.find((z) => z.id === req.params.id);
    if (!programme || !zone)
      throw new WebError(404, `找不到经开区 ${req.params.id.slice(0, 40)}（${period.year}年度）。`);
    requirePrefecture(user, zone.prefectureCode);
    const { revisions, latestConfirmed } = await loadZoneHistory(app.store.db, programme, zone);
    const trend = trendIndicator(programme, zone);
    const trendSvg = trend
      ? renderChartSvg(
          zoneTrendOption(
            `${zone.shortName} ${programme.year}年各季度${trend.def.label}完成率`,
            zoneTrend(programme, latestConfirmed, trend.def.key, trend.target),
          ),
          { width: 640, height: 300 },
        )
      : null;
    const prefecture = programme.prefectures.find((p) => p.code === zone.prefectureCode);
    return html(reply).view("zone", {
      user,
      title: zone.name,
      nav: "board",
      zone,
      prefecture,
      year: programme.year,
      periodKey: `${period.year}Q${period.quarter}`,
      revisions,
      trendSvg,
    });
  });

  // The file a revision was read from, authorised like the zone page (a bureau contact: its own
  // prefecture only); the stored copy is checked against the revision's hash before it is served.
  web.get<{ Params: { id: string; rev: string } }>("/zones/:id/revisions/:rev/file", async (req, reply) => {
    const user = requireUser(req);
    const revId = /^\d{1,12}$/.test(req.params.rev) ? Number(req.params.rev) : Number.NaN;
    const rev = Number.isSafeInteger(revId)
      ? await app.store.db.reportRevision.findUnique({
          where: { id: revId },
          select: {
            zoneId: true,
            revisionNo: true,
            rawFileSha256: true,
            rawFilePath: true,
            rawFileName: true,
            zone: { select: { prefectureCode: true } },
          },
        })
      : null;
    if (!rev || rev.zoneId !== req.params.id) throw new WebError(404, "找不到该报送版本。");
    requirePrefecture(user, rev.zone.prefectureCode);
    if (!rev.rawFileSha256 || !rev.rawFilePath)
      throw new WebError(404, `第 ${rev.revisionNo} 版是文字报送，没有原件文件。`);
    const bytes = readFileCopy(app.config.FILE_STORE_DIR, {
      sha256: rev.rawFileSha256,
      path: rev.rawFilePath,
    });
    if (!bytes) throw new WebError(410, "原件文件已缺失或已被改动，无法下载；请联系管理员。");
    const ext = rev.rawFilePath.replace(/^.*\./, "");
    return reply
      .type(FILE_TYPES[ext] ?? "application/octet-stream")
      .header("cache-control", "no-store")
      .header(
        "content-disposition",
        attachment(rev.rawFileName ?? rev.rawFilePath, `revision-${revId}.${ext}`),
      )
      .send(bytes);
  });
}
