import { z } from "zod";
import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef } from "../programme/programme.js";
import { exampleFor, quote } from "./issue-messages.js";

export { plausibilityProblem } from "./plausibility.js";

/** Bounds for rates in %: a year-on-year change below -100 % is impossible, above 10 000 % a typo. */
export const PERCENT_MIN = Decimal.of(-100);
export const PERCENT_MAX = Decimal.of(10_000);
export const TEXT_MAX_LENGTH = 2000;

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * zod schema for one canonical value (a decimal string, or text), built from the indicator definition:
 * count → non-negative integer; money (万元) → non-negative decimal; percent → decimal within
 * [PERCENT_MIN, PERCENT_MAX]; text → non-empty, at most TEXT_MAX_LENGTH characters. Messages are Chinese,
 * name the field, quote the value and give an example.
 */
export function buildValueSchema(indicator: IndicatorDef): z.ZodType<string> {
  let schema = schemaCache.get(indicator);
  if (!schema) {
    schema = createValueSchema(indicator);
    schemaCache.set(indicator, schema);
  }
  return schema;
}

/** Schemas are immutable; one per indicator definition object. */
const schemaCache = new WeakMap<IndicatorDef, z.ZodType<string>>();

function createValueSchema(indicator: IndicatorDef): z.ZodType<string> {
  return z.string().superRefine((value, ctx) => {
    const problem = valueProblem(indicator, value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * What the value schema says of one canonical value, without zod (the parser checks every value it reads;
 * buildValueSchema is this check wrapped for callers that compose schemas).
 */
export function valueProblem(indicator: IndicatorDef, value: string, parsed?: Decimal): string | undefined {
  const problem = check(indicator, value, parsed);
  return problem
    ? `「${indicator.label}」${problem}（读到${quote(value)}），例如：${exampleFor(indicator)}`
    : undefined;
}

function rule(indicator: IndicatorDef): string {
  if (indicator.kind === "count") return "应为不小于0的整数";
  if (indicator.kind === "money") return `应为不小于0的金额（单位${indicator.unit || "万元"}）`;
  return `应为${PERCENT_MIN.toString()}到${PERCENT_MAX.toString()}之间的百分比数值`;
}

/** `parsed`: `value` already as a decimal (the parser has it; it must be what `value` reads). */
function check(indicator: IndicatorDef, value: string, parsed?: Decimal): string | undefined {
  if (indicator.kind === "text") {
    if (value.trim() === "") return "不能为空";
    if (value.length > TEXT_MAX_LENGTH) return `不能超过${TEXT_MAX_LENGTH}字（当前${value.length}字）`;
    return undefined;
  }
  const d = DECIMAL.test(value) ? (parsed ?? Decimal.tryParse(value)) : undefined;
  if (!d) return rule(indicator);
  const ok =
    indicator.kind === "count"
      ? d.isInteger() && !d.isNegative()
      : indicator.kind === "money"
        ? !d.isNegative()
        : d.gte(PERCENT_MIN) && d.lte(PERCENT_MAX);
  return ok ? undefined : rule(indicator);
}

/**
 * Schema of one zone's values keyed by indicator key, from the definitions. Every field is optional here
 * (which fields are required is the dialogue's decision); unknown keys are refused.
 */
export function buildReportSchema(indicators: IndicatorDef[]) {
  const shape: Record<string, z.ZodOptional<z.ZodType<string>>> = {};
  for (const ind of indicators) shape[ind.key] = buildValueSchema(ind).optional();
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? `未知的填报项：${iss.keys.join("、")}` : undefined),
  });
}

/** The first Chinese message of a failed parse, for callers that report one line per field. */
export function firstMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? "数据不合格";
}
