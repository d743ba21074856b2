import type { Decimal } from "../domain/decimal.js";
import type { Period, Quarter } from "../domain/period.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import { bindingAfter } from "./binding-rules.js";
import type { ClaimSink } from "./claim-sink.js";
import type { Span } from "./figure-tokens.js";
import { Findings } from "./findings.js";
import {
  badPeriodIssue,
  conflictingPeriodIssue,
  duplicateIssue,
  missingZoneIssue,
  noDataIssue,
  quote,
  unknownZoneIssue,
  valueIssue,
  zoneListIssue,
} from "./issue-messages.js";
import {
  isSignOff,
  isTargetMention,
  looksLikeSectionHeader,
  nextBoundary,
  startsBlock,
  yoyBelongsToBase,
} from "./line-rules.js";
import { type LineToken, tokenizeLine } from "./line-tokens.js";
import { didYouMean, nearestZones } from "./near-miss.js";
import { normaliseText } from "./normalise-text.js";
import type {
  ParseContext,
  ParsedReport,
  ParsedSection,
  ParsedValue,
  ParseIssue,
  ReadNote,
} from "./parsed-report.js";
import { checkPartsAndTotals } from "./parts-totals.js";
import type { PeriodMention } from "./periods.js";
import { plausibilityProblem } from "./plausibility.js";
import { declaredMoneyUnit, findQuantity, type MoneyUnit } from "./quantities.js";
import { type CellGrid, readGrid } from "./read-table.js";
import { valueProblem } from "./report-schema.js";
import { stripLineDecoration } from "./strip-line.js";
import { splitBlocks } from "./text-tables.js";
import { nameUnread } from "./unread-numbers.js";
import { type Vocabulary, vocabularyOf } from "./vocabulary.js";

/**
 * Longer input is refused whole, never cut (cutting would drop figures without a word). A chat message is a
 * few hundred characters; a pasted table of every zone a few thousand.
 */
export const MAX_INPUT_LENGTH = 20_000;
/** Cells of one table or sheet read at most (rows × columns). */
export const MAX_GRID_CELLS = 20_000;
/** A value further than this from its field name is not taken as that field's value. */
const MAX_GAP = 16;

/**
 * Parses one chat message into per-zone sections of canonical values (money in 万元, rates in %, counts as
 * integers, text normalised), the period it names, and issues with Chinese messages. Pure; never throws:
 * an internal error becomes a no_data issue.
 */
export function parseReport(text: string, ctx: ParseContext): ParsedReport {
  try {
    return parseReportStrict(text, ctx);
  } catch {
    return {
      periodSource: ctx.openPeriod ? "implicit" : "none",
      ...(ctx.openPeriod ? { period: ctx.openPeriod } : {}),
      sections: [],
      notes: [],
      issues: [
        {
          code: "no_data",
          read: String(text).slice(0, 40),
          message: "消息无法解析，请按模板格式重新发送（发送“模板”可获取填报模板）",
        },
      ],
    };
  }
}

interface SectionState {
  zone: ZoneDef;
  zoneText: string;
  values: Record<string, ParsedValue>;
}
/** Where values go: a zone's section, "unknown" (after an unknown zone: dropped) or undefined (no zone yet). */
type Target = SectionState | "unknown" | undefined;

interface OpenText {
  target: Target;
  indicator: IndicatorDef;
  lines: string[];
  raw: string;
}

interface GoodPeriod {
  quarter: Quarter;
  year?: number;
  text: string;
}

/** parseReport without the safety net (tests use it to surface internal errors). */
export function parseReportStrict(input: string, ctx: ParseContext): ParsedReport {
  if (typeof input !== "string") throw new TypeError("parseReport: text expected");
  const p = new ReportParser(ctx);
  if (input.length > MAX_INPUT_LENGTH) return p.refuseTooLong(`${input.length}字`, `${MAX_INPUT_LENGTH}字`);
  p.readText(input);
  return p.finish(input);
}

/**
 * Parses a table of cells (a sheet of a workbook, a CSV file) with the same readers, rules and result as
 * text: a header row of indicators with zones down the rows, or zones across with indicators down; units
 * in header cells; extra columns and rows named back; issues and notes name the cell ("第3行 C列"). A grid
 * that is no such table is read as lines of prose (cells joined by spaces), e.g. a sheet of 字段：值 lines.
 */
