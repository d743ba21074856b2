import type { IndicatorDef } from "../programme/programme.js";
import { sharedFigureList } from "./field-lists.js";
import { FigureReader } from "./figure-reader.js";
import { prefectureTotalIssue, prefectureTotalNote, zoneListIssue } from "./issue-messages.js";
import {
  isSignOff,
  isTargetMention,
  looksLikeSectionHeader,
  nextBoundary,
  startsBlock,
  yoyBelongsToBase,
  zoneList,
} from "./line-rules.js";
import { type LineToken, tokenizeLine } from "./line-tokens.js";
import { nearestZones } from "./near-miss.js";
import { normaliseText } from "./normalise-text.js";
import type { ParsedReport, ParseIssue, ReadNote } from "./parsed-report.js";
import { type PrefectureBreakdown, prefectureBreakdown } from "./prefecture-breakdown.js";
import { declaredMoneyUnit } from "./quantities.js";
import { readGrid } from "./read-table.js";
import type { Target } from "./report-state.js";
import { stripLineDecoration } from "./strip-line.js";
import { splitBlocks } from "./text-tables.js";
import { PREFECTURE_WIDE } from "./uncertain-figures.js";
import { nameUnread } from "./unread-numbers.js";
import { exampleZone, suffixTypoIssue, unknownZone } from "./zone-examples.js";

/**
 * After a bare zone name: 经开 or 经济开发 with a wrong last character, run into the next words ("碧江经开去进出口",
 * where "经开去" would read as a part of the field). Set off by a space or colon ("惠水经开去 进出口…") the
 * zone is plain and read (typos.json).
 */
const SUFFIX_TYPO = /^(?:经开|经济开发)(?!区)[\u4e00-\u9fff](?=[\u4e00-\u9fff])/;

