import type { Period, Quarter } from "../domain/period.js";
import type { IndicatorDef, ZoneDef } from "../programme/programme.js";
import {
  badPeriodIssue,
  conflictingPeriodIssue,
  duplicateIssue,
  missingZoneIssue,
  noDataIssue,
  unknownFieldIssue,
  unknownZoneIssue,
  valueIssue,
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
import { normaliseText } from "./normalise-text.js";
import type { ParseContext, ParsedReport, ParsedSection, ParsedValue, ParseIssue } from "./parsed-report.js";
import { declaredMoneyUnit, findQuantity, type MoneyUnit } from "./quantities.js";
import { buildValueSchema } from "./report-schema.js";
import { stripLineDecoration } from "./strip-line.js";
import { type Vocabulary, vocabularyOf } from "./vocabulary.js";

/** Longer input is cut (a chat message is a few hundred characters; this bounds the work on junk). */
export const MAX_INPUT_LENGTH = 50_000;
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
  const p = new ReportParser(ctx);
  return p.parse(input.length > MAX_INPUT_LENGTH ? input.slice(0, MAX_INPUT_LENGTH) : input);
}

class ReportParser {
  private readonly vocab: Vocabulary;
  private readonly sections = new Map<string, SectionState>();
  private readonly unassigned: Record<string, ParsedValue> = {};
  private readonly issues: ParseIssue[] = [];
  private readonly issueKeys = new Set<string>();
  private readonly periods: GoodPeriod[] = [];
  private readonly defaultZone: ZoneDef | undefined;
  private current: Target;
  private messageUnit: MoneyUnit | undefined;
  private text: OpenText | undefined;

  constructor(private readonly ctx: ParseContext) {
    this.vocab = vocabularyOf(ctx);
    const defaultId = ctx.defaultZoneId ?? (ctx.zones.length === 1 ? ctx.zones[0]!.id : undefined);
    this.defaultZone = ctx.zones.find((z) => z.id === defaultId);
  }

  parse(input: string): ParsedReport {
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
    return this.finish(normalised);
  }

  private processLine(line: string, tokens: LineToken[], lines: string[], li: number): void {
    if (tokens.length === 0) {
      if (looksLikeSectionHeader(line) && this.nextLineStartsWithField(lines, li)) {
        const name = line.replace(/[：\s]+$/, "");
        this.addIssue(unknownZoneIssue(name, line, this.exampleZoneNames()));
        this.current = "unknown";
        return;
      }
      this.scanUnknownFields(line, tokens);
      return;
    }
    this.scanUnknownFields(line, tokens);
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k]!;
      switch (tok.kind) {
        case "period":
          if (tok.mention.problem) this.addIssue(badPeriodIssue(tok.text, tok.mention.problem));
          else this.periods.push({ quarter: tok.mention.quarter!, year: tok.mention.year, text: tok.text });
          break;
        case "zone":
          this.current = this.sectionFor(tok.zone, tok.text);
          break;
        case "unknown_zone":
          this.addIssue(unknownZoneIssue(tok.text, tok.text, this.exampleZoneNames()));
          this.current = "unknown";
          break;
        case "label": {
          if (tok.ignoreRest) return;
          if (tok.text === "单位") {
            const unit = declaredMoneyUnit(line.slice(tok.end, nextBoundary(tokens, k, line.length)));
            if (unit) this.messageUnit = unit;
          }
          break;
        }
        case "indicator": {
          const ind = tok.indicator;
          if (ind.kind === "text") {
            if (this.openText(line, tok)) return;
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
    for (const t of tokens) {
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
    if (!q.ok) {
      this.addIssue(valueIssue(q.reason, ind, q.text, this.zoneIdOf(this.current), q.detail));
      return;
    }
    const raw = line.slice(tok.start, tok.end + offset + q.end).trim();
    this.addValue(this.current, ind, q.value.toString(), raw);
  }

  private addValue(target: Target, ind: IndicatorDef, value: string, raw: string): void {
    if (target === "unknown") return;
    const checked = buildValueSchema(ind).safeParse(value);
    const zoneId = this.zoneIdOf(target);
    if (!checked.success) {
      this.addIssue({
        code: "bad_number",
        field: ind.key,
        fieldLabel: ind.label,
        ...(zoneId ? { zoneId } : {}),
        read: raw,
        message: checked.error.issues[0]?.message ?? `「${ind.label}」数值不合格`,
      });
      return;
    }
    const section =
      target ??
      (this.defaultZone ? this.sectionFor(this.defaultZone, this.defaultZone.shortName) : undefined);
    const values = section ? section.values : this.unassigned;
    const existing = values[ind.key];
    if (existing) {
      if (existing.value !== value) {
        const label = section ? section.zoneText : "未写明经开区的数据";
        this.addIssue(duplicateIssue(ind, section?.zone.id, label, existing.raw, raw));
      }
      return;
    }
    values[ind.key] = { indicatorKey: ind.key, value, raw };
  }

  /** "名称：数值" whose name is no indicator (a typo, or a figure the programme does not collect). */
  private scanUnknownFields(line: string, tokens: LineToken[]): void {
    if (this.current === "unknown") return;
    const re = /(?:^|[\s，,；。、])([\u3400-\u9FFF]{2,12})\s*(?:[(（][^)）]{0,8}[)）])?\s*：\s*/gu;
    for (const m of line.matchAll(re)) {
      const name = m[1]!;
      const nameStart = m.index + m[0].indexOf(name);
      const colonEnd = m.index + m[0].length;
      const known = tokens.some(
        (t) =>
          t.start < colonEnd &&
          t.end > nameStart &&
          (t.kind !== "indicator" || t.end >= nameStart + name.length),
      );
      if (known) continue;
      const after = line.slice(colonEnd);
      if (!/^(?:[-+]?\d|[零〇一二两三四五六七八九十百]+\s*[个次家场项亿万元%])/.test(after)) continue;
      if (/^\d[\d-]{6,}/.test(after) || /^\d{1,4}\s*[年月日号时点]/.test(after)) continue; // phone, date
      const read = `${name}：${after.split(/[，,；。\s]/)[0]}`;
      this.addIssue(unknownFieldIssue(name, read, this.zoneIdOf(this.current), this.vocab.indicators));
    }
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

  /** A zone name for examples: the sender's zone when known, else the roster's first. */
  private exampleZone(): string {
    const z = this.ctx.zones.find((x) => x.id === this.ctx.defaultZoneId) ?? this.ctx.zones[0];
    if (!z) return "惠水经开区";
    return z.aliases.find((a) => a.endsWith("经开区")) ?? z.name;
  }

  private exampleZoneNames(): string {
    const z = this.ctx.zones.find((x) => x.id === this.ctx.defaultZoneId) ?? this.ctx.zones[0];
    return z ? `${this.exampleZone()} 或 ${z.shortName}` : "惠水经开区 或 惠水";
  }

  private addIssue(issue: ParseIssue): void {
    const key = `${issue.code}|${issue.field ?? ""}|${issue.zoneId ?? ""}|${issue.read}`;
    if (this.issueKeys.has(key)) return;
    this.issueKeys.add(key);
    this.issues.push(issue);
  }

  private finish(normalised: string): ParsedReport {
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

    const report: ParsedReport = { periodSource: "none", sections, issues: this.issues };
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
    const dataIssue = this.issues.some((i) => i.field !== "period");
    if (!anyValue && !dataIssue) this.issues.push(noDataIssue(normalised, this.exampleZone()));
    return report;
  }
}