export function parseTable(grid: CellGrid, ctx: ParseContext): ParsedReport {
  const p = new ReportParser(ctx);
  const cells = grid.rows.reduce((n, r) => n + r.length, 0);
  if (cells > MAX_GRID_CELLS) return p.refuseTooLong(`${cells}个单元格`, `${MAX_GRID_CELLS}个单元格`);
  if (!readGrid(grid, p)) p.readProse(grid.rows.map((r) => r.join(" ")).join("\n"));
  return p.finish(grid.rows.map((r) => r.join(" ")).join("\n"));
}

class ReportParser implements ClaimSink {
  readonly vocab: Vocabulary;
  private readonly sections = new Map<string, SectionState>();
  private readonly unassigned: Record<string, ParsedValue> = {};
  private readonly found = new Findings();
  /** Spans of the current line consumed by a reader (for the invariant pass). */
  private covered: Span[] = [];
  private bound: Span[] = [];
  private readonly periods: GoodPeriod[] = [];
  private readonly defaultZone: ZoneDef | undefined;
  private current: Target;
  private messageUnit: MoneyUnit | undefined;
  private text: OpenText | undefined;

  constructor(readonly ctx: ParseContext) {
    this.vocab = vocabularyOf(ctx);
    const defaultId = ctx.defaultZoneId ?? (ctx.zones.length === 1 ? ctx.zones[0]!.id : undefined);
    this.defaultZone = ctx.zones.find((z) => z.id === defaultId);
  }

  /** A message: table blocks go to the table reader, everything else (and tables it rejects) is prose. */
  readText(input: string): void {
    for (const block of splitBlocks(input)) {
      if (block.kind === "table" && readGrid(block.grid, this)) continue;
      this.readProse(block.lines.join("\n"));
    }
  }

