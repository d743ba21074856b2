import { Decimal } from "../domain/decimal.js";
import type { IndicatorDef } from "../programme/programme.js";
import { bindingAfter } from "./binding-rules.js";
import { SHARED_FIGURE_RULE, type SharedFigure } from "./field-lists.js";
import type { Span } from "./figure-tokens.js";
import { otherPeriodNote, partNote, pointsNote, valueIssue } from "./issue-messages.js";
import { valueSegment } from "./line-rules.js";
import type { LineToken } from "./line-tokens.js";
import { declaredMoneyUnit, type FoundQuantity, findQuantity, otherMoneyUnit } from "./quantities.js";
import { ReportState } from "./report-state.js";
import {
  COUNT_FIRST,
  countBeforeField,
  doubtAbout,
  NOT_CUMULATIVE,
  notCumulativeRule,
  SINGLE_MONTH,
} from "./uncertain-figures.js";

const CLAUSE_BREAK = /[，,；;。]/;
/** The words before a field that make its figure last year's ("去年同期进出口4800万元"). */
const LAST_YEAR_LEAD = /(?:去年|上年|上一年)(?:同期)?(?:的)?\s*$/;
/** This year's words at the start of the clause after it ("，今年一季度5600万元"). */
const THIS_YEAR = /^(?:今年同期|今年|本年|本期)/;
const FIGURE_VERB = /^\s*(?:累计)?(?:为|是|达到|达|完成|实现)?\s*/;
/** Brackets right after a figure, with a figure inside. */
const BRACKET_AFTER = /^\s*[(（]([^()（）]{1,30})[)）]/;
/** What may stand beside the repeated amount in brackets ("（约21000万元）", "（即21000万元）"). */
const SAME_AMOUNT_WORDS = /^\s*(?:约|即|合|折合|折|共|计)?\s*$/;
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
    const quarter = this.quarter();
    const words = line.slice(wordsStart, list.start);
    for (const { indicator: ind } of list.fields) {
      if (ind.cumulative && (quarter === 1 ? SINGLE_MONTH : NOT_CUMULATIVE).test(words))
        this.addIssue(
          valueIssue("bad_number", ind, `${words}${raw}`.trim(), zoneId, notCumulativeRule(quarter)),
        );
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

  /**
   * Where the words of token k's figure start: after the last token before it that is no period mention
   * (a zone, a field, a label) or the last value read, whichever is later — period mentions between are
   * the figure's own words ("湄潭经开区去年一季度进出口…"), unlike leadStart's.
   */
  protected scopeStart(tokens: LineToken[], k: number): number {
    let j = k - 1;
    while (j >= 0 && tokens[j]!.kind === "period") j--;
    const from = j >= 0 ? tokens[j]!.end : 0;
    const at = tokens[k]!.start;
    const periods = tokens.slice(j + 1, k);
    return this.covered.reduce(
      (m, c) =>
        c.end <= at && c.end > m && !periods.some((p) => p.start === c.start && p.end === c.end) ? c.end : m,
      from,
    );
  }

  /** A figure asked about: the span [start, end) of the line is covered and quoted in a bad_number question. */
  protected ask(ind: IndicatorDef, line: string, start: number, end: number, detail: string): void {
    this.covered.push({ start, end });
    this.addIssue(
      valueIssue("bad_number", ind, line.slice(start, end).trim(), this.zoneIdOf(this.current), detail),
    );
  }

  protected readQuantity(line: string, tokens: LineToken[], k: number, ind: IndicatorDef): void {
    const tok = tokens[k]!;
    const { value, offset, labelUnit } = valueSegment(line, tokens, k);
    const fieldUnit = labelUnit ? declaredMoneyUnit(labelUnit) : undefined;
    // "进出口（万美元）：800", "（千元）": no unit the figure can be read in — asked, not read as 元 or 万元
    const other = ind.kind === "money" && labelUnit ? otherMoneyUnit(labelUnit) : undefined;
    if (other && this.current !== "unknown") {
      this.ask(
        ind,
        line,
        tok.start,
        tok.end + offset + value.length,
        `单位“${other}”无法换算，请以人民币万元或亿元填报`,
      );
      return;
    }
    const colon = /^\s*：/.test(value);
    const afterColon = value.replace(/^[\s：]*/, "").trim();
    // "包装招商项目、赴外招商 3个、4次": fields listed, then figures — which is whose? Asked (adversarial review 2026-12-08)
    const prevTok = tokens[k - 1];
    if (
      prevTok?.kind === "indicator" &&
      prevTok.indicator.kind !== "text" &&
      /^\s*(?:、|和|及|与|以及)\s*$/.test(line.slice(prevTok.end, tok.start)) &&
      /\d|[一二两三四五六七八九十]/.test(value) &&
      this.current !== "unknown"
    ) {
      this.ask(
        ind,
        line,
        prevTok.start,
        tok.end + offset + value.replace(/[\s，,；;。]+$/, "").length,
        `「${prevTok.indicator.label}」和「${ind.label}」写在一起，后面的数值无法确定各属于哪一项，请在每一项后面分别写明它的数值`,
      );
      return;
    }
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
    const lead = line.slice(this.leadStart(tokens, k), tok.start);
    // "去年同期进出口4800万元，今年一季度5600万元": last year's figure named back, this year's read after it
    const lastYear = LAST_YEAR_LEAD.exec(lead);
    if (lastYear) {
      const from = this.leadStart(tokens, k) + lastYear.index;
      this.note(otherPeriodNote(ind, line.slice(from, valueEnd).trim(), this.zoneIdOf(this.current)));
      this.readThisYearAfter(line, tokens, tok.text, ind, valueEnd);
      return;
    }
    const doubt = doubtAbout({
      ind,
      line,
      tokStart: tok.start,
      valueEnd,
      lead,
      wordsStart: this.leadStart(tokens, k, true),
      scopeStart: this.scopeStart(tokens, k),
      gapText,
      found: q.text,
      after: value.slice(q.end),
      quarter: this.quarter(),
      year: this.year(),
    });
    this.takeFigure(line, tokens, ind, q, line.slice(tok.start, valueEnd).trim(), valueEnd, doubt);
  }

  /** The year the message reports on: its first period mention's, else the open period's. */
  private year(): number | undefined {
    return this.periods[0]?.year ?? this.ctx.openPeriod?.year;
  }

  /** The quarter the message reports on: its first period mention, else the open period's. */
  private quarter(): number | undefined {
    return this.periods[0]?.quarter ?? this.ctx.openPeriod?.quarter;
  }

  /**
   * "，今年一季度5600万元" right after last year's figure: this year's figure of the same field, its name not
   * written again. Only with a word of this year (今年, 本年, 本期) or a period; else nothing is taken (the
   * invariant pass names the figure back).
   */
  private readThisYearAfter(
    line: string,
    tokens: LineToken[],
    name: string,
    ind: IndicatorDef,
    from: number,
  ) {
    const clauseStart = from + /^[\s，,；;]*/.exec(line.slice(from))![0].length;
    let i = clauseStart;
    const marker = THIS_YEAR.exec(line.slice(i));
    if (marker) i += marker[0].length;
    const period = tokens.find((t) => t.kind === "period" && t.start === i);
    if (period) i = period.end;
    if (!marker && !period) return;
    i += FIGURE_VERB.exec(line.slice(i))![0].length;
    const next = tokens.find((t) => t.start >= i && t.kind !== "period");
    const breakAt = line.slice(i).search(CLAUSE_BREAK);
    const segEnd = Math.min(next?.start ?? line.length, breakAt < 0 ? line.length : i + breakAt);
    const seg = line.slice(i, segEnd);
    const q = findQuantity(ind.kind, seg, this.messageUnit);
    if (!q || q.start !== 0) return;
    const valueEnd = i + q.end;
    this.covered.push({ start: clauseStart, end: valueEnd });
    const doubt = doubtAbout({
      ind,
      line,
      tokStart: i,
      valueEnd,
      lead: "",
      wordsStart: clauseStart,
      gapText: "",
      found: q.text,
      after: seg.slice(q.end),
      quarter: this.quarter(),
      year: this.year(),
    });
    this.takeFigure(line, tokens, ind, q, `${name}：${line.slice(clauseStart, valueEnd)}`, valueEnd, doubt);
  }

  /**
   * A figure found for a field: named back as a part, asked about, or stored — and for money, what follows
   * it in brackets (the same amount in other units, an earlier period's figure) and its growth rate.
   */
  private takeFigure(
    line: string,
    tokens: LineToken[],
    ind: IndicatorDef,
    q: FoundQuantity,
    raw: string,
    valueEnd: number,
    doubt: ReturnType<typeof doubtAbout>,
  ): void {
    const zoneId = this.zoneIdOf(this.current);
    if (doubt?.part) {
      this.note(partNote(ind, doubt.part, line.slice(0, valueEnd), zoneId));
      return;
    }
    if (doubt) {
      this.addIssue(valueIssue("bad_number", ind, doubt.read, zoneId, doubt.detail));
      return;
    }
    if (!q.ok) {
      if (q.reason === "percentage_points") {
        this.note(pointsNote(ind, raw, zoneId));
        return;
      }
      this.addIssue(valueIssue(q.reason, ind, q.text, zoneId, q.detail));
      return;
    }
    this.addValue(this.current, ind, q.value.toString(), raw, undefined, q.value);
    if (ind.kind !== "money") return;
    const end = this.readBracketAfter(line, tokens, ind, raw, valueEnd);
    // binding rules: "进出口3.2亿元，增长12.5%" → the rate is 进出口同比
    const b = bindingAfter(line, end, ind, this.vocab.indicators);
    if (!b) return;
    this.covered.push({ start: b.start, end: b.end });
    this.bound.push({ start: b.start, end: b.end });
    const bindRaw = `${raw}，${b.text.replace(/^[\s，,、；;]+/, "")}`;
    if (b.kind === "points") this.note(pointsNote(b.to ?? ind, bindRaw, zoneId));
    else this.addValue(this.current, b.to, b.value.toString(), bindRaw, undefined, b.value);
  }

  /**
   * Brackets right after a money figure: "（21000万元）", the same amount again (a repeat; another amount is
   * asked as a duplicate), or "（一季度2700万元）", an earlier quarter's figure (named back; its period is no
   * period of the message). Where reading goes on after them.
   */
  private readBracketAfter(line: string, tokens: LineToken[], ind: IndicatorDef, raw: string, from: number) {
    const br = BRACKET_AFTER.exec(line.slice(from));
    if (!br) return from;
    const innerStart = from + br[0].indexOf(br[1]!);
    const innerEnd = innerStart + br[1]!.length;
    const span = { start: from, end: from + br[0].length };
    const periods = tokens.filter((t) => t.kind === "period" && t.start >= innerStart && t.end <= innerEnd);
    if (periods.length > 0) {
      const main = this.periods.at(-1) ?? this.ctx.openPeriod;
      const earlier = periods.every(
        (t) =>
          t.kind === "period" &&
          main !== undefined &&
          main !== null &&
          t.mention.quarter !== undefined &&
          t.mention.quarter < main.quarter &&
          (t.mention.year === undefined || t.mention.year === main.year),
      );
      if (!earlier || !/\d/.test(br[1]!)) return from;
      this.covered.push(span);
      this.bound.push(span);
      this.note(otherPeriodNote(ind, br[1]!.trim(), this.zoneIdOf(this.current)));
      return span.end;
    }
    const q = findQuantity(ind.kind, br[1]!, this.messageUnit);
    if (!q?.ok || !SAME_AMOUNT_WORDS.test(`${br[1]!.slice(0, q.start)}${br[1]!.slice(q.end)}`)) return from;
    this.covered.push(span);
    this.addValue(this.current, ind, q.value.toString(), `${raw}（${br[1]!.trim()}）`, undefined, q.value);
    return span.end;
  }
}
