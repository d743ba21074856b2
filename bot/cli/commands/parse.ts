import type { Command } from "commander";
import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { parsePeriodKey, periodKey } from "../../../src/domain/period.js";
import { parseReport } from "../../../src/parsing/parse-report.js";
import { findContact, loadProgramme } from "../../../src/programme/programme-repository.js";
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
    .action(async (opts: { period?: string; as?: string; now?: string }) => {
      const clock = clockFromOption(opts.now, ctx.clock);
      const period = opts.period === undefined ? openPeriodAt(clock.now()) : parsePeriodKey(opts.period);
      if (!period) throw new CliError(`--period: 需要如 2023Q1 的期间（读取到“${opts.period}”）`, 2);
      const db = (await ctx.store()).db;
      const programme = await loadProgramme(db, period.year);
      if (!programme) throw new CliError(`${period.year}年的培育计划未设置（先运行 kaiqu seed 或导入名册）`);
      const contact = opts.as === undefined ? undefined : await findContact(db, opts.as);
      if (opts.as !== undefined && !contact) throw new CliError(`--as: 联系人“${opts.as}”不存在`);
      const text = await ctx.readStdin();
      const parsed = parseReport(text, {
        zones: programme.zones,
        indicators: programme.indicators,
        year: period.year,
        openPeriod: period,
        ...(contact?.prefectureCode ? { prefectureCode: contact.prefectureCode } : {}),
      });
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
      ctx.json({
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
      });
      if (errors.length > 0)
        throw new CliError(`解析发现 ${errors.length} 个错误（见 errors）/ ${errors.length} error(s)`, 1);
    });
}
