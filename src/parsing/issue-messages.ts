import type { IndicatorDef } from "../programme/programme.js";
import type { ParsedValue, ParseIssue, ReadNote } from "./parsed-report.js";
import type { QuantityFailure } from "./quantities.js";

/** A correct example line for the indicator ("包装招商项目：3个"). */
export function exampleFor(ind: Pick<IndicatorDef, "label" | "kind" | "unit">): string {
  switch (ind.kind) {
    case "money":
      return `${ind.label}：3.2亿元（或 32000万元）`;
    case "percent":
      return `${ind.label}：12.5%（下降写 -3.1% 或 下降3.1%）`;
    case "count":
      return `${ind.label}：3${ind.unit || "个"}`;
    default:
      return `${ind.label}：组织企业参加广交会，签约项目2个`;
  }
}

/** Quotes what was read, shortened so a message stays readable on a phone. */
export function quote(read: string, max = 40): string {
  const t = read.replace(/\s+/g, " ").trim();
  return `“${t.length > max ? `${t.slice(0, max)}…` : t}”`;
}

const KIND_RULE: Record<QuantityFailure, (ind: IndicatorDef) => string> = {
  bad_number: (ind) =>
    ind.kind === "percent" ? "应为百分比数值" : ind.kind === "count" ? "应为整数" : "应为金额",
  money_without_unit: () => "缺少金额单位，请注明亿元或万元",
  negative_count: () => "应为不小于0的整数",
  not_integer: () => "应为整数（个数、次数不能有小数）",
  percentage_points: () => "应为增速（%），“个百分点”是增速的变化",
};

export function valueIssue(
  reason: QuantityFailure,
  ind: IndicatorDef,
  read: string,
  zoneId: string | undefined,
  detail?: string,
): ParseIssue {
  const rule = detail ?? KIND_RULE[reason](ind);
  return {
    code: reason,
    field: ind.key,
    fieldLabel: ind.label,
    ...(zoneId ? { zoneId } : {}),
    read,
    message: `「${ind.label}」${rule}（读到${quote(read)}），例如：${exampleFor(ind)}`,
  };
}

export function duplicateIssue(
  ind: IndicatorDef,
  zoneId: string | undefined,
  zoneLabel: string,
  first: string,
  second: string,
): ParseIssue {
  return {
    code: "duplicate_field",
    field: ind.key,
    fieldLabel: ind.label,
    ...(zoneId ? { zoneId } : {}),
    read: second,
    message: `「${zoneLabel}」的「${ind.label}」填了两个不同的值（读到${quote(first)}和${quote(second)}），请只保留一个，例如：${exampleFor(ind)}`,
  };
}

export function unknownFieldIssue(
  name: string,
  read: string,
  zoneId: string | undefined,
  indicators: IndicatorDef[],
): ParseIssue {
  const suggestion = closestLabel(name, indicators);
  const labels = indicators.map((i) => i.label).join("、");
  return {
    code: "unknown_field",
    field: name,
    fieldLabel: name,
    ...(zoneId ? { zoneId } : {}),
    read,
    message: `无法识别填报项「${name}」（读到${quote(read)}）${suggestion ? `，是否指「${suggestion.label}」？` : "。"}可填报项：${labels}，例如：${exampleFor(suggestion ?? indicators[0] ?? { label: "进出口额", kind: "money", unit: "万元" })}`,
  };
}

export function unknownZoneIssue(name: string, read: string, exampleZone: string): ParseIssue {
  return {
    code: "unknown_zone",
    field: "zone",
    fieldLabel: "经开区",
    read,
    message: `名单中没有经开区「${name}」（读到${quote(read)}），请使用名单中的名称或简称，例如：${exampleZone}`,
  };
}

/** "惠水、龙里 进出口3.2亿元": several zones before one set of figures. */
export function zoneListIssue(names: string[], read: string, exampleZone: string): ParseIssue {
  return {
    code: "unknown_zone",
    field: "zone",
    fieldLabel: "经开区",
    read,
    message: `这些数据前写了${names.length}个经开区（${names.map((n) => `「${n}」`).join("、")}），无法判断属于哪个（读到${quote(read)}），本次未保存。请每个经开区单独写一段，例如：${exampleZone} 进出口额：3.2亿元`,
  };
}

export function missingZoneIssue(read: string, exampleZone: string): ParseIssue {
  return {
    code: "unknown_zone",
    field: "zone",
    fieldLabel: "经开区",
    read,
    message: `未写明这些数据属于哪个经开区（读到${quote(read)}），请在数据前写明经开区名称，例如：${exampleZone} 进出口额：3.2亿元`,
  };
}

