import { GROUP_CODES, GROUP_LABELS } from "../domain/codes.js";
import { Decimal } from "../domain/decimal.js";
import type { IndicatorView, ProgrammeView, ZoneView } from "./programme-view.js";
import { wanToYi } from "./programme-view.js";

const QUARTER_LABELS = ["", "一季度", "二季度", "三季度", "四季度"];
const KIND_LABELS: Record<string, string> = { money: "金额", count: "数量", percent: "百分比", text: "文本" };

export const SAMPLE_BANNER =
  "【样例 SAMPLE】本方案为样例数据，不是官方名单（官方附件未公开）；正式名单请用 kaiqu roster import 导入。";

/** "12 亿元（120000 万元）" for a money value in 万元. */
export function formatWan(value: string): string {
  return `${wanToYi(Decimal.parse(value)).toString()} 亿元（${value} 万元）`;
}

function formatTarget(indicator: IndicatorView | undefined, value: string): string {
  if (!indicator) return value;
  if (indicator.kind === "money") return formatWan(value);
  return `${value}${indicator.unit}`;
}

function zoneLine(z: ZoneView, i: number, indicators: IndicatorView[]): string {
  const targets = indicators
    .filter((ind) => z.targets[ind.key] !== undefined)
    .map((ind) => `${ind.label} ${formatTarget(ind, z.targets[ind.key]!)}`);
  return `  ${String(i + 1).padStart(2)}. ${z.prefecture} ${z.shortName}（${z.name}，${z.id}）${targets.length ? `\n      目标: ${targets.join("；")}` : ""}`;
}

/** The human-readable form of `kaiqu programme show`. */
export function renderProgrammeText(v: ProgrammeView): string {
  const out: string[] = [];
  if (v.isSample) out.push(SAMPLE_BANNER, "");
  out.push(`${v.title}（${v.year} 年度）`, "", "报送截止日期 / deadlines");
  for (const q of v.quarters)
    out.push(`  ${QUARTER_LABELS[q.quarter]}  ${q.deadline}  时间进度 ${q.expectedProgressPct}%`);
  out.push("", `市州 (${v.prefectures.length})`);
  for (const p of v.prefectures) out.push(`  ${p.code} ${p.name}（${p.shortName}） 经开区 ${p.zoneCount} 个`);
  const indicatorOf = new Map(v.indicators.map((i) => [i.key, i]));
  for (const g of GROUP_CODES) {
    const zones = v.groups[g];
    out.push("", `${GROUP_LABELS[g]} (${zones.length})`);
    const applicable = v.indicators.filter((i) => i.groups.length === 0 || i.groups.includes(g));
    zones.forEach((z, i) => {
      out.push(zoneLine(z, i, applicable));
    });
    for (const a of v.aggregates.filter((x) => x.groupCode === g)) {
      const ind = indicatorOf.get(a.indicatorKey);
      const sum = Decimal.sum(
        zones
          .map((z) => z.targets[a.indicatorKey])
          .filter((x) => x !== undefined)
          .map((x) => Decimal.parse(x)),
      );
      out.push(
        `  名单合计目标: ${ind?.label ?? a.indicatorKey} ${formatTarget(ind, a.value)}` +
          `；各经开区目标之和 ${formatTarget(ind, sum.toString())}${sum.eq(a.value) ? "" : "（与合计目标不一致）"}`,
      );
    }
  }
  if (v.ungrouped.length > 0)
    out.push(
      "",
      `未列入本年度培育名单的经开区 (${v.ungrouped.length})`,
      `  ${v.ungrouped.map((z) => `${z.shortName}(${z.prefecture})`).join("、")}`,
    );
  out.push("", `指标 (${v.indicators.length})`);
  for (const i of v.indicators) {
    const applies = i.groups.length ? i.groups.map((g) => GROUP_LABELS[g]).join("、") : "全部名单";
    out.push(
      `  ${i.key.padEnd(13)}${i.label}  ${KIND_LABELS[i.kind] ?? i.kind}${i.unit ? ` ${i.unit}` : ""}` +
        `  ${i.cumulative ? "累计" : "非累计"}  ${i.required ? "必报" : "选报"}  适用: ${applies}` +
        (i.aliases.length ? `\n      别名: ${i.aliases.join("、")}` : ""),
    );
  }
  if (v.isSample) out.push("", SAMPLE_BANNER);
  return out.join("\n");
}
