import type { Command } from "commander";
import { describeDiff, diffFigures, figuresHash } from "../../../src/assessment/figures-hash.js";
import { circularDeliveryStatus } from "../../../src/circulars/circular-delivery.js";
import { CircularError } from "../../../src/circulars/circular-error.js";
import {
  circularHeadline,
  describeChanged,
  describeCircular,
  describeSend,
} from "../../../src/circulars/circular-messages.js";
import { type CircularRecord, listCirculars } from "../../../src/circulars/circular-repository.js";
import {
  approveCircular,
  assessNow,
  circularBaseDir,
  circularDir,
  draftCircular,
  getCircular,
  periodOf,
  renderAndWrite,
  requireTaskForce,
} from "../../../src/circulars/circular-service.js";
import { circularDeliveries, sendCircular } from "../../../src/circulars/send-circular.js";
import { parsePeriodKey } from "../../../src/domain/period.js";
import { parseNow } from "../../transports/console/now-option.js";
import { type CliContext, CliError } from "../cli-context.js";
import { parseYearOption } from "../programme-year.js";

function parseId(text: string): number {
  const t = text.trim().replace(/^#/, "");
  if (!/^\d{1,9}$/.test(t) || Number(t) === 0) {
    throw new CliError(`通报编号应为正整数（读到 "${text}"），例如 kaiqu circular show 3`, 2);
  }
  return Number(t);
}

/** Runs a service call, turning its Chinese refusals into CLI errors (stderr, exit 1). */
async function service<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof CircularError) throw new CliError(e.message, 1);
    throw e;
  }
}

function summaryJson(c: CircularRecord) {
  return {
    id: c.id,
    year: c.year,
    quarter: c.quarter,
    number: c.number,
    docNumber: c.docNumber,
    status: c.status,
    isSample: c.model.isSample,
    figuresHash: c.figuresHash,
    builtAt: c.builtAt.toISOString(),
    createdBy: c.createdBy,
    approvedBy: c.approvedBy,
    approvedAt: c.approvedAt?.toISOString() ?? null,
    approvedHash: c.approvedHash,
    sentAt: c.sentAt?.toISOString() ?? null,
    totals: c.model.totals,
  };
}

const BASE_DIR_FLAG = "--base-dir <dir>";
const BASE_DIR_HELP = "通报文件根目录，发送的文件从这里读取（默认 CIRCULAR_OUT_DIR，即 out/circulars）";

function baseDirOf(opts: { baseDir?: string }): { baseDir?: string } {
  return opts.baseDir ? { baseDir: opts.baseDir } : {};
}

/** Exit code when approval or sending stopped because the figures changed. */
const FIGURES_CHANGED_EXIT = 3;

