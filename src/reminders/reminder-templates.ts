import { z } from "zod";
import { loadTemplate } from "../templates/load-template.js";

/** Placeholders a reminder template may use; anything else is a typo and refused when loading. */
export const REMINDER_PLACEHOLDERS = [
  "称呼",
  "市州",
  "季度",
  "截止日期",
  "倒计时",
  "经开区清单",
  "经开区数",
  "逾期天数",
  "填报模板",
  "联络员",
  "未报送清单",
  "市州数",
  "督办起始日",
  "序号",
  "经开区",
] as const;
export type Placeholder = (typeof REMINDER_PLACEHOLDERS)[number];
export type TemplateVars = Partial<Record<Placeholder, string>>;

const text = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.join("\n") : v));

const templatesSchema = z.object({
  steps: z
    .object({
      open: text,
      before: text,
      D0: text,
      overdue: text,
      "lead-overdue": text,
      "digest-overdue": text,
      "T-7": text.optional(),
      "T-3": text.optional(),
      "T-1": text.optional(),
    })
    .catchall(text),
  lines: z.object({
    zone: text,
    digestBureau: text,
    noContact: text,
    groupSalutation: text,
  }),
});

export type ReminderTemplates = z.infer<typeof templatesSchema>;

export const REMINDER_TEMPLATE_FILE = "reminders.json";

const PLACEHOLDER = /\{([^{}\s]+)\}/g;

/** Parses and checks templates/reminders.json; the error names the key and what is wrong. */
export function parseReminderTemplates(
  json: string,
  source = `templates/${REMINDER_TEMPLATE_FILE}`,
): ReminderTemplates {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`${source} 不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = templatesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${source} 中的 ${issue.path.join(".") || "(根)"} 有误：${issue.message}（每条模板应为字符串或字符串数组，例如 "steps": {"D0": ["第一行", "第二行"]}）`,
    );
  }
  const known = new Set<string>(REMINDER_PLACEHOLDERS);
  for (const [section, entries] of Object.entries(parsed.data)) {
    for (const [key, value] of Object.entries(entries as Record<string, string | undefined>)) {
      for (const m of (value ?? "").matchAll(PLACEHOLDER)) {
        if (!known.has(m[1]!)) {
          throw new Error(
            `${source} 中的 ${section}.${key} 使用了未知占位符“{${m[1]}}”；可用：${REMINDER_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`,
          );
        }
      }
    }
  }
  return parsed.data;
}

/** Reads templates/reminders.json through loadTemplate (re-read when the file changes). */
export function loadReminderTemplates(): ReminderTemplates {
  return parseReminderTemplates(loadTemplate(REMINDER_TEMPLATE_FILE));
}

/** Fills `{占位符}`; a placeholder without a value stays visible rather than silently vanishing. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => vars[name as Placeholder] ?? whole);
}

/** The template of a bureau step: T-n without its own entry uses `before`; overdue-k uses `overdue`. */
export function stepTemplate(t: ReminderTemplates, step: string): string {
  if (/^overdue-\d+$/.test(step)) return t.steps.overdue;
  const own = (t.steps as Record<string, string | undefined>)[step];
  if (own !== undefined) return own;
  if (/^T-\d+$/.test(step)) return t.steps.before;
  throw new Error(`templates/${REMINDER_TEMPLATE_FILE} 缺少步骤 ${step} 的模板`);
}
