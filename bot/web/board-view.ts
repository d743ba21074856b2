import type { AssessmentModel, ZoneAssessment } from "../../src/assessment/assessment-model.js";
import type { ProgressStatus } from "../../src/assessment/progress-status.js";
import {
  aggregateGaugeOption,
  type CompletionBar,
  completionByZoneOption,
  MAX_BARS,
} from "../../src/charts/circular-charts.js";
import { renderChartSvg } from "../../src/charts/render-chart.js";
import { GROUP_CODES, GROUP_LABELS, type GroupCode } from "../../src/domain/codes.js";
import { dayjs } from "../../src/time/clock.js";
import { type BoardCache, CHART_CACHE_VERSION } from "./board-cache.js";
import { boardRowHtml } from "./board-row-html.js";
import type { WebUser } from "./web-user.js";

export const SUBMISSION_STATES = ["submitted", "late", "missing"] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];
export const SUBMISSION_LABELS: Record<SubmissionState, string> = {
  submitted: "已报送",
  late: "逾期报送",
  missing: "未报送",
};

export interface BoardFilter {
  group?: GroupCode;
  prefecture?: string;
  state?: SubmissionState;
}

export interface BoardCell {
  key: string;
  value: string | null;
  target: string | null;
  completionPct: string | null;
  status: ProgressStatus;
}

export interface BoardZone {
  zoneId: string;
  name: string;
  shortName: string;
  groups: GroupCode[];
  state: SubmissionState;
  revisionNo: number | null;
  confirmedAt: string | null;
  overallStatus: ProgressStatus;
  cells: (BoardCell | null)[];
  /** The zone's table row, ready to print (board-row-html.ts). */
  html: string;
}

export interface BoardPrefecture {
  code: string;
  name: string;
  counts: Record<SubmissionState, number> & { zones: number };
  zones: BoardZone[];
}

export interface Board {
  periodKey: string;
  periodLabel: string;
  isSample: boolean;
  deadline: string | null;
  /** Days from today (Shanghai) to the deadline; negative once it has passed. */
  daysToDeadline: number | null;
  expectedPct: string;
  columns: { key: string; label: string; unit: string }[];
  prefectures: BoardPrefecture[];
  totals: Record<SubmissionState, number> & { zones: number };
  groupOptions: { code: GroupCode; label: string }[];
  prefectureOptions: { code: string; name: string }[];
  filter: BoardFilter;
  chartSvg: string | null;
  chartNote: string | null;
  gaugeSvg: string | null;
}

export function stateOf(z: ZoneAssessment): SubmissionState {
  return !z.submitted ? "missing" : z.late ? "late" : "submitted";
}

function daysBetween(today: string, deadline: string | null): number | null {
  if (!deadline) return null;
  return dayjs(deadline).diff(dayjs(today), "day");
}

/**
 * The quarter board from the assessment (pure): prefectures and their zones, filtered, with one cell
 * per assessed indicator, and the charts (completion by zone of the group's headline figure against
 * the time-progress; the aggregate gauge). Bureau users see their own prefecture only.
 */
