import { z } from "zod";
import { type Period, periodLabel, periodShortLabel } from "../domain/period.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import { loadTemplate } from "../templates/load-template.js";

export interface ReportTemplateInput {
  period: Period;
  zones: { zone: ZoneDef; values?: Record<string, string> }[];
}

/** templates/report-form.json: the layout, editable without code. */
export const REPORT_FORM_TEMPLATE = "report-form.json";

const layoutSchema = z.object({
  header: z.array(z.string()),
  zoneHeader: z.array(z.string()),
  fields: z.object({ money: z.string(), count: z.string(), percent: z.string(), text: z.string() }),
  footer: z.array(z.string()),
});
export type ReportFormLayout = z.infer<typeof layoutSchema>;

export function loadReportFormLayout(name = REPORT_FORM_TEMPLATE): ReportFormLayout {
  const parsed = layoutSchema.safeParse(JSON.parse(loadTemplate(name)));
  if (!parsed.success) throw new Error(`templates/${name} is malformed: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The fill-in template the bot hands out (`模板`): a header naming the quarter, then per zone a heading and one
 * line per indicator that applies to the zone (its groups intersect the indicator's; an indicator without groups
 * applies to all), pre-filled with `values` (canonical: money in 万元, rates in %). Parsing the result gives the
 * same values back.
 */
export function formatReportTemplate(
  input: ReportTemplateInput,
  indicators: IndicatorDef[],
  layout: ReportFormLayout = loadReportFormLayout(),
): string {
  const vars: Record<string, string> = {
    periodShort: periodShortLabel(input.period),
    periodLabel: periodLabel(input.period),
  };
  const out: string[] = layout.header.map((l) => fill(l, vars));
  const ordered = [...indicators].sort((a, b) => a.sortOrder - b.sortOrder);
  for (const { zone, values = {} } of input.zones) {
    const zoneVars = { ...vars, zoneName: zone.name, zoneShortName: zone.shortName };
    out.push(...layout.zoneHeader.map((l) => fill(l, zoneVars)));
    for (const ind of ordered) {
      if (ind.groups.length > 0 && !ind.groups.some((g) => zone.groups.includes(g))) continue;
      const unit = ind.kind === "money" ? "万元" : ind.kind === "percent" ? "%" : ind.unit || "个";
      out.push(
        fill(layout.fields[ind.kind], {
          ...zoneVars,
          label: ind.label,
          unit,
          value: values[ind.key] ?? "",
        }).trimEnd(),
      );
    }
  }
  out.push(...layout.footer.map((l) => fill(l, vars)));
  return out.join("\n");
}

function fill(line: string, vars: Record<string, string>): string {
  return line.replace(/\{(\w+)\}/g, (all, name: string) => vars[name] ?? all);
}