export function register(program: Command, ctx: CliContext): void {
  const cmd = program.command("circular").description("季度通报：起草、批准、发布 / quarterly circulars");

  cmd
    .command("draft")
    .description("按当前已确认的报送数据起草通报并生成 markdown、xlsx、docx / draft a circular")
    .requiredOption("--period <period>", "季度，如 2023Q2")
    .option("--out <dir>", "输出目录（默认 CIRCULAR_OUT_DIR/<季度>-<编号>/）")
    .option("--as <contact>", "起草人（省专班联系人编号或企业微信账号）")
    .option("--now <iso>", "数据截至的时刻（默认现在），决定文中日期 / the instant the figures are taken at")
    .option("--json", "JSON output: the stored circular and the model with every figure")
    .action(async (opts: { period: string; out?: string; as?: string; now?: string; json?: boolean }) => {
      const period = parsePeriodKey(opts.period);
      if (!period)
        throw new CliError(`--period 格式不对（读到 "${opts.period}"），应为 年份+季度，例如 2023Q2`, 2);
      const app = await ctx.app();
      const createdBy = opts.as
        ? (await service(() => requireTaskForce(app, opts.as!, "起草通报"))).id
        : "cli";
      const at = instantOf(opts.now, ctx.clock);
      const r = await service(() =>
        draftCircular(app, period, { createdBy, at, ...(opts.out ? { outDir: opts.out } : {}) }),
      );
      if (opts.json)
        return ctx.json({ circular: summaryJson(r.circular), files: r.files, model: r.circular.model });
      ctx.out(`已起草${circularHeadline(r.circular)}，状态：草稿`);
      ctx.out(`文件目录：${r.files.dir}`);
      ctx.out(
        `  circular.md（群聊文字，机器人 ${r.files.robotParts.length} 条 / 应用 ${r.files.appParts.length} 条）`,
      );
      ctx.out("  circular.xlsx  circular.docx  circular.txt");
      ctx.out(`批准：npm run kaiqu -- circular approve ${r.circular.id} --as <省专班联系人>`);
    });

  cmd
    .command("list")
    .description("列出通报 / list circulars")
    .option("--year <year>", "只列该年度")
    .option("--json", "JSON output")
    .action(async (opts: { year?: string; json?: boolean }) => {
      const year = opts.year === undefined ? undefined : parseYearOption(opts.year);
      const app = await ctx.app();
      const rows = await listCirculars(app.store.db, year === undefined ? {} : { year });
      if (opts.json) return ctx.json(rows.map(summaryJson));
      if (rows.length === 0)
        return ctx.out("还没有通报。起草：npm run kaiqu -- circular draft --period 2023Q2");
      for (const c of rows)
        ctx.out(describeCircular(c, await circularDeliveryStatus(app.store.db, c.id)).split("\n")[0]!);
    });

  cmd
    .command("show")
    .description("查看一份通报：状态、数据是否已变化、各群发送记录 / show a circular")
    .argument("<id>", "通报编号")
    .option("--markdown", "同时打印群聊文字（并重新生成文件）")
    .option(BASE_DIR_FLAG, BASE_DIR_HELP)
    .option(
      "--now <iso>",
      "按该时刻的已确认数据比较（默认现在）/ compare with the figures as of this instant",
    )
    .option("--json", "JSON output (includes the model)")
    .action(
      async (
        idText: string,
        opts: { json?: boolean; markdown?: boolean; baseDir?: string; now?: string },
      ) => {
        const app = await ctx.app();
        const c = await service(() => getCircular(app, parseId(idText)));
        const at = instantOf(opts.now, ctx.clock);
        const current = await service(() => assessNow(app, periodOf(c), at));
        const bound = c.approvedHash ?? c.figuresHash;
        const changed = c.status !== "sent" && figuresHash(current) !== bound;
        const changes = changed ? describeDiff(diffFigures(c.model, current)) : [];
        const deliveries = await circularDeliveries(app, c.id);
        const delivery = await circularDeliveryStatus(app.store.db, c.id);
        if (opts.json) {
          return ctx.json({
            circular: summaryJson(c),
            figuresChangedSince: changed ? changes : [],
            ...(delivery
              ? { delivery: { state: delivery.state, label: delivery.label, groups: delivery.groups } }
              : {}),
            deliveries,
            model: c.model,
          });
        }
        ctx.out(describeCircular(c, delivery));
        if (changed) {
          ctx.out(`注意：当前已确认数据与通报不一致，批准或发布时需重新批准：`);
          for (const x of changes) ctx.out(`  - ${x}`);
        }
        if (deliveries.length > 0) {
          ctx.out("发送记录：");
          for (const d of deliveries) {
            ctx.out(
              `  ${d.groupId} ${d.part} ${d.channel}:${d.recipient} ${d.status}${d.lastError ? ` (${d.lastError})` : ""}`,
            );
          }
        }
        if (opts.markdown) {
          const { rendered } = await renderAndWrite(
            app,
            c,
            circularDir(c, circularBaseDir(app, baseDirOf(opts))),
          );
          ctx.out(rendered.text.markdown);
        }
      },
    );

  cmd
    .command("approve")
    .description("批准通报（仅省专班成员）/ approve a draft (task force only)")
    .argument("<id>", "通报编号")
    .requiredOption("--as <contact>", "批准人（省专班联系人编号或企业微信账号）")
    .option(BASE_DIR_FLAG, BASE_DIR_HELP)
    .option("--json", "JSON output")
    .action(async (idText: string, opts: { as: string; json?: boolean; baseDir?: string }) => {
      const app = await ctx.app();
      const r = await service(() => approveCircular(app, parseId(idText), opts.as, baseDirOf(opts)));
      if (opts.json)
        ctx.json({
          result: r.kind,
          circular: summaryJson(r.circular),
          ...(r.kind === "changed" ? { reasons: r.reasons } : {}),
        });
      if (r.kind === "changed") throw new CliError(describeChanged(r, "批准"), FIGURES_CHANGED_EXIT);
      if (opts.json) return;
      if (r.kind === "already") return ctx.out(`${circularHeadline(r.circular)}已批准，无需重复批准。`);
      ctx.out(
        `${circularHeadline(r.circular)}已由${r.approver.name}批准。发布：npm run kaiqu -- circular send ${r.circular.id}`,
      );
    });

  cmd
    .command("send")
    .description(
      "把已批准的通报发到所有群聊（经发送队列，重复执行不会重复发送；再次执行会重发发送失败的消息）/ send an approved circular",
    )
    .argument("<id>", "通报编号")
    .option("--group <id>", "只重发该群聊（已发布的通报）/ re-send to this group only")
    .option(BASE_DIR_FLAG, BASE_DIR_HELP)
    .option("--json", "JSON output")
    .action(async (idText: string, opts: { json?: boolean; baseDir?: string; group?: string }) => {
      const app = await ctx.app();
      const r = await service(() =>
        sendCircular(app, parseId(idText), {
          ...baseDirOf(opts),
          ...(opts.group ? { groupId: opts.group } : {}),
        }),
      );
      if (opts.json) {
        ctx.json(
          r.kind === "sent"
            ? {
                result: "sent",
                firstTime: r.firstTime,
                circular: summaryJson(r.circular),
                deliveries: r.deliveries,
                unconfigured: r.unconfigured,
              }
            : { result: "changed", circular: summaryJson(r.circular), reasons: r.reasons },
        );
      }
      if (r.kind === "changed") throw new CliError(describeChanged(r, "发布"), FIGURES_CHANGED_EXIT);
      if (!opts.json) ctx.out(describeSend(r));
    });
}

/**
 * The instant a one-shot command works at: exactly `--now` when given (not a clock started there,
 * which would have moved on by the time it is read), else the CLI's clock.
 */
function instantOf(now: string | undefined, clock: { now(): Date }): Date {
  return now === undefined ? clock.now() : parseNow(now);
}
