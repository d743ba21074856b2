import { Decimal } from "../domain/decimal.js";
import { type Period, periodShortLabel, previousQuarter } from "../domain/period.js";
import { buildReportSchema } from "../parsing/report-schema.js";
import type { ContactDef, Programme, ZoneDef } from "../programme/programme.js";
import { quarterDef, zoneTarget } from "../programme/programme.js";
import { displayValue, exampleFor } from "./display-value.js";
import type { UnitSuspect } from "./draft-store.js";

/** A value as sent in this message (canonical value and the fragment it was read from). */
export interface SentValue {
  value: string;
  raw: string;
}

const CN_Q = ["", "一", "二", "三", "四"];

/** Refusal when the contact may not report for the zone (a bureau reports only its own prefecture's zones). */
export function authorisationProblem(
  contact: ContactDef,
  zone: ZoneDef,
  zoneText: string,
  p: Programme,
): string | undefined {
  if (zone.groups.length === 0) {
    return `经开区：读取到“${zoneText}”（${zone.name}），不在${p.year}年经开区培育名单中，无需报送。如有疑问请联系省专班。`;
  }
  if (contact.role === "task_force") return undefined;
  if (contact.prefectureCode === zone.prefectureCode) return undefined;
  const own = p.prefectures.find((x) => x.code === contact.prefectureCode);
  const other = p.prefectures.find((x) => x.code === zone.prefectureCode);
  if (!own) {
    return "您的账号没有关联市州，不能代经开区报送。请联系省专班在名册中补充您所在的市州。";
  }
  const mine = p.zones.filter((z) => z.prefectureCode === own.code && z.groups.length > 0);
  const example = mine[0] ? `示例：${mine[0].name} 进出口3.2亿元` : "";
  return (
    `经开区：读取到“${zoneText}”（${zone.name}），属于${other?.name ?? zone.prefectureCode}；` +
    `您是${own.name}商务局的联系人，只能报送本市州的经开区，本次报送未保存。` +
    `${own.shortName}的培育经开区：${mine.map((z) => z.shortName).join("、") || "（无）"}。${example}`
  );
}

/** Refusal when the period is not the one open for reporting. */
export function periodProblem(
  period: Period,
  periodText: string | undefined,
  open: Period,
  p: Programme,
): string | undefined {
  if (period.year === open.year && period.quarter === open.quarter) return undefined;
  const deadline = p.quarters.find((q) => q.quarter === open.quarter)?.deadline;
  return (
    `报送期间：读取到“${periodText?.trim() || periodShortLabel(period)}”，即${periodShortLabel(period)}，该期间当前不开放填报。` +
    `现在开放的是${periodShortLabel(open)}${deadline ? `（截止${deadline}）` : ""}，本次报送未保存。` +
    `请按${periodShortLabel(open)}填报，或不写期间（默认当前开放期间），示例：惠水经开区 ${CN_Q[open.quarter]}季度 进出口3.2亿元`
  );
}

/**
 * One report schema per indicator list: building one (and zod's first-use compilation of it) cost more
 * than a message's parsing; the programme cache (src/programme/roster-cache.ts) hands out the same frozen
 * list until the programme changes, so a changed programme gets a schema of its own.
 */
const reportSchemas = new WeakMap<Programme["indicators"], ReturnType<typeof buildReportSchema>>();

function reportSchemaOf(p: Programme): ReturnType<typeof buildReportSchema> {
  let schema = reportSchemas.get(p.indicators);
  if (!schema) {
    schema = buildReportSchema(p.indicators);
    reportSchemas.set(p.indicators, schema);
  }
  return schema;
}

/** Values that fail the zod schema built from the indicator definitions (buildReportSchema). */
export function valueProblems(zone: ZoneDef, sent: Record<string, SentValue>, p: Programme): string[] {
  const values = Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, v.value]));
  const r = reportSchemaOf(p).safeParse(values);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const key = typeof i.path[0] === "string" ? i.path[0] : undefined;
    const raw = key ? sent[key]?.raw : undefined;
    const from = raw && raw !== sent[key!]?.value ? `（原文“${raw}”）` : "";
    return `${zone.name}：${i.message}${from}。本次报送未保存。`;
  });
}

