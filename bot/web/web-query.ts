import { openPeriodAt } from "../../src/calendar/open-period.js";
import { GROUP_CODES, type GroupCode } from "../../src/domain/codes.js";
import { type Period, parsePeriodKey } from "../../src/domain/period.js";
import { type BoardFilter, SUBMISSION_STATES, type SubmissionState } from "./board-view.js";
import { WebError } from "./web-user.js";

export interface BoardQuery {
  period?: string;
  group?: string;
  prefecture?: string;
  state?: string;
}

/** ?period=2023Q2 (default: the quarter open for reporting now). */
export function periodFrom(text: string | undefined, now: Date): Period {
  if (text === undefined || text === "") return openPeriodAt(now);
  const p = parsePeriodKey(text);
  if (!p)
    throw new WebError(400, `季度格式不对（读到“${text.slice(0, 20)}”），应为 年份+季度，例如 2023Q2。`);
  return p;
}

export function boardFilterFrom(q: BoardQuery): BoardFilter {
  const f: BoardFilter = {};
  if (q.group) {
    if (!(GROUP_CODES as readonly string[]).includes(q.group))
      throw new WebError(
        400,
        `类别无效（读到“${q.group.slice(0, 20)}”），应为 ${GROUP_CODES.join("、")} 之一。`,
      );
    f.group = q.group as GroupCode;
  }
  if (q.prefecture) {
    if (!/^\d{2,6}$/.test(q.prefecture)) throw new WebError(400, "市州代码应为数字，例如 5227。");
    f.prefecture = q.prefecture;
  }
  if (q.state) {
    if (!(SUBMISSION_STATES as readonly string[]).includes(q.state))
      throw new WebError(400, `报送状态无效，应为 ${SUBMISSION_STATES.join("、")} 之一。`);
    f.state = q.state as SubmissionState;
  }
  return f;
}

/** Positive integer ids from the path. */
export function idFrom(text: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) === 0) throw new WebError(404, "页面不存在。");
  return Number(text);
}
