import path from "node:path";
import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { CHAT_PERIOD_PATTERN, parseChatPeriod } from "../../../src/circulars/chat-period.js";
import { periodShortLabel } from "../../../src/domain/period.js";
import { latestRevisionFile } from "../../../src/files/revision-file.js";
import { loadProgramme } from "../../../src/programme/programme-repository.js";
import { commandText } from "../dialogue-reply.js";
import { answer, type Handler } from "../handler.js";

/** 原件 惠水 2023Q2 (the period may be left out: the open quarter). */
const ORIGINAL = new RegExp(`^原件\\s*(\\S+?)\\s*(${CHAT_PERIOD_PATTERN})?$`);

/**
 * `原件 <经开区> [期间]` for the task force: sends back the file the zone's latest revision of that
 * period was read from (the stored copy, checked against its hash), or says there is none.
 */
export const originalFile: Handler = {
  name: "taskforce-original-file",
  matches: (ctx) => ctx.event.kind === "text" && ORIGINAL.test(commandText(ctx)),
  run: async (ctx) => {
    const m = ORIGINAL.exec(commandText(ctx))!;
    const now = ctx.app.clock.now();
    const period = m[2] ? parseChatPeriod(m[2], now) : openPeriodAt(now);
    if (!period) {
      return answer("info", `季度“${m[2]}”无法识别。示例：原件 惠水 2023Q2`);
    }
    const db = ctx.app.store.db;
    const programme = await loadProgramme(db, period.year);
    const name = m[1]!;
    const zone = programme?.zones.find((z) => [z.shortName, z.name, z.id, ...z.aliases].includes(name));
    if (!zone) {
      return answer("info", `${period.year}年名册中没有经开区“${name}”。示例：原件 惠水 2023Q2`);
    }
    const label = `${zone.shortName}${periodShortLabel(period)}`;
    const dir = ctx.app.config.FILE_STORE_DIR;
    const f = await latestRevisionFile(db, dir, zone.id, period);
    if (f.kind === "no_revision") {
      return answer("info", `${label}尚无报送，没有原件。`);
    }
    if (f.kind === "not_a_file") {
      return answer("info", `${label}最新的第${f.revisionNo}版是文字报送，没有原件文件。`);
    }
    if (f.kind === "missing") {
      return answer(
        "refused",
        `${label}第${f.revisionNo}版的原件在机器人的文件库中缺失或已被改动，请联系管理员。`,
      );
    }
    return answer("info", {
      text: `${label}第${f.revisionNo}版原件「${f.name}」见下一条消息。`,
      file: { path: path.resolve(dir, f.storedPath), filename: f.name },
    });
  },
};