/** "全州合计：进出口5.38亿元": a prefecture's total is no zone's figure (never given to the sender's zone). */
export function prefectureTotalIssue(read: string, exampleZone: string): ParseIssue {
  return {
    code: "unknown_zone",
    field: "zone",
    fieldLabel: "经开区",
    read,
    message: `这是全州（市）的合计数据，不是某个经开区的数据（读到${quote(read)}），本次未保存。请按经开区分别报送，例如：${exampleZone} 进出口额：3.2亿元`,
  };
}

/** "全市…进出口5.38亿元，其中湄潭0.56亿元…": the total named back; the zones' parts were read. */
export function prefectureTotalNote(read: string): ReadNote {
  return {
    code: "ignored_row",
    read,
    message: `未保存：${quote(read)}是全州（市）的合计，不是某个经开区的数据（其中各经开区的数据已读取）`,
  };
}

const PERIOD_EXAMPLE = "2023年一季度、1-3月、上半年、前三季度";

export function badPeriodIssue(read: string, problem: string): ParseIssue {
  return {
    code: "bad_period",
    field: "period",
    fieldLabel: "报送期间",
    read,
    message: `报送期间无法识别（读到${quote(read)}）：${problem}，例如：${PERIOD_EXAMPLE}`,
  };
}

export function conflictingPeriodIssue(first: string, second: string): ParseIssue {
  return {
    code: "conflicting_period",
    field: "period",
    fieldLabel: "报送期间",
    read: second,
    message: `报送期间前后不一致（读到${quote(first)}和${quote(second)}），一条消息请只报一个季度，例如：${PERIOD_EXAMPLE}`,
  };
}

export function noDataIssue(read: string, exampleZone: string): ParseIssue {
  return {
    code: "no_data",
    read,
    message: `未识别到填报数据（读到${quote(read)}），请按格式填写，例如：${exampleZone} 2023年一季度 进出口额：3.2亿元，包装招商项目：3个；发送“模板”可获取填报模板`,
  };
}

/** The indicator whose label/aliases share most characters with `name` (at least half of them), for hints. */
function closestLabel(name: string, indicators: IndicatorDef[]): IndicatorDef | undefined {
  let best: IndicatorDef | undefined;
  let bestScore = 0;
  for (const ind of indicators) {
    for (const candidate of [ind.label, ...ind.aliases]) {
      const shared = [...new Set(name)].filter((c) => candidate.includes(c)).length;
      const score = shared / Math.max(name.length, candidate.length);
      if (score > bestScore) {
        bestScore = score;
        best = ind;
      }
    }
  }
  return bestScore >= 0.5 ? best : undefined;
}

/** A value read twice with the same figure: counted once, the repeat named back. */
export function repeatNote(
  ind: IndicatorDef,
  zoneLabel: string,
  zoneId: string | undefined,
  first: ParsedValue,
  raw: string,
  where: string | undefined,
): ReadNote {
  const read = where ? `${where}：${raw}` : raw;
  const firstRead = first.where ? `${first.where}：${first.raw}` : first.raw;
  return {
    code: "repeated_value",
    read,
    ...(zoneId ? { zoneId } : {}),
    ...(where ? { where } : {}),
    message: `重复：${read}（「${zoneLabel}」的「${ind.label}」已读到${quote(firstRead)}，数值相同，只计一次）`,
  };
}

/** "个百分点" is a change of a rate, not the rate: named back, never stored. */
export function pointsNote(ind: IndicatorDef, read: string, zoneId: string | undefined): ReadNote {
  return {
    code: "percentage_points",
    read,
    ...(zoneId ? { zoneId } : {}),
    message: `未保存：${read}（“个百分点”是增速的变化，不是「${ind.kind === "percent" ? ind.label : "同比增速"}」本身；如需报送请写增速，例如：同比增长12.5%）`,
  };
}

/** "其中茶叶出口1.1亿元": the figure of a part of the field, named back and not stored as the zone's. */
export function partNote(
  ind: IndicatorDef,
  part: string,
  lineUpTo: string,
  zoneId: string | undefined,
): ReadNote {
  const at = lineUpTo.lastIndexOf(part);
  const start = lineUpTo.slice(0, at).endsWith("其中") ? at - 2 : at;
  const read = lineUpTo.slice(Math.max(0, start)).trim();
  return {
    code: "part_of_field",
    read,
    ...(zoneId ? { zoneId } : {}),
    message: `未保存：${read}（是“${part}”一项的数值，不是全区的「${ind.label}」；如需报送，请写全区合计，例如：${exampleFor(ind)}）`,
  };
}

/** "去年同期进出口4800万元", "（一季度2700万元）": another period's figure, named back and not stored. */
export function otherPeriodNote(ind: IndicatorDef, read: string, zoneId: string | undefined): ReadNote {
  return {
    code: "other_period",
    read,
    ...(zoneId ? { zoneId } : {}),
    message: `未保存：${read}（是其他时期的数值，不是本期的「${ind.label}」）`,
  };
}
