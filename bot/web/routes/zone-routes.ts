import type { FastifyInstance } from "fastify";
import { zoneTrendOption } from "../../../src/charts/circular-charts.js";
import { renderChartSvg } from "../../../src/charts/render-chart.js";
import { loadProgramme } from "../../../src/programme/programme-repository.js";
import type { WebRuntime } from "../web-console.js";
import { periodFrom } from "../web-query.js";
import { html, requirePrefecture, requireUser, WebError } from "../web-user.js";
import { loadZoneHistory, trendIndicator, zoneTrend } from "../zone-history.js";

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
}
