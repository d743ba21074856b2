import { parseChineseNumber } from "../parsing/chinese-number.js";
import type { IndicatorDef, Programme, ZoneDef } from "../programme/programme.js";
import { exampleFor } from "./display-value.js";
import type { Draft } from "./draft-store.js";
import { missingRequired, zoneOf } from "./report-messages.js";

/**
 * A reply that is only a figure or a "none" word, sent while the bot waits for the missing fields it has
 * listed (`还缺少：人才培训（场）` → `2`, `3次`, `都是0`, `没有`). It names no field, so the parser cannot read
 * it; the dialogue binds it to a missing field when exactly one fits, and asks otherwise.
 */
export type ShortAnswer =
  /** `2`, `3次`, `两场`, `3.2亿元`: the number in digits and the unit as written (if any). */
  | { kind: "number"; number: string; unit?: string; text: string }
  /** `都是0`, `其他都是0`, `没有`, `无`: every missing field is 0 — asked, never assumed. */
  | { kind: "zeros"; text: string };

const NUMBER =
  /^([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)\s*(个|次|家|场|万元|亿元|万|亿|元|%)?$/;
/** 都是0, 均为0, 其他都是0, 其余均为零, 剩下的都没有, 都没有, 没有, 无, 暂无, 全部为0. */
const ZEROS =
  /^(?:其他|其它|其余|剩下的?|剩余的?|余下的?)?(?:的)?(?:都|均|全|全部|也都|也)?(?:是|为)?(?:0|零|没有|无)(?:个|次|家|场)?$|^暂无$/;
const MONEY_UNITS = new Set(["万元", "亿元", "万", "亿", "元"]);

/** Reads the whole message as a short answer; anything more (a field name, a zone, two figures) is not one. */
export function readShortAnswer(input: string): ShortAnswer | undefined {
  const text = input
    .normalize("NFKC")
    .trim()
    .replace(/[\s。.!！~～，,、;；]+$/u, "")
    .trim();
  if (text === "") return undefined;
  const n = NUMBER.exec(text);
  if (n) {
    const d = parseChineseNumber(n[1]!);
    if (!d) return undefined;
    return { kind: "number", number: d.toString(), ...(n[2] ? { unit: n[2] } : {}), text };
  }
  if (ZEROS.test(text)) return { kind: "zeros", text };
  return undefined;
}

/** One missing required field of one zone of the draft. */
interface Slot {
  zone: ZoneDef;
  ind: IndicatorDef;
}

export type ShortAnswerPlan =
  /** Send `text` (field names written out) through the report pipeline; `lead` heads the reply. */
  | { kind: "bind"; text: string; lead: string }
  /** Nothing changes; ask which field (or for the unit). */
  | { kind: "ask"; message: string };

/**
 * What a short answer means for the draft. A number binds only when exactly one missing field fits it:
 * a bare count with one field missing, or a unit that fits exactly one missing field (个/次/家/场 that
 * field's unit, 万元/亿元 a money field). A bare number is never money. `都是0`/`没有` sets every missing field
 * to 0 and heads the echo with the question 是否以下各项均为0 — the caller shows the echo even with
 * AUTO_CONFIRM, so nothing read from a short answer is stored before the contact's 确认.
 */
export function planShortAnswer(p: Programme, draft: Draft, answer: ShortAnswer): ShortAnswerPlan {
  const slots: Slot[] = draft.sections.flatMap((s) =>
    missingRequired(p, s).map((ind) => ({ zone: zoneOf(p, s.zoneId), ind })),
  );
  const multiZone = new Set(slots.map((s) => s.zone.id)).size > 1;
  const name = (s: Slot) => (multiZone ? `${s.zone.shortName}${s.ind.label}` : s.ind.label);
  const list = slots.map((s) => `${name(s)}（${s.ind.unit || "文字"}）`).join("、");
  if (slots.length === 0) return { kind: "ask", message: "草稿没有缺少的必填项。" };
  if (answer.kind === "zeros") {
    const zeros = slots.filter((s) => s.ind.kind !== "text");
    if (zeros.length === 0) return { kind: "ask", message: `还缺少：${list}。请直接回复内容。` };
    const byZone = new Map<string, Slot[]>();
    for (const s of zeros) byZone.set(s.zone.id, [...(byZone.get(s.zone.id) ?? []), s]);
    const text = [...byZone.values()]
      .map(
        (zs) => `${zs[0]!.zone.shortName} ${zs.map((s) => `${s.ind.label}0${zeroUnit(s.ind)}`).join("，")}`,
      )
      .join("\n");
    const example = exampleFor(zeros[0]!.ind).replace(/（.*）$/, "");
    return {
      kind: "bind",
      text,
      lead:
        `您回复“${answer.text}”。${zeros.length === 1 ? `是否${name(zeros[0]!)}为0` : `是否以下各项均为0：${zeros.map(name).join("、")}`}？` +
        `如是，请核对下面的内容并回复“确认”；如不是0或暂无数据，请直接回复正确数值，例如：${example}。`,
    };
  }
  const fits = slots.filter((s) => unitFits(s.ind, answer.unit));
  const which = `请写明是哪一项，例如：${exampleFor(slots[0]!.ind).replace(/（.*）$/, "")}。`;
  if (fits.length === 1 && fits[0]!.ind.kind !== "text") {
    const s = fits[0]!;
    if (s.ind.kind === "money" && !answer.unit) {
      return {
        kind: "ask",
        message: `您回复的“${answer.text}”没有单位。${s.ind.label}请写明单位，例如：${exampleFor(s.ind)}。`,
      };
    }
    const unit = answer.unit ?? (s.ind.kind === "count" ? s.ind.unit : "");
    return {
      kind: "bind",
      text: `${s.zone.shortName} ${s.ind.label}${answer.number}${unit}`,
      lead: `已将您回复的“${answer.text}”记为「${name(s)}」。`,
    };
  }
  if (fits.length > 1) {
    return {
      kind: "ask",
      message: `您回复的“${answer.text}”可能是以下任一项：${fits.map(name).join("、")}。${which}`,
    };
  }
  const zeroHint = answer.number === "0" && slots.length > 1 ? "如以上各项均为0，请回复“都是0”。" : "";
  return {
    kind: "ask",
    message: `您回复的“${answer.text}”对不上缺少的必填项。还缺少：${list}。${which}${zeroHint}`,
  };
}

/** A bare number fits every count field (one slot decides); a unit fits the fields measured in it. */
function unitFits(ind: IndicatorDef, unit: string | undefined): boolean {
  if (!unit) return ind.kind === "count" || ind.kind === "money";
  if (MONEY_UNITS.has(unit)) return ind.kind === "money";
  if (unit === "%") return ind.kind === "percent";
  return ind.kind === "count" && ind.unit === unit;
}

function zeroUnit(ind: IndicatorDef): string {
  if (ind.kind === "money") return "万元";
  if (ind.kind === "percent") return "%";
  return ind.unit;
}
