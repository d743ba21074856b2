import { completionPct, Decimal, formatPct } from "../domain/completion.js";
import { type Period, periodShortLabel } from "../domain/period.js";
import type { IndicatorDef, Programme, ZoneDef } from "../programme/programme.js";
import { indicatorsForZone, quarterDef, zoneTarget } from "../programme/programme.js";
import { displayShort, displayValue, exampleFor } from "./display-value.js";
import { type Draft, type DraftSection, draftPeriod } from "./draft-store.js";

/** The zone of a draft section or revision (it was validated against this programme). */
export function zoneOf(p: Programme, id: string): ZoneDef {
  const z = p.zones.find((x) => x.id === id);
  if (!z) throw new Error(`zone ${id} is not in programme ${p.year}`);
  return z;
}

function orderedIndicators(p: Programme, zone: ZoneDef, values: Record<string, string>): IndicatorDef[] {
  const applicable = indicatorsForZone(p, zone);
  const extra = p.indicators.filter((i) => !applicable.includes(i) && values[i.key] !== undefined);
  return [...applicable, ...extra].filter((i) => values[i.key] !== undefined);
}

/** Required indicators applicable to the zone that the section has no value for. */
export function missingRequired(p: Programme, section: DraftSection): IndicatorDef[] {
  const zone = zoneOf(p, section.zoneId);
  return indicatorsForZone(p, zone).filter((i) => i.required && section.values[i.key] === undefined);
}

function sectionLines(p: Programme, s: DraftSection, base?: Record<string, string>): string[] {
  const zone = zoneOf(p, s.zoneId);
  return orderedIndicators(p, zone, s.values).map((ind) => {
    const v = s.values[ind.key]!;
    const was = base?.[ind.key];
    const change =
      s.baseRevisionNo !== undefined && s.changed.includes(ind.key)
        ? was === undefined
          ? "（新增）"
          : was === v
            ? ""
            : `（原为${displayShort(ind, was)}）`
        : "";
    return `· ${ind.label}：${displayValue(ind, v)}${change}`;
  });
}

export const DRAFT_HINT = "发送“撤销”可放弃本次报送。";

/** The echo before storing: normalised values per zone and how to answer. */
export function confirmationMessage(
  p: Programme,
  draft: Draft,
  bases: Record<string, Record<string, string> | undefined>,
): string {
  const lines = [`请核对${periodShortLabel(draftPeriod(draft))}报送内容：`];
  for (const s of draft.sections) {
    const zone = zoneOf(p, s.zoneId);
    const note = s.baseRevisionNo !== undefined ? `（更正，未提及的项目沿用第${s.baseRevisionNo}版）` : "";
    lines.push(`【${zone.name}】${note}`, ...sectionLines(p, s, bases[s.zoneId]));
  }
  const first = p.zones.find((z) => z.id === draft.sections[0]?.zoneId);
  lines.push(
    "",
    `确认无误请回复“确认”；不报送请回复“取消”；需要修改请回复“修改 ${first?.shortName ?? "惠水"} 进出口3.5亿元”这样的内容。`,
  );
  return lines.join("\n");
}

/** The list of required values still missing; the draft is kept. */
export function missingMessage(p: Programme, draft: Draft, ttlMin: number): string {
  const lines: string[] = [];
  const period = periodShortLabel(draftPeriod(draft));
  const given = draft.sections.filter((s) => Object.keys(s.values).length > 0);
  if (given.length > 0) {
    lines.push(`已收到${period}的以下数据（暂未保存）：`);
    for (const s of given) lines.push(`【${zoneOf(p, s.zoneId).name}】`, ...sectionLines(p, s));
  }
  lines.push("还缺少以下必填项：");
  let example = "";
  for (const s of draft.sections) {
    const missing = missingRequired(p, s);
    if (missing.length === 0) continue;
    const zone = zoneOf(p, s.zoneId);
    lines.push(`【${zone.name}】${missing.map((i) => `${i.label}（${i.unit || "文字"}）`).join("、")}`);
    if (!example) {
      const prefix = draft.sections.length > 1 ? `${zone.shortName} ` : "";
      example =
        prefix +
        missing
          .slice(0, 2)
          .map((i) => exampleFor(i).replace(/（.*）$/, ""))
          .join("，");
    }
  }
  lines.push(
    draft.sections.length > 1
      ? `请回复缺少的数据，并注明经开区，例如：${example}`
      : `请直接回复缺少的数据即可，例如：${example}`,
    `（草稿保留${formatTtl(ttlMin)}；${DRAFT_HINT}）`,
  );
  return lines.join("\n");
}

function formatTtl(min: number): string {
  if (min % 1440 === 0) return `${min / 1440}天`;
  if (min % 60 === 0) return `${min / 60}小时`;
  return `${min}分钟`;
}

export interface StoredZone {
  zoneId: string;
  revisionNo: number;
  values: Record<string, string>;
  late: boolean;
}

/** The receipt after storing: completion against annual targets and the quarter's time-progress. */
export function receiptMessage(p: Programme, period: Period, stored: StoredZone[]): string {
  const q = quarterDef(p, period.quarter);
  const expected = q.expectedProgressPct;
  const lines = [`已保存${periodShortLabel(period)}报送，谢谢！`];
  for (const s of stored) {
    const zone = zoneOf(p, s.zoneId);
    const late = s.late ? `（逾期报送，截止日为${q.deadline}）` : "";
    lines.push(`【${zone.name}】第${s.revisionNo}版${late}`);
    for (const ind of orderedIndicators(p, zone, s.values)) {
      const v = s.values[ind.key]!;
      const target = zoneTarget(p, zone.id, ind.key);
      const value = Decimal.tryParse(v);
      if (target && value && ind.kind !== "text" && ind.kind !== "percent") {
        const pct = completionPct(value, target);
        const behind = pct?.lt(expected) ? "，低于时序进度" : "";
        lines.push(
          `· ${ind.label}：${displayValue(ind, v)}，年度目标${displayValue(ind, target.toString())}，完成${formatPct(pct)}${behind}`,
        );
      } else if (ind.kind !== "text") {
        lines.push(`· ${ind.label}：${displayValue(ind, v)}`);
      }
    }
  }
  lines.push(`本季度时序进度：${expected.toString()}%。`);
  const first = stored[0] ? zoneOf(p, stored[0].zoneId).shortName : "惠水";
  lines.push(`如需更正，发送“更正 ${first} 进出口3.5亿元”这样的内容，将保存为新的版本。`);
  return lines.join("\n");
}
