import { createHash } from "node:crypto";
import type { AssessmentModel, ZoneAssessment } from "./assessment-model.js";

/**
 * The figures a circular stands on: per zone whether and when (late) it reported, every reported
 * value and target, the group targets and the thresholds. Everything else in the model is derived
 * from these (or is a label), and builtAt / revision numbers are deliberately left out so that
 * re-reading unchanged figures gives the same hash.
 */
function figures(m: AssessmentModel): unknown {
  return {
    period: m.periodKey,
    thresholds: m.thresholds,
    zones: m.zones.map((z) => [
      z.zoneId,
      z.submitted,
      z.late,
      z.indicators.map((i) => [i.key, i.value, i.target]),
    ]),
    groups: m.groups.map((g) => [
      g.code,
      g.zoneIds,
      g.headline?.indicatorKey ?? null,
      g.headline?.groupTarget ?? null,
    ]),
  };
}

/** sha256 (hex) of the canonical figures. */
export function figuresHash(m: AssessmentModel): string {
  return createHash("sha256")
    .update(JSON.stringify(figures(m)))
    .digest("hex");
}

export interface ZoneChange {
  zoneId: string;
  zoneName: string;
  /** Chinese descriptions, e.g. "累计进出口：32000 → 35000万元". */
  changes: string[];
}

export interface FiguresDiff {
  zones: ZoneChange[];
  /** Changes not tied to one zone (group targets, thresholds, roster). */
  other: string[];
}

function zoneChanges(
  before: ZoneAssessment | undefined,
  after: ZoneAssessment | undefined,
  labelOf: (key: string) => { label: string; unit: string },
): string[] {
  if (!before) return ["新列入本期名单"];
  if (!after) return ["已不在本期名单中"];
  const out: string[] = [];
  if (before.submitted !== after.submitted) out.push(after.submitted ? "新报送" : "报送已撤销");
  if (before.submitted && after.submitted && before.late !== after.late) {
    out.push(after.late ? "改为逾期报送" : "改为按时报送");
  }
  const keys = new Set([...before.indicators, ...after.indicators].map((i) => i.key));
  for (const key of keys) {
    const b = before.indicators.find((i) => i.key === key);
    const a = after.indicators.find((i) => i.key === key);
    const { label, unit } = labelOf(key);
    if (before.submitted && after.submitted && (b?.value ?? null) !== (a?.value ?? null)) {
      out.push(`${label}：${b?.value ?? "未填"} → ${a?.value ?? "未填"}${unit}`);
    }
    if ((b?.target ?? null) !== (a?.target ?? null)) {
      out.push(`${label}年度目标：${b?.target ?? "无"} → ${a?.target ?? "无"}${unit}`);
    }
  }
  return out;
}

/** What changed between two assessments of the same period, zone by zone. */
export function diffFigures(before: AssessmentModel, after: AssessmentModel): FiguresDiff {
  const labels = new Map([...before.indicators, ...after.indicators].map((i) => [i.key, i]));
  const labelOf = (key: string) => ({
    label: labels.get(key)?.label ?? key,
    unit: labels.get(key)?.unit ?? "",
  });
  const ids = [...new Set([...before.zones, ...after.zones].map((z) => z.zoneId))];
  const zones: ZoneChange[] = [];
  for (const id of ids) {
    const b = before.zones.find((z) => z.zoneId === id);
    const a = after.zones.find((z) => z.zoneId === id);
    const changes = zoneChanges(b, a, labelOf);
    if (changes.length > 0) zones.push({ zoneId: id, zoneName: (a ?? b)!.name, changes });
  }
  const other: string[] = [];
  if (JSON.stringify(before.thresholds) !== JSON.stringify(after.thresholds))
    other.push("考核阈值或等次规则已调整");
  for (const g of after.groups) {
    const old = before.groups.find((x) => x.code === g.code);
    if ((old?.headline?.groupTarget ?? null) !== (g.headline?.groupTarget ?? null)) {
      other.push(
        `${g.label}总目标：${old?.headline?.groupTarget ?? "无"} → ${g.headline?.groupTarget ?? "无"}`,
      );
    }
  }
  return { zones, other };
}

/** One line per changed zone: "惠水经开区（累计进出口：32000 → 35000万元）". */
export function describeDiff(diff: FiguresDiff): string[] {
  return [...diff.zones.map((z) => `${z.zoneName}（${z.changes.join("；")}）`), ...diff.other];
}
