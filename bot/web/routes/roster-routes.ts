import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type ProgrammeChanges, totalChanged } from "../../../src/programme/programme-data.js";
import { listProgrammeYears } from "../../../src/programme/programme-repository.js";
import { exportRosterXlsx, rosterTemplateXlsx } from "../../../src/roster/export-roster.js";
import { type ImportResult, importRoster } from "../../../src/roster/import-roster.js";
import { attachment } from "../attachment.js";
import { csrfMatches } from "../csrf.js";
import { recordAudit } from "../web-audit.js";
import type { WebRuntime } from "../web-console.js";
import { html, requireTaskForce, WebError, type WebUser } from "../web-user.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MAX_BYTES = 10 * 1024 * 1024;

export const CHANGE_LABELS: Record<keyof ProgrammeChanges, string> = {
  programmeYears: "年度",
  quarters: "季度截止",
  prefectures: "市州",
  indicators: "指标",
  zones: "经开区",
  memberships: "培育名单",
  targets: "目标",
  contacts: "联系人",
  chatGroups: "群聊",
};

/** The uploaded workbook: exactly one .xlsx/.csv file and the form's CSRF token, bounded by the multipart limits. */
async function readUpload(req: FastifyRequest, user: WebUser): Promise<{ filename: string; bytes: Buffer }> {
  let csrf: unknown;
  let file: { filename: string; bytes: Buffer } | undefined;
  for await (const part of req.parts()) {
    if (part.type === "field") {
      if (part.fieldname === "_csrf") csrf = part.value;
    } else if (part.fieldname === "file" && !file) {
      const bytes = await part.toBuffer();
      file = { filename: part.filename || "upload.xlsx", bytes };
    } else await part.toBuffer();
  }
  if (!csrfMatches(user.csrfToken, csrf ?? req.headers["x-csrf-token"]))
    throw new WebError(403, "表单已失效（缺少或错误的安全令牌），请刷新页面后重试。");
  if (!file || file.bytes.length === 0) throw new WebError(400, "请选择要上传的名单文件（.xlsx 或 .csv）。");
  if (!/\.(xlsx|csv)$/i.test(file.filename))
    throw new WebError(400, `只支持 .xlsx 和 .csv 文件（收到“${file.filename.slice(0, 60)}”）。`);
  return file;
}

function sha256(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}

/** The preview lists this many changed rows; the rest are counted. */
export const ROW_CHANGES_SHOWN = 200;
const KIND_LABELS = { created: "新增", updated: "更新", deleted: "删除", deactivated: "停用" } as const;
/** The roster's stored columns in the sheets' words (the preview names what changes in each row). */
const COLUMN_LABELS: Record<string, string> = {
  year: "年度",
  title: "标题",
  isSample: "示例数据",
  settings: "设置",
  quarter: "季度",
  deadline: "截止日",
  expectedProgressPct: "时间进度（%）",
  code: "代码",
  name: "名称/姓名",
  shortName: "简称",
  sortOrder: "排序",
  key: "指标键",
  label: "指标名称",
  aliases: "别名",
  unit: "单位",
  kind: "类型",
  cumulative: "累计",
  required: "必填",
  groups: "类别",
  id: "编号",
  prefectureCode: "市州",
  active: "启用",
  zoneId: "经开区",
  groupCode: "类别",
  scope: "范围",
  indicatorKey: "指标",
  value: "目标值",
  role: "角色",
  // a contact's accounts, or a group's chat id / robot-key variable / room (ChatGroupIdentity)
  identities: "账号/群标识",
  phone: "手机",
  channel: "渠道",
  audience: "对象",
  copyReminders: "抄送提醒",
};
const cut = (v: string) => (v.length > 120 ? `${v.slice(0, 120)}…` : v);

/** Every changed row, table by table, the first ROW_CHANGES_SHOWN of them with their columns. */
function rowChanges(r: ImportResult) {
  const all = (Object.keys(CHANGE_LABELS) as (keyof ProgrammeChanges)[]).flatMap((k) =>
    (r.changes[k].rows ?? []).map((c) => ({ table: CHANGE_LABELS[k], ...c })),
  );
  return {
    shown: all.slice(0, ROW_CHANGES_SHOWN).map((c) => ({
      table: c.table,
      kind: KIND_LABELS[c.kind],
      row: cut(c.row),
      fields: c.fields.map((f) => ({
        column: COLUMN_LABELS[f.column] ?? f.column,
        before: cut(f.before),
        after: cut(f.after),
      })),
    })),
    more: Math.max(0, all.length - ROW_CHANGES_SHOWN),
  };
}

