import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef } from "../programme/programme.js";
import { bindingAfter } from "./binding-rules.js";
import { SHARED_FIGURE_RULE, type SharedFigure } from "./field-lists.js";
import type { Span } from "./figure-tokens.js";
import { partNote, pointsNote, valueIssue } from "./issue-messages.js";
import { valueSegment } from "./line-rules.js";
import type { LineToken } from "./line-tokens.js";
import { declaredMoneyUnit, findQuantity } from "./quantities.js";
import { ReportState } from "./report-state.js";
import {
  COUNT_FIRST,
  countBeforeField,
  doubtAbout,
  NOT_CUMULATIVE,
  NOT_CUMULATIVE_RULE,
  SINGLE_MONTH,
} from "./uncertain-figures.js";

const CLAUSE_BREAK = /[，,；;。]/;
/** A value further than this from its field name is not taken as that field's value. */
const MAX_GAP = 16;

/**
 * The figure readers of a prose line (the report parser, report-parser.ts, walks the tokens and calls
 * them): a field's value after its name with the one number grammar, the binding rules after it, and a
 * list of fields sharing one figure. `covered` holds the spans of the line they consumed (for the
 * invariant pass), `bound` the tokens inside them that are not to be read again.
 */
export abstract class FigureReader extends ReportState {
  protected covered: Span[] = [];
  protected bound: Span[] = [];

  /**
   * A list of fields with one figure after 都/均: zero is zero for each of them (stored for every field);
   * another figure is asked for each field (the same count for all, or a slip?). A quarter's or a month's
   * own zero says nothing of a running total: asked, as for one field.
   */
  protected readSharedFigure(line: string, list: SharedFigure, wordsStart: number): void {
    this.covered.push({ start: list.start, end: list.end });
    if (this.current === "unknown") return;
    const raw = line.slice(list.start, list.end);
    const zoneId = this.zoneIdOf(this.current);
    const firstQuarter = (this.periods[0]?.quarter ?? this.ctx.openPeriod?.quarter) === 1;
    const words = line.slice(wordsStart, list.start);
    for (const { indicator: ind } of list.fields) {
      if (ind.cumulative && (firstQuarter ? SINGLE_MONTH : NOT_CUMULATIVE).test(words))
        this.addIssue(valueIssue("bad_number", ind, `${words}${raw}`.trim(), zoneId, NOT_CUMULATIVE_RULE));
      else if (list.zero) this.addValue(this.current, ind, "0", raw, undefined, Decimal.ZERO);
      else this.addIssue(valueIssue("bad_number", ind, raw, zoneId, SHARED_FIGURE_RULE));
    }
  }

  /**
   * Where the words before token k start: after the previous token (period mentions count as words with
   * `periodsAsWords`: "二季度当季进出口") and after any value read from it.
   */
  protected leadStart(tokens: LineToken[], k: number, periodsAsWords = false): number {
    let j = k - 1;
    while (periodsAsWords && j >= 0 && tokens[j]!.kind === "period") j--;
    const from = j >= 0 ? tokens[j]!.end : 0;
    const at = tokens[k]!.start;
    return this.covered.reduce((m, c) => (c.end <= at && c.end > m ? c.end : m), from);
  }

  protected readQuantity(line: string, tokens: LineToken[], k: number, ind: IndicatorDef): void {
    const tok = tokens[k]!;
    const { value, offset, labelUnit } = valueSegment(line, tokens, k);
    const fieldUnit = labelUnit ? declaredMoneyUnit(labelUnit) : undefined;
    const colon = /^\s*：/.test(value);
    const afterColon = value.replace(/^[\s：]*/, "").trim();
    // "2个项目，4次赴外": the count stands before the field name — the one after it is the next field's
    const before = countBeforeField(ind, line.slice(this.leadStart(tokens, k), tok.start));
    if (before && this.current !== "unknown") {
      this.covered.push({ start: tok.start - before.length, end: tok.end });
      this.addIssue(
        valueIssue("bad_number", ind, `${before}${tok.text}`, this.zoneIdOf(this.current), COUNT_FIRST),
      );
      return;
    }
    // a "（%）" label declares the rate's unit: a bare 0.5 under it is 0.5 %
    const pctLabel = ind.kind === "percent" && labelUnit !== undefined && /[%％]/.test(labelUnit);
    const q = findQuantity(ind.kind, value, pctLabel ? "%" : (fieldUnit ?? this.messageUnit));
    if (!q) {
      if (colon && afterColon !== "" && !/^[，,；。]/.test(afterColon)) {
        this.addIssue(valueIssue("bad_number", ind, afterColon, this.zoneIdOf(this.current)));
      }
      return;
    }
    const gap = value.slice(0, q.start);
    const gapText = gap.replace(/^[\s：]*/, "");
    // the number belongs to something else: another label's, or past a clause break ("项目，4次赴外")
    if (gapText.includes("：") || gapText.trim().length > MAX_GAP || CLAUSE_BREAK.test(gapText[0] ?? ""))
      return;
    if (this.current === "unknown") return;
    const valueEnd = tok.end + offset + q.end;
    this.covered.push({ start: tok.start, end: valueEnd });
    const doubt = doubtAbout({
      ind,
      line,
      tokStart: tok.start,
      valueEnd,
      lead: line.slice(this.leadStart(tokens, k), tok.start),
      wordsStart: this.leadStart(tokens, k, true),
      gapText,
      found: q.text,
      after: value.slice(q.end),
      firstQuarter: (this.periods[0]?.quarter ?? this.ctx.openPeriod?.quarter) === 1,
    });
    if (doubt?.part) {
      this.note(partNote(ind, doubt.part, line.slice(0, valueEnd), this.zoneIdOf(this.current)));
      return;
    }
    if (doubt) {
      this.addIssue(valueIssue("bad_number", ind, doubt.read, this.zoneIdOf(this.current), doubt.detail));
      return;
    }
    if (!q.ok) {
      if (q.reason === "percentage_points") {
        this.note(pointsNote(ind, line.slice(tok.start, valueEnd).trim(), this.zoneIdOf(this.current)));
        return;
      }
      this.addIssue(valueIssue(q.reason, ind, q.text, this.zoneIdOf(this.current), q.detail));
      return;
    }
    const raw = line.slice(tok.start, valueEnd).trim();
    this.addValue(this.current, ind, q.value.toString(), raw, undefined, q.value);
    if (ind.kind !== "money") return;
    // binding rules: "进出口3.2亿元，增长12.5%" → the rate is 进出口同比
    const b = bindingAfter(line, valueEnd, ind, this.vocab.indicators);
    if (!b) return;
    this.covered.push({ start: b.start, end: b.end });
    this.bound.push({ start: b.start, end: b.end });
    const bindRaw = `${raw}，${b.text.replace(/^[\s，,、；;]+/, "")}`;
    if (b.kind === "points") this.note(pointsNote(b.to ?? ind, bindRaw, this.zoneIdOf(this.current)));
    else this.addValue(this.current, b.to, b.value.toString(), bindRaw, undefined, b.value);
  }
}
