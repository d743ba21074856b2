import { PROGRESS_LABELS } from "../../src/assessment/progress-status.js";
import { GROUP_LABELS } from "../../src/domain/codes.js";
import { Decimal } from "../../src/domain/decimal.js";
import { type Board, SUBMISSION_LABELS } from "./board-view.js";

const num = (s: string | null) => (s == null ? null : Number(Decimal.parse(s).toFixed(6)));

/** The board's status list as a workbook: one row per zone, value / target / completion / status per indicator. */
export async function boardXlsx(board: Board, generatedAt: string): Promise<Buffer> {
  // loaded with the first export, not at start-up (exceljs is a large share of the bot's start)
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const ws = wb.addWorksheet("报送情况");
  const head = ["市州", "经开区", "类别", "报送状态", "版本", "确认时间"];
  for (const c of board.columns)
    head.push(`${c.label}（${c.unit}）`, `${c.label}目标`, `${c.label}完成率%`, `${c.label}状态`);
  ws.addRow([`${board.periodLabel}经开区报送情况${board.isSample ? "（样例数据）" : ""}`]);
  ws.addRow([`截止日 ${board.deadline ?? "—"} · 时间进度 ${board.expectedPct}% · 导出于 ${generatedAt}`]);
  const hr = ws.addRow(head);
  hr.font = { bold: true };
  for (const pf of board.prefectures)
    for (const z of pf.zones) {
      const row: (string | number | null)[] = [
        pf.name,
        z.name,
        z.groups.map((g) => GROUP_LABELS[g]).join("、"),
        SUBMISSION_LABELS[z.state],
        z.revisionNo,
        z.confirmedAt,
      ];
      for (const c of z.cells)
        row.push(
          num(c?.value ?? null),
          num(c?.target ?? null),
          c?.completionPct ? Number(Decimal.parse(c.completionPct).toFixed(1)) : null,
          c ? PROGRESS_LABELS[c.status] : "",
        );
      ws.addRow(row);
    }
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.columns.forEach((col, i) => {
    col.width = i < 2 ? 16 : 12;
  });
  ws.views = [{ state: "frozen", ySplit: 3, xSplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
