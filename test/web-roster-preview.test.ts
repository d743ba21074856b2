import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROW_CHANGES_SHOWN } from "../bot/web/routes/roster-routes.js";
import { exportRosterXlsx } from "../src/roster/export-roster.js";
import { CIRCULAR_ENV } from "./support/circular-app.js";
import { CF, seedCircularFixture } from "./support/circular-fixture.js";
import { createTestStore, type TestStore } from "./support/stores.js";
import { webConsoleRig } from "./support/web-console.js";

const EXTRA = ROW_CHANGES_SHOWN + 30;

/** A multipart/form-data body with the CSRF field and one file, as the upload form sends it. */
function upload(csrf: string, filename: string, bytes: Buffer) {
  const boundary = "----kaiqu-roster-test";
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** The roster preview lists changed rows one by one, bounded, with the rest counted; nothing is written. */
describe("roster preview row by row (fastify.inject)", () => {
  let store: TestStore;
  let rig: Awaited<ReturnType<typeof webConsoleRig>>;
  beforeAll(async () => {
    store = await createTestStore("sqlite");
    await seedCircularFixture(store.db);
    rig = await webConsoleRig(store, { ...CIRCULAR_ENV, WEB_LOGIN_PER_MIN: "1000" });
  });
  afterAll(async () => {
    await rig.server.close();
    await store.dispose();
  });

  it(`shows the first ${ROW_CHANGES_SHOWN} changed rows with their columns and counts the rest`, async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportRosterXlsx(store.db, 2023))!.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("联系人")!;
    const header = Array.from(ws.getRow(1).values as unknown[], (h) => (typeof h === "string" ? h : ""));
    const col = (word: string) => header.findIndex((h) => h.includes(word));
    const renamed = ws.getRow(2);
    const oldName = String(renamed.getCell(col("姓名")).value);
    renamed.getCell(col("姓名")).value = `${oldName}（改）`;
    for (let i = 0; i < EXTRA; i++) {
      const r = ws.addRow([]);
      r.getCell(col("编号")).value = `CX-${String(i).padStart(3, "0")}`;
      r.getCell(col("姓名")).value = `新联系人${i}`;
      r.getCell(col("角色")).value = "联络员";
      r.getCell(col("市州")).value = "5227";
      r.getCell(col("企业微信账号")).value = `new_user_${i}`;
    }
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await store.db.contact.count();

    const tf = await rig.login(CF.contacts.taskForce);
    const res = await rig.server.fastify.inject({
      method: "POST",
      url: "/web/roster/preview",
      cookies: tf.cookies,
      ...upload(tf.csrf, "名单.xlsx", bytes),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="apply-button"');
    const table = /<table id="row-changes">([\s\S]*?)<\/table>/.exec(res.body)?.[1] ?? "";
    const rows = [
      ...table.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([\s\S]*?)<\/td><\/tr>/g),
    ];
    expect(rows).toHaveLength(ROW_CHANGES_SHOWN);
    // the update comes first (sync lists updates before creates), with the column before → after
    expect(rows[0]!.slice(1, 3)).toEqual(["联系人", "更新"]);
    expect(rows[0]![4]).toContain(`${oldName} → ${oldName}（改）`);
    const created = rows.filter((r) => r[2] === "新增");
    expect(created).toHaveLength(ROW_CHANGES_SHOWN - 1);
    expect(created[0]![3]).toBe("新联系人0（CX-000）");
    expect(created[0]![4]).toContain("new_user_0");
    // the rest (1 update + EXTRA creates − shown) counted, not dropped silently
    expect(res.body).toContain(`另有 ${EXTRA + 1 - ROW_CHANGES_SHOWN} 行变化未列出`);
    expect(await store.db.contact.count()).toBe(before);
  });
});
