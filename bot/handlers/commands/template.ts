import { openPeriodAt } from "../../../src/calendar/open-period.js";
import { zonesOfPrefecture } from "../../../src/programme/programme.js";
import { templateMessage } from "../../../src/reports/report-template.js";
import { loadReportingContext, noProgrammeMessage } from "../../../src/reports/reporting-context.js";
import { commandText } from "../dialogue-reply.js";
import { answer, type Handler } from "../handler.js";

const TEMPLATE = /^(?:填报|报送)?模板(?:\s+(.+))?$/;

/** 模板 / 填报模板 [经开区…]: the fill-in template for the sender's zones and the open quarter. */
export const template: Handler = {
  name: "template",
  matches: (ctx) => ctx.event.kind === "text" && TEMPLATE.test(commandText(ctx)),
  run: async (ctx) => {
    const db = ctx.app.store.db;
    const now = ctx.app.clock.now();
    const rc = await loadReportingContext(db, now);
    if (!rc) return answer("info", noProgrammeMessage(openPeriodAt(now)));
    const p = rc.programme;
    const names = (TEMPLATE.exec(commandText(ctx))?.[1] ?? "").split(/[\s,，、]+/).filter(Boolean);
    const own = ctx.contact.prefectureCode ? zonesOfPrefecture(p, ctx.contact.prefectureCode) : [];
    const allowed = ctx.contact.role === "task_force" ? p.zones.filter((z) => z.groups.length > 0) : own;
    let zones = own;
    if (names.length > 0) {
      const pick = (n: string) =>
        allowed.find((z) => [z.name, z.shortName, ...z.aliases].includes(n) || `${z.shortName}经开区` === n);
      const unknown = names.filter((n) => !pick(n));
      if (unknown.length > 0) {
        return answer(
          "refused",
          `经开区：读取到“${unknown.join("、")}”，不是您可以报送的经开区。可选：${allowed.map((z) => z.shortName).join("、") || "（无）"}。示例：模板 ${allowed[0]?.shortName ?? "惠水"}`,
        );
      }
      zones = names.map((n) => pick(n)!);
    }
    if (zones.length === 0) {
      return answer(
        "info",
        ctx.contact.role === "task_force"
          ? "请指定经开区，例如：模板 惠水 龙里"
          : "名册中没有您所在市州的培育经开区，请联系省专班核对名册。",
      );
    }
    return answer("info", await templateMessage(db, p, rc.open, zones));
  },
};
