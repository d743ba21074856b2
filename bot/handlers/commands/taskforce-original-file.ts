import path from "node:path";
import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { CHAT_PERIOD_PATTERN, parseChatPeriod } from "../../../src/circulars/chat-period.js";
import { periodShortLabel } from "../../../src/domain/period.js";
import { latestRevisionFile } from "../../../src/files/revision-file.js";
import { loadProgramme } from "../../../src/programme/programme-repository.js";
import { setOutcome } from "../../inbound/outcome.js";
import { commandText } from "../dialogue-reply.js";
import type { Handler } from "../handler.js";
import { ensureTaskForce } from "./taskforce-circular.js";

/** 原件 惠水 2023Q2 (the period may be left out: the open quarter). */
const ORIGINAL = new RegExp(`^原件\\s*(\\S+?)\\s*(${CHAT_PERIOD_PATTERN})?$`);

/**
 * `原件 <经开区> [期间]` for the task force: sends back the file the zone's latest revision of that
 * period was read from (the stored copy, checked against its hash), or says there is none.
 */
const originalFile: Handler = {
  name: "taskforce-original-file",
  priority: 15,
  matches: (ctx) => ctx.event.kind === "text" && ORIGINAL.test(commandText(ctx)),
  run: async (ctx) => {
    if (!(await ensureTaskForce(ctx))) return;
    const m = ORIGINAL.exec(commandText(ctx))!;
    const now = ctx.app.clock.now();
    const period = m[2] ? parseChatPeriod(m[2], now) : openPeriodAt(now);
    setOutcome(ctx, "info");
    if (!period) {
      await ctx.reply(`季度“${m[2]}”无法识别。示例：原件 惠水 2023Q2`);
      return;
    }
    const db = ctx.app.store.db;
    const programme = await loadProgramme(db, period.year);
    const name = m[1]!;
    const zone = programme?.zones.find((z) => [z.shortName, z.name, z.id, ...z.aliases].includes(name));
    if (!zone) {
      await ctx.reply(`${period.year}年名册中没有经开区“${name}”。示例：原件 惠水 2023Q2`);
      return;
    }
    const label = `${zone.shortName}${periodShortLabel(period)}`;
    const dir = ctx.app.config.FILE_STORE_DIR;
    const f = await latestRevisionFile(db, dir, zone.id, period);
    if (f.kind === "no_revision") {
      await ctx.reply(`${label}尚无报送，没有原件。`);
      return;
    }
    if (f.kind === "not_a_file") {
      await ctx.reply(`${label}最新的第${f.revisionNo}版是文字报送，没有原件文件。`);
      return;
    }
    if (f.kind === "missing") {
      setOutcome(ctx, "refused");
      await ctx.reply(`${label}第${f.revisionNo}版的原件在机器人的文件库中缺失或已被改动，请联系管理员。`);
      return;
    }
    await ctx.reply({
      text: `${label}第${f.revisionNo}版原件「${f.name}」见下一条消息。`,
      file: { path: path.resolve(dir, f.storedPath), filename: f.name },
    });
  },
};

export const handlers: Handler[] = [originalFile];