export function buildBoard(
  model: AssessmentModel,
  filter: BoardFilter,
  user: WebUser,
  today: string,
  opts: { charts?: boolean; cache?: BoardCache } = {},
): Board {
  const pfScope = user.taskForce ? filter.prefecture : (user.prefectureCode ?? "\u0000none");
  const columns = model.indicators.map((i) => ({ key: i.key, label: i.label, unit: i.unit }));
  const zones = model.zones.filter(
    (z) =>
      (!filter.group || z.groups.includes(filter.group)) &&
      (!pfScope || z.prefectureCode === pfScope) &&
      (!filter.state || stateOf(z) === filter.state),
  );
  const rowOf = opts.cache?.rows(model) ?? new Map<string, BoardZone>();
  const rowCtx = { columns, periodKey: model.periodKey, expectedPct: model.thresholds.expectedPct };
  const zero = () => ({ zones: 0, submitted: 0, late: 0, missing: 0 });
  const byPf = new Map<string, BoardPrefecture>();
  const totals = zero();
  for (const z of zones) {
    let pf = byPf.get(z.prefectureCode);
    if (!pf) {
      pf = { code: z.prefectureCode, name: z.prefectureName, counts: zero(), zones: [] };
      byPf.set(z.prefectureCode, pf);
    }
    const state = stateOf(z);
    pf.counts.zones++;
    pf.counts[state]++;
    totals.zones++;
    totals[state]++;
    let row = rowOf.get(z.zoneId);
    if (!row) {
      const byKey = new Map(z.indicators.map((i) => [i.key, i]));
      row = {
        zoneId: z.zoneId,
        name: z.name,
        shortName: z.shortName,
        groups: z.groups,
        state,
        revisionNo: z.revisionNo,
        confirmedAt: z.confirmedAt,
        overallStatus: z.overallStatus,
        cells: columns.map((c) => {
          const i = byKey.get(c.key);
          return i
            ? {
                key: c.key,
                value: i.value,
                target: i.target,
                completionPct: i.completionPct,
                status: i.status,
              }
            : null;
        }),
        html: "",
      };
      row.html = boardRowHtml(row, rowCtx);
      rowOf.set(z.zoneId, row);
    }
    pf.zones.push(row);
  }
  const visiblePfs = user.taskForce
    ? model.prefectures
    : model.prefectures.filter((p) => p.code === user.prefectureCode);

  const charts =
    opts.charts === false
      ? { chartSvg: null, chartNote: null, gaugeSvg: null }
      : boardCharts(model, filter, zones, pfScope, opts.cache);
  return {
    periodKey: model.periodKey,
    periodLabel: model.periodLabel,
    isSample: model.isSample,
    deadline: model.deadline,
    daysToDeadline: daysBetween(today, model.deadline),
    expectedPct: model.thresholds.expectedPct,
    columns,
    prefectures: [...byPf.values()],
    totals,
    groupOptions: GROUP_CODES.filter((c) => model.groups.some((g) => g.code === c)).map((code) => ({
      code,
      label: GROUP_LABELS[code],
    })),
    prefectureOptions: visiblePfs.map((p) => ({ code: p.code, name: p.name })),
    filter: { ...filter, ...(user.taskForce ? {} : { prefecture: user.prefectureCode ?? undefined }) },
    ...charts,
  };
}

/**
 * The board's two charts. ECharts SSR costs tens of milliseconds per chart, so with a cache they are
 * kept by the figures hash, the chart version and what they show (group, prefecture, state): a
 * reload or another user with the same view gets the same SVG until a figure changes.
 */
function boardCharts(
  model: AssessmentModel,
  filter: BoardFilter,
  zones: ZoneAssessment[],
  pfScope: string | undefined,
  cache: BoardCache | undefined,
): Pick<Board, "chartSvg" | "chartNote" | "gaugeSvg"> {
  const key = cache
    ? [
        CHART_CACHE_VERSION,
        cache.chartKey(model),
        filter.group ?? "",
        pfScope ?? "",
        filter.state ?? "",
      ].join("|")
    : "";
  const hit = cache?.charts.get(key);
  if (hit) return hit;
  let chartSvg: string | null = null;
  let chartNote: string | null = null;
  let gaugeSvg: string | null = null;
  const chartGroup =
    model.groups.find((g) => g.code === (filter.group ?? "foreign_trade") && g.headline) ??
    model.groups.find((g) => g.headline);
  if (chartGroup?.headline) {
    const h = chartGroup.headline;
    const visible = new Set(zones.map((z) => z.zoneId));
    const names = new Map(model.zones.map((z) => [z.zoneId, z.shortName]));
    const bars: CompletionBar[] = h.zones
      .filter((r) => visible.has(r.zoneId))
      .map((r) => ({
        name: names.get(r.zoneId) ?? r.zoneId,
        completionPct: r.completionPct,
        status: r.status,
      }));
    if (bars.length > 0) {
      chartSvg = renderChartSvg(
        completionByZoneOption(
          `${chartGroup.label}·${h.label}完成率（虚线为时间进度）`,
          bars,
          model.thresholds.expectedPct,
        ),
        { width: 760, height: 320 },
      );
      if (bars.length > MAX_BARS)
        chartNote = `图中显示前 ${MAX_BARS} 个经开区（共 ${bars.length} 个），按市州筛选可查看其余。`;
    }
    gaugeSvg = renderChartSvg(
      aggregateGaugeOption(h, model.thresholds.expectedPct, `${chartGroup.label}${h.label}合计`),
      {
        width: 420,
        height: 320,
      },
    );
  }
  const out = { chartSvg, chartNote, gaugeSvg };
  cache?.charts.set(key, out);
  return out;
}
