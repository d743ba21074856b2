import { help } from "./commands/help.js";
import { progress } from "./commands/progress.js";

import { cardAction } from "./commands/report-actions.js";
import { cancel, confirm, confirmWord, modify, unitAnswer } from "./commands/report-commands.js";
import { reportFile } from "./commands/report-file.js";
import { submit } from "./commands/report-submit.js";
import {
  circularApprove,
  circularDraft,
  circularList,
  circularSend,
  circularShow,
} from "./commands/taskforce-circular.js";
import { originalFile } from "./commands/taskforce-original-file.js";
import { taskForceOpenProgress, taskForceProgress } from "./commands/taskforce-progress.js";
import { template } from "./commands/template.js";
import { Composer } from "./composer.js";
import { answer, type HandlerContext } from "./handler.js";

export const TASK_FORCE_ONLY =
  "这是省专班的命令，仅省专班成员可以使用。如需查询本局本季度的报送情况，请发送“进度”；其他操作请发送“帮助”。";

const isTaskForce = (ctx: HandlerContext) => ctx.contact.role === "task_force";

/**
 * The whole chat routing in one reading, first match wins:
 *  1. an attachment (a spreadsheet is a report; pictures, voice, video, locations, links, … get how to send figures);
 *  2. task-force commands, behind one filter — anyone else who sends one gets TASK_FORCE_ONLY;
 *     the plain 进度 of a task-force member (a bureau's plain 进度 falls through to 4);
 *  3. the confirmation card's buttons;
 *  4. 帮助, 模板, 进度, then the report dialogue's words (撤销, 确认, 是/否, 好的, 修改/更正);
 *  5. any other text is read as a report.
 * Task-force commands come before the dialogue, which would otherwise read "通报 草稿 2023Q2" as a report.
 */
export function createRouter(): Composer {
  const router = new Composer();
  router.use(reportFile);
  router
    .filter(isTaskForce, () => answer("refused", TASK_FORCE_ONLY))
    .use(
      circularDraft,
      circularApprove,
      circularSend,
      circularList,
      circularShow,
      taskForceProgress,
      originalFile,
    );
  router.filter(isTaskForce).use(taskForceOpenProgress);
  router.use(cardAction, help, template, progress);
  router.use(cancel, confirm, unitAnswer, confirmWord, modify);
  router.use(submit);
  return router;
}
