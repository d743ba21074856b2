import type { IndicatorDef } from "../programme/programme.js";
import { figuresOutside, mergeSpans, type Span } from "./figure-tokens.js";
import { quote } from "./issue-messages.js";
import { didYouMean, nearestIndicator } from "./near-miss.js";
import type { ParseIssue, ReadNote } from "./parsed-report.js";
import { WAN_LETTERS } from "./unit-words.js";

// The invariant: every figure of a message is read into a value or named back. This pass runs over each
// prose line after the readers: a figure outside every consumed span becomes a note ("未识别：…"), or an
// issue when the words before it are a near miss of an indicator ("进出囗1.5亿元" → 您是否指 进出口额？).

const UNIT_AFTER = new RegExp(
  `^\\s*(?:多|余)?\\s*(?:个)?\\s*(?:千万|百万|万|亿|${WAN_LETTERS})?\\s*(?:人民币)?\\s*(?:美元|元|%|个百分点|百分点|个次|人次|个|次|家|场|项|人|成|增长)?`,
);
// an opening bracket starts the words named back: "未识别：上年同期2800万元", not "(上年同期…"
const CLAUSE_BREAK = /[，,；;。、\s：(（]/;
const FILLER = /(?:累计|完成|实现|共计|共|合计|约|达到|达|为|总计|已|了|有)+$/;
const TARGET_WORDS = /目标|计划|任务|预计|力争|预期/;

export interface Unread {
  issues: ParseIssue[];
  notes: ReadNote[];
}

/** Figures of `line` not inside `consumed` (plus `tokens`, the words the readers matched). */
export function nameUnread(
  line: string,
  consumed: Span[],
  indicators: IndicatorDef[],
  zoneId: string | undefined,
  out: Unread,
): void {
  const skip = mergeSpans(consumed);
  for (const tok of figuresOutside(line, skip)) {
    let start = tok.start;
    const floor = skip.filter((s) => s.end <= tok.start).at(-1)?.end ?? 0;
    while (start > floor && !CLAUSE_BREAK.test(line[start - 1]!)) start--;
    const unit = UNIT_AFTER.exec(line.slice(tok.end))![0];
    const end = tok.end + unit.trimEnd().length;
    let label = line.slice(start, tok.start).replace(FILLER, "").trim();
    let colon = false;
    if (label === "" && line[start - 1] === "：") {
      // "进出品额：3.2亿元": the name before the colon
      let s0 = start - 1;
      while (s0 > 0 && /[\u3400-\u9FFF]/.test(line[s0 - 1]!)) s0--;
      label = line.slice(s0, start - 1);
      colon = label !== "";
      start = s0;
    }
    const read = line.slice(start, end).trim();
    const zone = zoneId ? { zoneId } : {};
    const near = /^[\u3400-\u9FFF]{2,12}$/.test(label) ? nearestIndicator(label, indicators) : undefined;
    if (near && ![near.label, ...near.aliases].includes(label)) {
      out.issues.push({
        code: "unknown_field",
        field: label,
        fieldLabel: label,
        suggestion: near.label,
        ...zone,
        read,
        message: `未识别：${read}${didYouMean([near.label])}（读到${quote(read)}）请改正后重新发送，例如：${near.label}${line.slice(tok.start, end)}`,
      });
      continue;
    }
    const clause = line.slice(Math.max(floor, start - 12), tok.start);
    if (TARGET_WORDS.test(clause)) {
      out.notes.push({
        code: "target_figure",
        read,
        ...zone,
        message: `未作为完成数：${read}（目标或计划数，未保存）`,
      });
      continue;
    }
    if (tok.value === undefined) {
      out.issues.push({
        code: "bad_number",
        ...zone,
        read,
        message: `数字无法识别：${read}（读到${quote(read)}，${tok.problem ?? "无法识别"}），请写成如 3.2亿元 或 32000万元，例如：进出口额：3.2亿元`,
      });
      continue;
    }
    if (colon) {
      // "出口退税：300万元": a field the programme does not collect — named back (does not refuse)
      out.issues.push({
        code: "unknown_field",
        field: label,
        fieldLabel: label,
        ...zone,
        read,
        message: `未识别：${read}（「${label}」不是填报项，未保存；读到${quote(read)}）。可填报项：${indicators.map((i) => i.label).join("、")}，例如：${indicators[0]?.label ?? "进出口额"}：3.2亿元`,
      });
      continue;
    }
    out.notes.push({
      code: "unread_number",
      read,
      ...zone,
      message: `未识别：${read}（不是填报项，未保存）`,
    });
  }
}
