import type { FastifyInstance } from "fastify";
import { periodKey } from "../../../src/domain/period.js";
import { listProgrammeYears } from "../../../src/programme/programme-repository.js";
import { formatLocal, localDate } from "../../../src/time/clock.js";
import { loadBoardModel } from "../board-data.js";
import { buildBoard } from "../board-view.js";
import { boardXlsx } from "../board-xlsx.js";
import type { WebRuntime } from "../web-console.js";
import { type BoardQuery, boardFilterFrom, periodFrom } from "../web-query.js";
import { html, requireUser, WebError } from "../web-user.js";

export function registerBoardRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;
  web.get("/", async (req, reply) => {
    requireUser(req);
    return reply.redirect("/web/board");
  });

  const load = async (q: BoardQuery, charts: boolean, req: Parameters<typeof requireUser>[0]) => {
    const user = requireUser(req);
    const now = app.clock.now();
    const period = periodFrom(q.period, now);
    const filter = boardFilterFrom(q);
    const loaded = await loadBoardModel(app.store.db, period, now, rt.boardCache);
    if (!loaded) throw new WebError(404, `${period.year}年度尚未设置培育计划（名单、目标）。请先导入名单。`);
    return {
      user,
      period,
      board: buildBoard(loaded.model, filter, user, localDate(now), { charts, cache: rt.boardCache }),
    };
  };

  web.get<{ Querystring: BoardQuery }>("/board", async (req, reply) => {
    const { user, period, board } = await load(req.query, true, req);
    const years = await listProgrammeYears(app.store.db);
    const periods = years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`)).reverse();
    return html(reply).view("board", {
      user,
      title: "季度看板",
      nav: "board",
      board,
      periods,
      period: periodKey(period),
      exportQuery: new URLSearchParams(
        Object.entries({ period: periodKey(period), ...board.filter }).filter(([, v]) => v) as [
          string,
          string,
        ][],
      ).toString(),
    });
  });

  web.get<{ Querystring: BoardQuery }>("/board.xlsx", async (req, reply) => {
    const { period, board } = await load(req.query, false, req);
    const bytes = await boardXlsx(board, formatLocal(app.clock.now()));
    const name = `报送情况-${periodKey(period)}.xlsx`;
    return reply
      .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
      .header(
        "content-disposition",
        `attachment; filename="board-${periodKey(period)}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .header("cache-control", "no-store")
      .send(bytes);
  });
}
