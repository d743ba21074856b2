import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { parsePeriodKey, periodKey } from "../../../src/domain/period.js";
import { fileLimits } from "../../../src/files/file-limits.js";
import { readWorkbookFile } from "../../../src/files/submit-workbook.js";
import { parseReport } from "../../../src/parsing/parse-report.js";
import type { ParseContext, ParsedReport } from "../../../src/parsing/parsed-report.js";
import { valueReferences } from "../../../src/parsing/plausibility.js";
import { findContactByRef, loadProgramme } from "../../../src/programme/programme-repository.js";
import { NOT_UNDERSTOOD } from "../../../src/reports/report-dialogue.js";
import { authorisationProblem, valueProblems } from "../../../src/reports/validate-report.js";
import { clockFromOption } from "../../transports/console/now-option.js";
import { type CliContext, CliError } from "../cli-context.js";

/** Parse issues reported as warnings (chatter such as "填报人：张三"); every other issue is an error. */
const WARNINGS = new Set(["unknown_field"]);

export function register(program: Command, ctx: CliContext): void {
  program
    .command("parse")
    .description(
      "解析标准输入中的一条报送消息，输出规范化结果（JSON，不保存）/ parse a report message from stdin, print the normalised result as JSON without storing",
    )
    .option(
      "--period <period>",
      "默认报送期间，如 2023Q1（默认当前开放期间）/ period assumed when the text names none",
    )
    .option("--as <contact>", "按该联系人的权限检查经开区 / check zones against this contact's prefecture")
    .option("--now <iso>", "当前时刻（决定开放期间）/ the current instant (decides the open period)")
    .option(
      "--batch",
      '逐行读取 JSON（{"id"?,"text","period"?,"as"?,"now"?}），每行输出一行结果 / read JSON lines, print one JSON line each',
    )
    .option(
      "--file <file>",
      "读取报送文件（.xlsx/.xls/.csv）代替标准输入，按机器人读取文件的方式输出 / read a report workbook instead of stdin, as the bot would",
    )
    .action(async (opts: ParseOptions & { batch?: boolean; file?: string }) => {
      if (opts.batch) return runBatch(ctx, opts);
      if (opts.file !== undefined) {
        const printed = await parseFile(ctx, opts, opts.file);
        ctx.json(printed);
        const n = printed.errors.length;
        if (n > 0) throw new CliError(`解析发现 ${n} 个错误（见 errors）/ ${n} error(s)`, 1);
        return;
      }
      const text = await ctx.readStdin();
      const printed = await parseOne(ctx, new Lookups(ctx), opts, text);
      ctx.json(printed);
      const n = printed.errors.length;
      if (n > 0) throw new CliError(`解析发现 ${n} 个错误（见 errors）/ ${n} error(s)`, 1);
    });
}

interface ParseOptions {
  period?: string;
  as?: string;
  now?: string;
}

/** Programmes and contacts looked up once per CLI run (a batch names the same few again and again). */
class Lookups {
  private readonly programmes = new Map<number, ReturnType<typeof loadProgramme>>();
  private readonly contacts = new Map<string, ReturnType<typeof findContactByRef>>();
  constructor(private readonly ctx: CliContext) {}
  async programme(year: number) {
    const db = (await this.ctx.store()).db;
    if (!this.programmes.has(year)) this.programmes.set(year, loadProgramme(db, year));
    return this.programmes.get(year)!;
  }
  async contact(id: string) {
    const db = (await this.ctx.store()).db;
    if (!this.contacts.has(id)) this.contacts.set(id, findContactByRef(db, id));
    return this.contacts.get(id)!;
  }
}

