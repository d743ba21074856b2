import { z } from "zod";
import { loadTemplate } from "../templates/load-template.js";
import { renderTemplate, type TemplateView } from "../templates/render-template.js";

const text = z.string().min(1);

export const circularPhrasesSchema = z.object({
  sampleNote: text,
  addressee: text,
  xlsx: z.object({
    summarySheet: text,
    groupSheet: text,
    notSubmittedSheet: text,
    detailSheet: text,
    summaryTitle: text,
    notSubmittedTitle: text,
  }),
  columns: z.object({
    seq: text,
    prefecture: text,
    zone: text,
    value: text,
    yoy: text,
    target: text,
    completion: text,
    rank: text,
    grade: text,
    quotaValue: text,
    quotaCompletion: text,
    /** Over a quota's two columns in a two-row header. */
    quotaBand: text.default("{{label}}"),
    groups: text,
    indicator: text,
    status: text,
    late: text,
  }),
  tableTitle: text,
  /** The grade rule stated on the circular (settings.assessment.gradeBasis) and the 暂定 mark. */
  grades: z
    .object({
      basisGroupTarget: text,
      basisReportedTotal: text,
      provisional: text,
      provisionalColumn: text,
    })
    .prefault({
      basisGroupTarget: "等次按各经开区累计{{label}}占本类别全年目标（{{target}}）的比重划分：{{bands}}。",
      basisReportedTotal: "等次按各经开区累计{{label}}占已报送经开区合计的比重划分：{{bands}}。",
      provisional: "尚有{{missing}}个经开区未报送，以上等次为暂定，待全部报送后确定。",
      provisionalColumn: "等次（暂定）",
    }),
  /** 版记 of the Word document: 抄送 (the 印发机关 is the issuer). */
  colophon: z.object({ copyTo: text }).prefault({ copyTo: "省商务厅办公室，厅相关处室。" }),
});
export type CircularPhrases = z.infer<typeof circularPhrasesSchema>;

export const PHRASES_TEMPLATE = "circular.phrases.json";

/** templates/circular.phrases.json, validated; a broken file is reported with the field at fault. */
export function loadCircularPhrases(): CircularPhrases {
  const raw = loadTemplate(PHRASES_TEMPLATE);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`templates/${PHRASES_TEMPLATE} 不是有效的 JSON：${(e as Error).message}`);
  }
  const r = circularPhrasesSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`templates/${PHRASES_TEMPLATE} 的 ${issue.path.join(".")} 有误：${issue.message}`);
  }
  return r.data;
}

/** Fills a phrase's {{placeholders}}. */
export function phrase(template: string, view: TemplateView): string {
  return renderTemplate(template, view, `${PHRASES_TEMPLATE}: ${template}`);
}
