import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef } from "../programme/programme.js";
import { quote } from "./issue-messages.js";
import type { ParsedValue, ParseIssue, ReadNote } from "./parsed-report.js";

// Parts and totals: 出口 + 进口 = 进出口. Which indicators are parts of which comes from their names (a part's
// stem is a shorter subsequence of the total's: 出口, 进口 ⊂ 进出口), so a roster that adds e.g. 服务贸易 parts
// needs no code.

const stem = (name: string) => name.replace(/(总额|金额|总值|额|值)$/, "");

function isSubsequence(part: string, whole: string): boolean {
  let k = 0;
  for (const c of whole) if (c === part[k]) k++;
  return k === part.length;
}

/** For each money indicator with exactly two parts among the indicators: [total, part, part]. */
export function totalsWithParts(indicators: IndicatorDef[]): [IndicatorDef, IndicatorDef, IndicatorDef][] {
  let out = triples.get(indicators);
  if (!out) {
    out = findTotalsWithParts(indicators);
    triples.set(indicators, out);
  }
  return out;
}

/** Per indicator array (a programme snapshot's, reused across messages). */
const triples = new WeakMap<IndicatorDef[], [IndicatorDef, IndicatorDef, IndicatorDef][]>();

function findTotalsWithParts(indicators: IndicatorDef[]): [IndicatorDef, IndicatorDef, IndicatorDef][] {
  const money = indicators.filter((i) => i.kind === "money");
  const out: [IndicatorDef, IndicatorDef, IndicatorDef][] = [];
  for (const t of money) {
    const ts = stem(t.label);
    const parts = money.filter(
      (p) => p !== t && stem(p.label).length < ts.length && isSubsequence(stem(p.label), ts),
    );
    if (parts.length === 2) out.push([t, parts[0]!, parts[1]!]);
  }
  return out;
}

/** Rounding allowed between a total and its parts: 0.5 % of the total, at least 1 万元. */
function tolerance(total: Decimal): Decimal {
  const rel = total.abs().times("0.005");
  return rel.gt(1) ? rel : Decimal.of(1);
}

/**
 * Checks one zone's values: both parts without the total → the total is derived (and a note says so);
 * a part above the total, or a total that differs from the parts beyond rounding → an issue (never stored).
 */
export function checkPartsAndTotals(
  values: Record<string, ParsedValue>,
  indicators: IndicatorDef[],
  zoneId: string | undefined,
  zoneLabel: string,
): { issues: ParseIssue[]; notes: ReadNote[] } {
  const issues: ParseIssue[] = [];
  const notes: ReadNote[] = [];
  for (const [t, a, b] of totalsWithParts(indicators)) {
    const va = values[a.key];
    const vb = values[b.key];
    const vt = values[t.key];
    if (!va || !vb) {
      const part = va ?? vb;
      if (vt && part && Decimal.parse(part.value).gt(Decimal.parse(vt.value))) {
        issues.push(inconsistent(t, zoneId, zoneLabel, `${part.raw}大于${vt.raw}`, [part.raw, vt.raw]));
      }
      continue;
    }
    const sum = Decimal.parse(va.value).plus(vb.value);
    if (!vt) {
      const label = `${stem(t.label)} = ${stem(a.label)} + ${stem(b.label)}`;
      values[t.key] = { indicatorKey: t.key, value: sum.toString(), raw: label, derived: true };
      notes.push({
        code: "derived_total",
        read: `${va.raw}，${vb.raw}`,
        ...(zoneId ? { zoneId } : {}),
        message: `${zoneLabel}：未填${t.label}，已按 ${label} 计算为${sum.toString()}万元（${va.raw}，${vb.raw}）`,
      });
      continue;
    }
    const total = Decimal.parse(vt.value);
    if (total.minus(sum).abs().gt(tolerance(total))) {
      issues.push(
        inconsistent(
          t,
          zoneId,
          zoneLabel,
          `${stem(a.label)}与${stem(b.label)}之和为${sum.toString()}万元，与${t.label}${total.toString()}万元不一致`,
          [vt.raw, va.raw, vb.raw],
        ),
      );
    }
  }
  return { issues, notes };
}

function inconsistent(
  t: IndicatorDef,
  zoneId: string | undefined,
  zoneLabel: string,
  what: string,
  raws: string[],
): ParseIssue {
  return {
    code: "inconsistent_total",
    field: t.key,
    fieldLabel: t.label,
    ...(zoneId ? { zoneId } : {}),
    read: raws.join("，"),
    message: `${zoneLabel}的「${t.label}」前后矛盾：${what}（读到${quote(raws.join("，"), 80)}），本次未保存。请核实后重新发送，例如：${t.label}：3.2亿元，出口额：1.2亿元，进口额：2亿元`,
  };
}