/** The parse context of the options: period (or the open one), programme, the contact's prefecture. */
async function parseContextOf(ctx: CliContext, lookups: Lookups, opts: ParseOptions) {
  const clock = clockFromOption(opts.now, ctx.clock);
  const period = opts.period === undefined ? openPeriodAt(clock.now()) : parsePeriodKey(opts.period);
  if (!period) throw new CliError(`--period: 需要如 2023Q1 的期间（读取到“${opts.period}”）`, 2);
  const programme = await lookups.programme(period.year);
  if (!programme) throw new CliError(`${period.year}年的培育计划未设置（先运行 kaiqu seed 或导入名册）`);
  const contact = opts.as === undefined ? undefined : await lookups.contact(opts.as);
  if (opts.as !== undefined && !contact) throw new CliError(`--as: 联系人“${opts.as}”不存在`);
  const pc: ParseContext = {
    zones: programme.zones,
    indicators: programme.indicators,
    year: period.year,
    openPeriod: period,
    references: valueReferences(programme.targets),
    ...(contact?.prefectureCode ? { prefectureCode: contact.prefectureCode } : {}),
  };
  return { programme, contact, period, pc };
}

/**
 * `kaiqu parse` for one message: the object the command prints. A user error in the options (period,
 * contact, time) is a CliError, as in the single command.
 */
async function parseOne(
  ctx: CliContext,
  lookups: Lookups,
  opts: ParseOptions,
  text: string,
  read: (pc: ParseContext) => ParsedReport = (pc) => parseReport(text, pc),
) {
  const { programme, contact, period, pc } = await parseContextOf(ctx, lookups, opts);
  const parsed = read(pc);
  const errors: { code: string; field?: string; zoneId?: string; read: string; message: string }[] = [];
  const warnings: typeof errors = [];
  for (const i of parsed.issues) {
    const item = {
      code: i.code,
      ...(i.field ? { field: i.field } : {}),
      ...(i.zoneId ? { zoneId: i.zoneId } : {}),
      read: i.read,
      message: i.message,
    };
    (WARNINGS.has(i.code) && !i.suggestion ? warnings : errors).push(item);
  }
  const zones = parsed.sections.map((s) => {
    const zone = programme.zones.find((z) => z.id === s.zoneId)!;
    const sent = Object.fromEntries(
      Object.entries(s.values).map(([k, v]) => [k, { value: v.value, raw: v.raw }]),
    );
    for (const message of valueProblems(zone, sent, programme)) {
      errors.push({ code: "invalid_value", zoneId: zone.id, read: "", message });
    }
    const auth = contact ? authorisationProblem(contact, zone, s.zoneText, programme) : undefined;
    if (auth)
      errors.push({
        code: "not_authorised",
        field: "zone",
        zoneId: zone.id,
        read: s.zoneText,
        message: auth,
      });
    return {
      zoneId: zone.id,
      zoneName: zone.name,
      zoneText: s.zoneText,
      values: Object.fromEntries(
        programme.indicators
          .filter((i) => s.values[i.key] !== undefined)
          .map((i) => [
            i.key,
            {
              label: i.label,
              value: s.values[i.key]!.value,
              unit: i.unit,
              raw: s.values[i.key]!.raw,
              ...(s.values[i.key]!.where ? { where: s.values[i.key]!.where } : {}),
              ...(s.values[i.key]!.derived ? { derived: true } : {}),
            },
          ]),
      ),
    };
  });
  if (zones.length === 0 && errors.length === 0) {
    errors.push({ code: "no_data", read: text.trim().slice(0, 80), message: NOT_UNDERSTOOD });
  }
  return {
    period: parsed.period ? periodKey(parsed.period) : periodKey(period),
    periodSource: parsed.period ? parsed.periodSource : "implicit",
    ...(parsed.periodText ? { periodText: parsed.periodText } : {}),
    zones,
    errors,
    warnings,
    // every number not read into a value is named back here (the parser's invariant)
    notes: parsed.notes.map((n) => ({
      code: n.code,
      ...(n.zoneId ? { zoneId: n.zoneId } : {}),
      ...(n.where ? { where: n.where } : {}),
      read: n.read,
      message: n.message,
    })),
  };
}

/**
 * `kaiqu parse --file`: what the bot would read from the file — the same bounds and refusals
 * (readWorkbookFile), the same table reader and context as a sent workbook; printed like a message's
 * parse, plus the sheet read and whether it is the bot's own form. A refused file is one error.
 */