/** Between a zone and a second zone inside brackets after it ("（含", "（原", "（包括"). */
const BRACKETED_AFTER_ZONE = /^\s*[（(]\s*(?:含|包括|包含|原|即|并入|合并|代|及|和)?\s*$/;

interface OpenText {
  target: Target;
  indicator: IndicatorDef;
  lines: string[];
  raw: string;
}

/**
 * The reader of one message or table: lines are tokenised (zones, fields, periods, labels), each field's
 * value read with the one number grammar (src/parsing/quantities.ts) and bound to the current zone; the
 * table reader hands its cells over through ClaimSink. Every number of a line is either read into a
 * value or named back (the invariant pass, unread-numbers.ts); every doubt is an issue.
 */
export class ReportParser extends FigureReader {
  private text: OpenText | undefined;

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
        this.addIssue(unknownZone(this.ctx, name, line));
        this.current = "unknown";
      }
      return;
    }
    // "都云 进出口3.2亿元": a near miss of a zone name before the first field
    const first = tokens[0]!;
    const lead = line.slice(0, first.start).replace(/[\s：:，,]+$/, "");
    // ("全市经开区 进出口…" is the prefecture's total, below, not a misspelt zone)
    if (first.kind === "indicator" && /^[\u3400-\u9FFF]{2,8}$/.test(lead) && !PREFECTURE_WIDE.test(lead)) {
      const near = nearestZones(lead, this.ctx.zones, this.ctx.prefectureCode);
      if (near.length > 0) {
        this.addIssue(unknownZone(this.ctx, lead, line));
        this.current = "unknown";
        return;
      }
    }
    // "全州合计：进出口5.38亿元", "我市经开区一季度进出口…": the prefecture's figures, no zone's — even for a
    // contact with one zone (whose zone takes values that name none)
    const firstField = tokens.findIndex((t) => t.kind === "indicator");
    if (
      firstField >= 0 &&
      !tokens.slice(0, firstField).some((t) => t.kind === "zone" || t.kind === "unknown_zone") &&
      PREFECTURE_WIDE.test(line.slice(0, tokens[firstField]!.start))
    ) {
      // "…合计完成进出口5.38亿元，其中湄潭0.56亿元，仁怀4.5亿元": the zones' parts are read, the total named back
      const quarter = this.periods[0]?.quarter ?? this.ctx.openPeriod?.quarter;
      const parts = prefectureBreakdown(
        line,
        tokens,
        firstField,
        this.vocab,
        this.ctx.prefectureCode,
        quarter,
      );
      if (parts) {
        this.readBreakdown(tokens.slice(0, firstField), parts);
        return;
      }
      this.addIssue(prefectureTotalIssue(line, exampleZone(this.ctx)));
      this.current = "unknown";
      return;
    }
    let listScanned = -1;
    let targetUntil = -1;
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k]!;
      // a token inside a figure a binding rule already read ("…，同比增长12.5%") is not read twice
      if (this.bound.some((b) => tok.start >= b.start && tok.start < b.end)) continue;
      switch (tok.kind) {
        case "period":
          this.period(tok.mention);
          break;
        case "zone": {
          // "湄潭经开区（含仁怀经开区）进出口…", "（原仁怀）": a zone in brackets after another — whose figure? Ask.
          const prev = tokens[k - 1];
          if (
            prev?.kind === "zone" &&
            prev.zone.id !== tok.zone.id && // "贵阳经开区（小河）": the same zone's other name
            BRACKETED_AFTER_ZONE.test(line.slice(prev.end, tok.start))
          ) {
            this.addIssue(zoneListIssue([prev.text, tok.text], line, exampleZone(this.ctx)));
            this.current = "unknown";
            break;
          }
          // "惠水、龙里 进出口3.2亿元": zones listed together before data — whose figure is it? Ask.
          const list = k > listScanned ? zoneList(line, tokens, k) : undefined;
          if (list) listScanned = list.last; // each run of zones is looked at once (linear in the tokens)
          if (list?.names) {
            this.addIssue(zoneListIssue(list.names, line, exampleZone(this.ctx)));
            this.current = "unknown";
            k = list.last;
            break;
          }
          // "碧江经开去进出口…": the zone's suffix misspelt — which zone is meant is asked, not guessed
          const typo = SUFFIX_TYPO.exec(line.slice(tok.end));
          if (typo) {
            this.addIssue(suffixTypoIssue(tok.zone, `${tok.text}${typo[0]}`));
            this.covered.push({ start: tok.start, end: tok.end + typo[0].length });
            this.current = "unknown";
            break;
          }
          this.current = this.sectionFor(tok.zone, tok.text);
          targetUntil = -1;
          break;
        }
        case "unknown_zone":
          this.addIssue(unknownZone(this.ctx, tok.text, tok.text));
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
          // "赴外招商、引进主体、人才培训都为0": one figure for every field of the list
          const list = sharedFigureList(line, tokens, k);
          if (list) {
            this.readSharedFigure(line, list, this.leadStart(tokens, k, true));
            k = list.last;
            break;
          }
          const ind = tok.indicator;
          if (ind.kind === "text") {
            if (this.openText(line, tok)) {
              this.covered.push({ start: tok.start, end: line.length });
              return;
            }
            break;
          }
          if (tok.derivedBase && !yoyBelongsToBase(line, tokens, k, tok.derivedBase)) break;
          // "全年目标进出口2亿元、包装招商项目10个": the fields after a target, up to the sentence's end, are targets too
          if (tok.start < targetUntil) {
            this.askAfterTarget(line, tokens, k, ind);
            break;
          }
          if (isTargetMention(line, tokens, k)) {
            const stop = line.slice(tok.end).search(/[。；;]/);
            targetUntil = stop < 0 ? line.length : tok.end + stop;
            break;
          }
          this.readQuantity(line, tokens, k, ind);
          break;
        }
      }
    }
  }

  /**
   * A prefecture total broken down by zone (prefecture-breakdown.ts): each part is its zone's figure of the
   * field, the total is named back. Figures on later lines that name no zone are not given to the
   * sender's own zone (they may be the prefecture's too): they are asked about.
   */
  private readBreakdown(before: LineToken[], b: PrefectureBreakdown): void {
    for (const t of before) if (t.kind === "period") this.period(t.mention);
    this.covered.push({ start: 0, end: b.totalEnd });
    this.note(prefectureTotalNote(b.totalRaw));
    for (const part of b.parts) {
      this.current = this.sectionFor(part.zone, part.zoneText);
      this.covered.push({ start: part.start, end: part.end });
      this.addValue(this.current, b.ind, part.value.toString(), part.raw, undefined, part.value);
    }
    this.current = undefined;
    this.noDefaultZone = true;
  }

  /**
   * A field after a target in the same sentence ("全年目标进出口12亿元，包装招商项目3个"): its figure may be a target
   * too — asked, not stored (found by the adversarial review of 2026-12-08).
   */
  private askAfterTarget(line: string, tokens: LineToken[], k: number, ind: IndicatorDef): void {
    const tok = tokens[k]!;
    const end = nextBoundary(tokens, k, line.length);
    const read = line.slice(tok.start, end).replace(/[\s，,、；;。]+$/, "");
    if (!/\d|[一二两三四五六七八九十]/.test(read.slice(tok.text.length)) || this.current === "unknown")
      return;
    this.ask(
      ind,
      line,
      tok.start,
      tok.start + read.length,
      "写在目标数之后，无法确定是目标还是已完成的数值，请把完成数单独写一句，例如：包装招商项目3个",
    );
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

  private nextLineStartsWithField(lines: string[], li: number): boolean {
    for (let j = li + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next === "") continue;
      const tokens = tokenizeLine(next, this.vocab);
      return tokens[0]?.kind === "indicator" && tokens[0].start === 0;
    }
    return false;
  }
}