  readProse(input: string): void {
    const normalised = normaliseText(input);
    const plain = normalised.split("\n");
    const lines = plain.map(stripLineDecoration);
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li]!;
      if (this.text) {
        if (line === "" || isSignOff(line)) {
          this.closeText();
          continue;
        }
        const tokens = tokenizeLine(line, this.vocab);
        if (!startsBlock(line, tokens)) {
          this.text.lines.push(plain[li]!); // a text keeps its own numbering ("1. …")
          continue;
        }
        this.closeText();
        this.processLine(line, tokens, lines, li);
        continue;
      }
      if (line === "") continue;
      this.processLine(line, tokenizeLine(line, this.vocab), lines, li);
    }
    this.closeText();
  }

  refuseTooLong(size: string, max: string): ParsedReport {
    this.addIssue({
      code: "too_long",
      read: size,
      message: `消息过长（读到“${size}”），一次最多${max}，本次未读取。请分几条发送，例如：每条报送一至两个经开区`,
    });
    return this.finish("");
  }

  // ClaimSink: what the table reader hands over
  claim(
    zone: ZoneDef | undefined,
    ind: IndicatorDef,
    value: string,
    raw: string,
    where?: string,
    parsed?: Decimal,
  ): void {
    this.addValue(
      zone ? this.sectionFor(zone, zone.shortName) : this.current,
      ind,
      value,
      raw,
      where,
      parsed,
    );
  }
  issue(issue: ParseIssue): void {
    this.addIssue(issue);
  }
  note(note: ReadNote): void {
    this.found.note(note);
  }
  period(m: PeriodMention): void {
    if (m.problem) this.addIssue(badPeriodIssue(m.text, m.problem));
    else this.periods.push({ quarter: m.quarter!, year: m.year, text: m.text });
  }
  moneyUnit(): MoneyUnit | undefined {
    return this.messageUnit;
  }

  /** One line: the readers, then the invariant pass over what they left. */
  private processLine(line: string, tokens: LineToken[], lines: string[], li: number): void {
    this.covered = tokens.map((t) => ({ start: t.start, end: t.end }));
    this.bound = [];
    this.processTokens(line, tokens, lines, li);
    if (this.current === "unknown") return;
    const out = { issues: [] as ParseIssue[], notes: [] as ReadNote[] };
    nameUnread(line, this.covered, this.vocab.indicators, this.zoneIdOf(this.current), out);
    // each unread figure counts: four cells of "1" are one note "共4处", not one figure named back
    for (const i of out.issues) this.addIssue(i);
    for (const n of out.notes) this.note(n);
  }

  private processTokens(line: string, tokens: LineToken[], lines: string[], li: number): void {
    if (tokens.length === 0) {
      if (looksLikeSectionHeader(line) && this.nextLineStartsWithField(lines, li)) {
        const name = line.replace(/[：\s]+$/, "");
        this.addIssue(this.unknownZone(name, line));
        this.current = "unknown";
      }
      return;
    }
    // "都云 进出口3.2亿元": a near miss of a zone name before the first field
    const first = tokens[0]!;
    const lead = line.slice(0, first.start).replace(/[\s：:，,]+$/, "");
    if (first.kind === "indicator" && /^[\u3400-\u9FFF]{2,8}$/.test(lead)) {
      const near = nearestZones(lead, this.ctx.zones, this.ctx.prefectureCode);
      if (near.length > 0) {
        this.addIssue(this.unknownZone(lead, line));
        this.current = "unknown";
        return;
      }
    }
    let listScanned = -1;
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k]!;
      // a token inside a figure a binding rule already read ("…，同比增长12.5%") is not read twice
      if (this.bound.some((b) => tok.start >= b.start && tok.start < b.end)) continue;
      switch (tok.kind) {
        case "period":
          this.period(tok.mention);
          break;
        case "zone": {
          // "惠水、龙里 进出口3.2亿元": zones listed together before data — whose figure is it? Ask.
          const list = k > listScanned ? zoneList(line, tokens, k) : undefined;
          if (list) listScanned = list.last; // each run of zones is looked at once (linear in the tokens)
          if (list?.names) {
            this.addIssue(zoneListIssue(list.names, line, this.exampleZone()));
            this.current = "unknown";
            k = list.last;
            break;
          }
          this.current = this.sectionFor(tok.zone, tok.text);
          break;
        }
        case "unknown_zone":
          this.addIssue(this.unknownZone(tok.text, tok.text));
          this.current = "unknown";
          break;
        case "label": {
          if (tok.ignoreRest) {
            this.covered.push({ start: tok.start, end: line.length });
            return;
          }
          if (tok.text === "单位") {
            const unit = declaredMoneyUnit(line.slice(tok.end, nextBoundary(tokens, k, line.length)));
            if (unit) this.messageUnit = unit;
          }
          break;
        }
        case "indicator": {
          const ind = tok.indicator;
          if (ind.kind === "text") {
            if (this.openText(line, tok)) {
              this.covered.push({ start: tok.start, end: line.length });
              return;
            }
            break;
          }
          if (tok.derivedBase && !yoyBelongsToBase(line, tokens, k, tok.derivedBase)) break;
          if (isTargetMention(line, tokens, k)) break;
          this.readQuantity(line, tokens, k, ind);
          break;
        }
      }
    }
  }

  /** A text field: the rest of the line after "名称：" plus continuation lines until the next block. */
  private openText(line: string, tok: Extract<LineToken, { kind: "indicator" }>): boolean {
    const rest = line.slice(tok.end);
    const m = /^\s*(?:[(（][^)）]{0,10}[)）])?\s*(：)?/.exec(rest)!;
    const hasColon = m[1] !== undefined;
    if (!hasColon && !(tok.start === 0 && (rest.trim() === "" || /^\s/.test(rest)))) return false;
    const first = rest.slice(m[0].length).trim();
    this.text = {
      target: this.current,
      indicator: tok.indicator,
      lines: first ? [first] : [],
      raw: line,
    };
    return true;
  }

  private closeText(): void {
    const t = this.text;
    if (!t) return;
    this.text = undefined;
    const value = t.lines.join("\n").trim();
    if (value === "") return;
    this.addValue(t.target, t.indicator, value, t.raw);
  }

  private readQuantity(line: string, tokens: LineToken[], k: number, ind: IndicatorDef): void {
    const tok = tokens[k]!;
    const segEnd = nextBoundary(tokens, k, line.length);
    // period mentions inside the value ("进出口：一季度累计3.2亿元") are blanked so their numerals are not read
    let segment = line.slice(tok.end, segEnd);
    // tokens after this one up to the segment's end only (linear over the line)
    for (let n = k + 1; n < tokens.length && tokens[n]!.start < segEnd; n++) {
      const t = tokens[n]!;
      if (t.kind === "period" && t.start >= tok.end && t.end <= segEnd) {
        const a = t.start - tok.end;
        segment = `${segment.slice(0, a)}${" ".repeat(t.end - t.start)}${segment.slice(a + t.end - t.start)}`;
      }
    }
    const labelUnit = /^\s*[(（]\s*(?:单位\s*：?\s*)?([^)）]{1,6})[)）]/.exec(segment);
    const fieldUnit = labelUnit ? declaredMoneyUnit(labelUnit[1]!) : undefined;
    const offset = labelUnit ? labelUnit[0].length : 0;
    const value = segment.slice(offset);
    const colon = /^\s*：/.test(value);
    const afterColon = value.replace(/^[\s：]*/, "").trim();
    const q = findQuantity(ind.kind, value, fieldUnit ?? this.messageUnit);
    if (!q) {
      if (colon && afterColon !== "" && !/^[，,；。]/.test(afterColon)) {
        this.addIssue(valueIssue("bad_number", ind, afterColon, this.zoneIdOf(this.current)));
      }
      return;
    }
    const gap = value.slice(0, q.start);
    const gapText = gap.replace(/^[\s：]*/, "");
    if (gapText.includes("：") || gapText.trim().length > MAX_GAP) return; // the number belongs to something else
    if (this.current === "unknown") return;
    const valueEnd = tok.end + offset + q.end;
    this.covered.push({ start: tok.start, end: valueEnd });
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

  private addValue(
    target: Target,
    ind: IndicatorDef,
    value: string,
    raw: string,
    where?: string,
    parsed?: Decimal,
  ): void {
    if (target === "unknown") return;
    const problem = valueProblem(ind, value, parsed);
    const zoneId = this.zoneIdOf(target);
    const ref = zoneId ? this.ctx.references?.[zoneId]?.[ind.key] : undefined;
    const implausible = problem ? undefined : plausibilityProblem(ind, value, raw, ref, parsed);
    if (implausible) {
      this.addIssue({
        code: "implausible_value",
        field: ind.key,
        fieldLabel: ind.label,
        ...(zoneId ? { zoneId } : {}),
        read: where ? `${where}：${raw}` : raw,
        message: implausible,
      });
      return;
    }
    if (problem) {
      this.addIssue({
        code: "bad_number",
        field: ind.key,
        fieldLabel: ind.label,
        ...(zoneId ? { zoneId } : {}),
        read: raw,
        message: problem,
      });
      return;
    }
    const section =
      target ??
      (this.defaultZone ? this.sectionFor(this.defaultZone, this.defaultZone.shortName) : undefined);
    const values = section ? section.values : this.unassigned;
    const existing = values[ind.key];
    if (existing) {
      const label = section ? section.zoneText : "未写明经开区的数据";
      if (existing.value !== value)
        this.addIssue(duplicateIssue(ind, section?.zone.id, label, existing.raw, raw));
      // the same value again (a line or a table pasted twice, "培训４场，培训四场"): counted once, the repeat named
      else this.note(repeatNote(ind, label, section?.zone.id, existing, raw, where));
      return;
    }
    values[ind.key] = { indicatorKey: ind.key, value, raw, ...(where ? { where } : {}) };
  }

  private nextLineStartsWithField(lines: string[], li: number): boolean {
    for (let j = li + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next === "") continue;
      const tokens = tokenizeLine(next, this.vocab);
      return tokens[0]?.kind === "indicator" && tokens[0].start === 0;
    }
    return false;
  }

  private sectionFor(zone: ZoneDef, zoneText: string): SectionState {
    let s = this.sections.get(zone.id);
    if (!s) {
      s = { zone, zoneText, values: {} };
      this.sections.set(zone.id, s);
    }
    return s;
  }

  private zoneIdOf(target: Target): string | undefined {
    if (target === "unknown") return undefined;
    return target?.zone.id ?? this.defaultZone?.id;
  }

  /** A zone for examples: the sender's zone, else one of their prefecture, else the roster's first. */
  private exampleZoneDef(): ZoneDef | undefined {
    const zs = this.ctx.zones;
    return (
      zs.find((x) => x.id === this.ctx.defaultZoneId) ??
      zs.find((x) => x.prefectureCode === this.ctx.prefectureCode) ??
      zs[0]
    );
  }

  private exampleZone(): string {
    const z = this.exampleZoneDef();
    if (!z) return "惠水经开区";
    return z.aliases.find((a) => a.endsWith("经开区")) ?? z.name;
  }

  /** Unknown zone, with the nearest zones (the sender's prefecture first) as "您是否指 …？". */
  private unknownZone(name: string, read: string): ParseIssue {
    const near = nearestZones(name, this.ctx.zones, this.ctx.prefectureCode);
    const z = near[0] ?? this.exampleZoneDef();
    const example = z
      ? `${z.aliases.find((a) => a.endsWith("经开区")) ?? z.name} 或 ${z.shortName}`
      : "惠水经开区 或 惠水";
    const issue = unknownZoneIssue(name, read, example);
    if (near.length > 0) {
      issue.message = issue.message.replace(/（读到/, `${didYouMean(near.map((x) => x.shortName))}（读到`);
    }
    return issue;
  }

  private addIssue(issue: ParseIssue): void {
    this.found.issue(issue);
  }

  finish(normalised: string): ParsedReport {
    for (const sec of this.sections.values()) {
      const r = checkPartsAndTotals(sec.values, this.vocab.indicators, sec.zone.id, sec.zone.shortName);
      for (const i of r.issues) {
        this.addIssue(i);
        for (const k of Object.keys(sec.values)) if (k === i.field) delete sec.values[k];
      }
      for (const n of r.notes) this.note(n);
    }
    const sections: ParsedSection[] = [...this.sections.values()]
      .filter((s) => Object.keys(s.values).length > 0)
      .map((s) => ({ zoneId: s.zone.id, zoneText: s.zoneText, values: s.values }));
    const hasUnassigned = Object.keys(this.unassigned).length > 0;
    if (hasUnassigned) {
      const read = Object.values(this.unassigned)
        .map((v) => v.raw)
        .join("，");
      this.addIssue(missingZoneIssue(read, this.exampleZone()));
    }

    const report: ParsedReport = {
      periodSource: "none",
      sections,
      issues: this.found.issues,
      notes: this.found.notes,
    };
    const explicitYear = this.periods.find((p) => p.year !== undefined)?.year;
    const resolved = this.periods.map((p) => ({
      period: { year: p.year ?? explicitYear ?? this.ctx.year, quarter: p.quarter } as Period,
      text: p.text,
    }));
    const first = resolved[0];
    if (first) {
      report.period = first.period;
      report.periodSource = "explicit";
      report.periodText = first.text;
      const other = resolved.find(
        (r) => r.period.year !== first.period.year || r.period.quarter !== first.period.quarter,
      );
      if (other) this.addIssue(conflictingPeriodIssue(first.text, other.text));
    } else if (this.ctx.openPeriod) {
      report.period = this.ctx.openPeriod;
      report.periodSource = "implicit";
    }
    if (hasUnassigned) report.unassigned = this.unassigned;

    const anyValue = sections.length > 0 || hasUnassigned;
    const dataIssue = this.found.issues.some((i) => i.field !== "period");
    if (!anyValue && !dataIssue) this.found.push(noDataIssue(normalised, this.exampleZone()));
    return report;
  }
}

