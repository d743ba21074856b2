import type { Quarter } from "../domain/period.js";
import { parseChineseNumber } from "./chinese-number.js";

/** A period named in the text. `quarter` is absent when the mention is malformed (`problem` says why). */
export interface PeriodMention {
  start: number;
  end: number;
  text: string;
  quarter?: Quarter;
  year?: number;
  /** Chinese reason, for a bad_period issue. */
  problem?: string;
}

const YEAR = String.raw`(?:(\d{4}|\d{2}|[零〇一二三四五六七八九]{4})\s*年\s*(?:度\s*)?)?`;
const MONTH = String.raw`(\d{1,2}|[一二三四五六七八九十]{1,3})`;

const PATTERNS: {
  /** A character every match holds: a line without it skips the pattern. */
  needs: RegExp;
  re: RegExp;
  read(m: RegExpExecArray): Omit<PeriodMention, "start" | "end" | "text"> | undefined;
}[] = [
  {
    // 2023年一季度, 第一季度, 前三季度, 1季度, 一季
    needs: /季/,
    re: new RegExp(`${YEAR}(前|第)?\\s*([一二两三四五六七八九1-9])\\s*个?\\s*季(?:度)?`, "gu"),
    read: (m) => quarterOf(m[1], toInt(m[3])),
  },
  {
    // Q1, 2023Q1, 2023-Q1, 2023年Q1
    needs: /[Qq]/,
    re: /(?:(\d{4})\s*(?:年|-)?\s*)?(?<![A-Za-z])[Qq]\s*([0-9])(?![0-9])/gu,
    read: (m) => quarterOf(m[1], toInt(m[2])),
  },
  {
    // 上半年 = Q2 cumulative; 全年 = Q4 (not "全年目标")
    needs: /半年|全年/,
    re: new RegExp(`${YEAR}(上半年|前半年|全年)(?!目标|任务|计划|预计|力争|的|完成率|要|将|指标|预期)`, "gu"),
    read: (m) => quarterOf(m[1], m[2] === "全年" ? 4 : 2),
  },
  {
    // 1-3月, 1月至3月, 一至六月, 2023年1-9月
    needs: /月/,
    re: new RegExp(`${YEAR}${MONTH}\\s*(?:月份?)?\\s*[-~至到]\\s*${MONTH}\\s*月份?`, "gu"),
    read: (m) => {
      const from = toInt(m[2]);
      const to = toInt(m[3]);
      if (from === 1 && to !== undefined && to % 3 === 0 && to >= 3 && to <= 12)
        return quarterOf(m[1], to / 3);
      return {
        problem: "月份区间应从1月累计到季度末（1-3月、1-6月、1-9月或1-12月）",
      };
    },
  },
  {
    // 截至3月底, 截止2023年6月末 (a date inside a quarter, e.g. 截至4月20日, is no period)
    needs: /截[至止]/,
    re: new RegExp(`截[至止]\\s*${YEAR}${MONTH}\\s*月(底|末|份)?`, "gu"),
    read: (m) => {
      const month = toInt(m[2]);
      if (month === undefined || month % 3 !== 0 || month > 12) return undefined;
      return quarterOf(m[1], month / 3);
    },
  },
];

/** Every pattern needs one of these characters; lines without them are skipped cheaply. */
const MAY_NAME_PERIOD = /[季Qq半全月]/;

/** Period expressions in a (normalised) line, in order, without overlaps. */
export function findPeriodMentions(line: string): PeriodMention[] {
  if (!MAY_NAME_PERIOD.test(line)) return [];
  const all: PeriodMention[] = [];
  for (const { needs, re, read } of PATTERNS) {
    if (!needs.test(line)) continue;
    // exec over the pattern itself (matchAll would copy the RegExp on every call); every match is non-empty
    re.lastIndex = 0;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      const r = read(m);
      if (!r) continue;
      all.push({ ...r, start: m.index, end: m.index + m[0].length, text: m[0] });
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PeriodMention[] = [];
  for (const p of all) {
    const last = out[out.length - 1];
    if (last && p.start < last.end) continue;
    out.push(p);
  }
  return out;
}

function quarterOf(
  yearText: string | undefined,
  q: number | undefined,
): Omit<PeriodMention, "start" | "end" | "text"> {
  const year = yearText === undefined ? undefined : toYear(yearText);
  if (yearText !== undefined && year === undefined) return { problem: `年份“${yearText}”无法识别` };
  if (q === undefined || q < 1 || q > 4) return { problem: "季度应为一至四季度" };
  return year === undefined ? { quarter: q as Quarter } : { quarter: q as Quarter, year };
}

function toYear(text: string): number | undefined {
  const n = toInt(text);
  if (n === undefined) return undefined;
  const year = text.length === 2 ? 2000 + n : n;
  return year >= 2000 && year <= 2100 ? year : undefined;
}

const ARABIC = /^[0-9]{1,4}$/;

function toInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (ARABIC.test(text)) return Number(text); // what the grammar reads for "2023", "3", "09"
  const d = parseChineseNumber(text);
  return d?.isInteger() ? Number(d.toString()) : undefined;
}