function summary(r: ImportResult) {
  return (Object.keys(CHANGE_LABELS) as (keyof ProgrammeChanges)[]).map((k) => ({
    label: CHANGE_LABELS[k],
    ...r.changes[k],
  }));
}

export function registerRosterRoutes(web: FastifyInstance, rt: WebRuntime): void {
  const { app } = rt;

  web.get("/roster", async (req, reply) => {
    const user = requireTaskForce(req);
    const years = await listProgrammeYears(app.store.db);
    return html(reply).view("roster", { user, title: "名单", nav: "roster", years, result: null });
  });

  web.get("/roster/template.xlsx", async (req, reply) => {
    requireTaskForce(req);
    return reply
      .type(XLSX_TYPE)
      .header("content-disposition", attachment("名单模板.xlsx", "roster-template.xlsx"))
      .send(await rosterTemplateXlsx());
  });

  web.get<{ Querystring: { year?: string } }>("/roster/export.xlsx", async (req, reply) => {
    requireTaskForce(req);
    const years = await listProgrammeYears(app.store.db);
    const year = req.query.year ? Number(req.query.year) : years.at(-1);
    if (!year || !years.includes(year)) throw new WebError(404, "没有该年度的名单。");
    const r = await exportRosterXlsx(app.store.db, year);
    if (!r) throw new WebError(404, "没有该年度的名单。");
    return reply
      .type(XLSX_TYPE)
      .header("content-disposition", attachment(`名单-${year}.xlsx`, `roster-${year}.xlsx`))
      .send(r.bytes);
  });

  // Step 1: upload → dry run (nothing written): every change count, the changed rows one by one
  // (the first ROW_CHANGES_SHOWN, the rest counted) and every per-row error.
  web.post("/roster/preview", async (req, reply) => {
    const user = requireTaskForce(req);
    if (!req.isMultipart()) throw new WebError(400, "请通过页面上的表单上传文件。");
    const file = await readUpload(req, user);
    const r = await importRoster(app.store.db, [{ path: file.filename, bytes: file.bytes }], {
      dryRun: true,
      rowChanges: true,
    });
    return html(reply).view("roster", {
      user,
      title: "名单导入预览",
      nav: "roster",
      years: await listProgrammeYears(app.store.db),
      result: {
        dryRun: true,
        ok: r.ok,
        filename: file.filename,
        sha: sha256(file.bytes),
        data: r.ok ? file.bytes.toString("base64") : null,
        issues: r.issues,
        changes: summary(r),
        rows: rowChanges(r),
        changed: totalChanged(r.changes),
        year: r.year ?? null,
        sheets: r.sheets,
        emptySheets: r.emptySheets,
      },
    });
  });

  // Step 2: apply exactly the previewed bytes (checked by digest); all-or-nothing as on the CLI.
  web.post<{ Body: { filename?: string; data?: string; sha?: string } }>(
    "/roster/apply",
    async (req, reply) => {
      const user = requireTaskForce(req);
      const { filename, data, sha } = req.body ?? {};
      if (typeof filename !== "string" || typeof data !== "string" || typeof sha !== "string")
        throw new WebError(400, "缺少预览的文件，请重新上传。");
      const bytes = Buffer.from(data, "base64");
      if (bytes.length === 0 || bytes.length > MAX_BYTES || sha256(bytes) !== sha)
        throw new WebError(400, "文件与预览时不一致，请重新上传。");
      const r = await importRoster(app.store.db, [{ path: filename, bytes }], {
        dryRun: false,
        rowChanges: true,
      });
      await recordAudit(app.store.db, {
        at: app.clock.now(),
        contactId: user.contact.id,
        action: "roster.import",
        target: filename.slice(0, 200),
        detail: {
          ok: r.ok,
          sha,
          year: r.year ?? null,
          changed: totalChanged(r.changes),
          issues: r.issues.length,
        },
        ip: req.ip,
      });
      return html(reply).view("roster", {
        user,
        title: "名单导入结果",
        nav: "roster",
        years: await listProgrammeYears(app.store.db),
        result: {
          dryRun: false,
          ok: r.ok,
          filename,
          sha,
          data: null,
          issues: r.issues,
          changes: summary(r),
          rows: rowChanges(r),
          changed: totalChanged(r.changes),
          year: r.year ?? null,
          sheets: r.sheets,
          emptySheets: r.emptySheets,
        },
      });
    },
  );
}