/** Cumulative values below the zone's latest confirmed figure of the previous quarter of the same year. */
export function cumulativeProblems(
  zone: ZoneDef,
  period: Period,
  sent: Record<string, SentValue>,
  previous: Record<string, string> | undefined,
  p: Programme,
): string[] {
  const prev = previousQuarter(period);
  if (!prev || !previous) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(sent)) {
    const ind = p.indicators.find((i) => i.key === key);
    if (!ind?.cumulative || ind.kind === "text") continue;
    const now = Decimal.tryParse(v.value);
    const before = previous[key] === undefined ? undefined : Decimal.tryParse(previous[key]);
    if (!now || !before || now.gte(before)) continue;
    out.push(
      `${zone.name}的“${ind.label}”是自1月1日起的累计数，本次读取到${displayValue(ind, v.value)}（来自“${v.raw}”），` +
        `低于${periodShortLabel(prev)}已确认的${displayValue(ind, previous[key]!)}，本次报送未保存。` +
        `请核实后重新发送累计数，示例：${exampleFor(ind, zone)}`,
    );
  }
  return out;
}

/**
 * Money values about 10 000× off the zone's previous-quarter confirmed value or off its annual target:
 * the contact probably mixed up 万元 and 亿元/元. The previous quarter is compared first.
 */
export function findUnitSuspects(
  zone: ZoneDef,
  period: Period,
  sent: Record<string, SentValue>,
  previous: Record<string, string> | undefined,
  p: Programme,
  isSuspect: (value: Decimal, reference: Decimal | undefined) => boolean,
): UnitSuspect[] {
  const prev = previousQuarter(period);
  const out: UnitSuspect[] = [];
  for (const [key, v] of Object.entries(sent)) {
    const ind = p.indicators.find((i) => i.key === key);
    if (ind?.kind !== "money") continue;
    const value = Decimal.tryParse(v.value);
    if (!value) continue;
    const prevValue = prev && previous?.[key] !== undefined ? Decimal.tryParse(previous[key]) : undefined;
    const target = zoneTarget(p, zone.id, key);
    const references: [Decimal | undefined, string][] = [
      [prevValue, prev ? `${periodShortLabel(prev)}已确认的数` : ""],
      [target, `${p.year}年度目标`],
    ];
    const hit = references.find(([ref]) => ref && !ref.isZero() && isSuspect(value, ref));
    if (!hit) continue;
    const [reference, referenceWhat] = hit as [Decimal, string];
    const suggested = value.abs().gt(reference.abs()) ? value.div(10_000) : value.times(10_000);
    out.push({
      zoneId: zone.id,
      indicatorKey: key,
      value: value.toString(),
      suggested: suggested.toString(),
      reference: reference.toString(),
      referenceWhat,
      raw: v.raw,
    });
  }
  return out;
}

export function unitQuestion(s: UnitSuspect, p: Programme): string {
  const ind = p.indicators.find((i) => i.key === s.indicatorKey)!;
  const zone = p.zones.find((z) => z.id === s.zoneId);
  const tooBig = Decimal.parse(s.value).abs().gt(Decimal.parse(s.reference).abs());
  return (
    `${zone?.name ?? s.zoneId}的“${ind.label}”读取为${displayValue(ind, s.value)}（来自“${s.raw}”），` +
    `与${s.referenceWhat}${displayValue(ind, s.reference)}相差约1万倍。` +
    `${tooBig ? "是否应为万元？" : "是否应为亿元？"}即${displayValue(ind, s.suggested)}`
  );
}

/** The quarter's deadline has passed (after the end of the deadline day, Asia/Shanghai). */
export function isLate(p: Programme, period: Period, localToday: string): boolean {
  return localToday > quarterDef(p, period.quarter).deadline;
}
