import type { Board, BoardZone } from "./board-view.js";
import { h } from "./view-helpers.js";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** HTML-escapes text for element content and quoted attributes (as eta's autoEscape does). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

const STATE_TAGS: Record<BoardZone["state"], string> = {
  submitted: "已报送",
  late: "逾期",
  missing: "未报送",
};

/**
 * One zone's row of the board table. A row depends only on the assessment (not on the viewer or the
 * filter), so the board keeps it with the cached model and a reload formats no figure again — at
 * 2 000 zones × 10 indicators the per-cell formatting was most of the page's time.
 */
export function boardRowHtml(z: BoardZone, b: Pick<Board, "columns" | "periodKey" | "expectedPct">): string {
  const expectedLeft = Math.min(100, Number(b.expectedPct));
  let out = `<tr data-zone="${esc(z.zoneId)}"><td><a href="/web/zones/${esc(encodeURIComponent(z.zoneId))}?period=${esc(b.periodKey)}">${esc(z.name)}</a></td><td class="hide-narrow">${esc(z.groups.map(h.group).join("、"))}</td><td><span class="tag st-${z.state}">${STATE_TAGS[z.state]}</span></td>`;
  for (let i = 0; i < z.cells.length; i++) {
    const c = z.cells[i];
    if (!c) out += "<td></td>";
    else if (c.value === null) out += '<td class="muted">—</td>';
    else {
      out += `<td class="num" title="${esc(h.status(c.status))}">${esc(h.figure(c.value, b.columns[i]!.unit))}`;
      if (c.completionPct !== null) {
        const color = h.color(c.status);
        out += ` <span style="color:${color}">${esc(h.pct(c.completionPct))}</span><div class="bar"><i style="width:${Math.min(100, Number(c.completionPct))}%;background:${color}"></i><b style="left:${expectedLeft}%"></b></div>`;
      }
      out += "</td>";
    }
  }
  return `${out}</tr>`;
}