async function parseFile(ctx: CliContext, opts: ParseOptions, file: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError(`--file: 无法读取文件“${file}” / cannot read the file`, 2);
  }
  const name = path.basename(file);
  const { pc } = await parseContextOf(ctx, new Lookups(ctx), opts);
  const o = await readWorkbookFile({ bytes, name }, fileLimits(ctx.config.FILE_MAX_BYTES), pc);
  const printed = await parseOne(ctx, new Lookups(ctx), opts, `[文件] ${name}`, () =>
    o.ok ? o.reading.parsed : refusedReport(o.message),
  );
  return {
    file: name,
    ...(o.ok ? { sheet: o.reading.sheet, form: o.reading.mark !== undefined } : {}),
    ...printed,
    errors: o.ok ? printed.errors : [{ code: "file_refused", read: name, message: o.message }],
  };
}

const refusedReport = (message: string): ParsedReport => ({
  periodSource: "none",
  sections: [],
  notes: [],
  issues: [{ code: "no_data", read: "", message }],
});

/** One input line of `kaiqu parse --batch`; the options override the command's own for that line. */
const BATCH_KEYS = ["id", "text", "period", "as", "now"] as const;

type BatchLine = { id?: string | number; text: string } & ParseOptions;

/** Reads one batch line, or says in Chinese what is wrong with it. */
function readBatchLine(line: string): BatchLine | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return `不是有效的 JSON（示例：{"id":"m1","text":"惠水经开区 进出口3.2亿元"}）`;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "应为 JSON 对象，含 text 字段";
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !(BATCH_KEYS as readonly string[]).includes(k));
  if (extra.length > 0) return `不认识的字段：${extra.join("、")}（可用：${BATCH_KEYS.join("、")}）`;
  if (typeof o.text !== "string") return "text 应为字符串（消息原文）";
  if (o.id !== undefined && typeof o.id !== "string" && typeof o.id !== "number")
    return "id 应为字符串或数字";
  for (const k of ["period", "as", "now"] as const)
    if (o[k] !== undefined && typeof o[k] !== "string") return `${k} 应为字符串`;
  return o as unknown as BatchLine;
}

const oneLine = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

/**
 * `kaiqu parse --batch`: one JSON line out per non-blank JSON line in, in order. A parsed line holds
 * exactly the object `kaiqu parse` prints for that text (plus its id), whatever the parse found; a line
 * that cannot be parsed at all (bad JSON, bad field, unknown contact or period) gets
 * `{"id"?, "line", "error": {"code", "message"}}` and the run goes on. Exit 0 when every line was
 * processed (answered on its line), whatever the parse results and however many lines were malformed — the
 * count of those goes to stderr; a non-zero exit is left to failures of the run itself (no database, …).
 */
async function runBatch(ctx: CliContext, opts: ParseOptions): Promise<void> {
  const lookups = new Lookups(ctx);
  const input = createInterface({ input: ctx.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let failed = 0;
  for await (const raw of input) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.trim() === "") continue;
    const item = readBatchLine(line);
    if (typeof item === "string") {
      failed++;
      ctx.out(oneLine({ line: lineNo, error: { code: "bad_input", message: `第${lineNo}行${item}` } }));
      continue;
    }
    const id = item.id === undefined ? {} : { id: item.id };
    const lineOpts: ParseOptions = {
      ...opts,
      ...(item.period !== undefined ? { period: item.period } : {}),
      ...(item.as !== undefined ? { as: item.as } : {}),
      ...(item.now !== undefined ? { now: item.now } : {}),
    };
    try {
      ctx.out(oneLine({ ...id, ...(await parseOne(ctx, lookups, lineOpts, item.text)) }));
    } catch (e) {
      // a CliError is the user's option (period, contact, time); anything else is a fault on this text,
      // reported on its line so that one bad message does not hide the rest of the batch
      failed++;
      const code = e instanceof CliError ? "bad_option" : "parse_failed";
      const message = e instanceof Error ? e.message : String(e);
      ctx.out(oneLine({ ...id, line: lineNo, error: { code, message } }));
    }
  }
  if (failed > 0) ctx.stderr.write(`${failed} 行无法解析（见各行 error）/ ${failed} line(s) not parsed\n`);
}
