import type { Db, Tx } from "../db/database.js";
import { type Period, periodShortLabel } from "../domain/period.js";
import { formatReportTemplate } from "../parsing/format-template.js";
import type { Programme, ZoneDef } from "../programme/programme.js";
import { listLatestConfirmed } from "./confirmed-reports.js";

/**
 * The fill-in template for the zones and the open quarter. A zone that already has a confirmed
 * report for the quarter is pre-filled with it (so a correction only changes what differs).
 */
export async function templateMessage(
  db: Db | Tx,
  p: Programme,
  period: Period,
  zones: ZoneDef[],
): Promise<string> {
  const confirmed = await listLatestConfirmed(
    db,
    period,
    zones.map((z) => z.id),
  );
  const template = formatReportTemplate(
    {
      period,
      zones: zones.map((zone) => {
        const values = confirmed.find((c) => c.zoneId === zone.id)?.values;
        return values ? { zone, values } : { zone };
      }),
    },
    p.indicators,
  );
  const prefilled = confirmed.length > 0 ? "已报送的经开区预填了最新确认的数据，只需修改变化的项目。" : "";
  return `${periodShortLabel(period)}填报模板：请复制下面的内容，在冒号后填写数据（金额写明亿元或万元），整段发回即可。${prefilled}\n\n${template}`;
}