/** Between two zones of a list: separators and joining words only ("惠水、龙里", "惠水和龙里经开区"). */
const ZONE_LIST_GAP = /^[\s、，,/／&＆和与及跟]*$/;

/**
 * The run of zones from token k (a zone) on (`last`: its last token); `names` when at least two zones follow
 * one another with only separators between them and a field comes after the run: the figures cannot be given
 * to one zone.
 */
function zoneList(line: string, tokens: LineToken[], k: number): { names?: string[]; last: number } {
  let last = k;
  while (
    tokens[last + 1]?.kind === "zone" &&
    ZONE_LIST_GAP.test(line.slice(tokens[last]!.end, tokens[last + 1]!.start))
  )
    last++;
  let next = last + 1;
  while (tokens[next]?.kind === "period") next++; // "惠水和龙里经开区一季度进出口…"
  if (last === k || tokens[next]?.kind !== "indicator") return { last };
  const names = tokens.slice(k, last + 1).map((t) => t.text);
  return new Set(tokens.slice(k, last + 1).map((t) => (t.kind === "zone" ? t.zone.id : t.text))).size > 1
    ? { names, last }
    : { last };
}

function repeatNote(
  ind: IndicatorDef,
  zoneLabel: string,
  zoneId: string | undefined,
  first: ParsedValue,
  raw: string,
  where: string | undefined,
): ReadNote {
  const read = where ? `${where}：${raw}` : raw;
  const firstRead = first.where ? `${first.where}：${first.raw}` : first.raw;
  return {
    code: "repeated_value",
    read,
    ...(zoneId ? { zoneId } : {}),
    ...(where ? { where } : {}),
    message: `重复：${read}（「${zoneLabel}」的「${ind.label}」已读到${quote(firstRead)}，数值相同，只计一次）`,
  };
}

function pointsNote(ind: IndicatorDef, read: string, zoneId: string | undefined): ReadNote {
  return {
    code: "percentage_points",
    read,
    ...(zoneId ? { zoneId } : {}),
    message: `未保存：${read}（“个百分点”是增速的变化，不是「${ind.kind === "percent" ? ind.label : "同比增速"}」本身；如需报送请写增速，例如：同比增长12.5%）`,
  };
}
