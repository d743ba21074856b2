import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeFileCopy } from "../src/files/file-store.js";
import { CIRCULAR_ENV } from "./support/circular-app.js";
import { CF, seedCircularFixture, seedQ2Reports } from "./support/circular-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { webConsoleRig } from "./support/web-console.js";

/** The zone page offers the file a revision was read from, authorised like the page itself. */
describe.each(TEST_PROVIDERS)("zone page: a revision's original file on %s", (provider) => {
  let store: TestStore;
  let rig: Awaited<ReturnType<typeof webConsoleRig>>;
  let dir: string;
  const bytes = Buffer.from("PK\u0003\u0004 这是惠水报送的表格（测试字节）");
  let huishuiRev: number;
  let baiyunRev: number;
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-zone-file-"));
    rig = await webConsoleRig(store, { ...CIRCULAR_ENV, WEB_LOGIN_PER_MIN: "1000", FILE_STORE_DIR: dir });
    const stored = storeFileCopy(dir, bytes, "惠水经开区二季度.xlsx", "xlsx");
    const rev = await store.db.reportRevision.findFirstOrThrow({
      where: { zoneId: CF.zones.huishui, revisionNo: 2 },
    });
    await store.db.reportRevision.update({
      where: { id: rev.id },
      data: { rawFileSha256: stored.sha256, rawFilePath: stored.path, rawFileName: stored.name },
    });
    huishuiRev = rev.id;
    const other = storeFileCopy(dir, Buffer.from("PK\u0003\u0004 白云"), "白云.xlsx", "xlsx");
    const b = await store.db.reportRevision.findFirstOrThrow({ where: { zoneId: CF.zones.baiyun } });
    await store.db.reportRevision.update({
      where: { id: b.id },
      data: { rawFileSha256: other.sha256, rawFilePath: other.path, rawFileName: other.name },
    });
    baiyunRev = b.id;
  });
  afterAll(async () => {
    await rig.server.close();
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const inject = (o: InjectOptions) => rig.server.fastify.inject(o);
  const fileUrl = (zone: string, rev: number) => `/web/zones/${zone}/revisions/${rev}/file`;

  it("the page links the file of a file revision only; the link serves the stored bytes", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const page = await inject({ url: `/web/zones/${CF.zones.huishui}?period=2023Q2`, cookies: tf.cookies });
    expect(page.statusCode).toBe(200);
    const links = [...page.body.matchAll(/class="file-link" href="([^"]+)">下载 ([^<]+)</g)];
    expect(links.map((m) => [m[1], m[2]])).toEqual([
      [fileUrl(CF.zones.huishui, huishuiRev), "惠水经开区二季度.xlsx"],
    ]);
    const res = await inject({ url: links[0]![1]!, cookies: tf.cookies });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    expect(res.headers["content-disposition"]).toContain(encodeURIComponent("惠水经开区二季度.xlsx"));
  });

  it("a bureau contact gets its own prefecture's file, not another's; without a session, the log-in page", async () => {
    const b = await rig.login(CF.contacts.bureau);
    expect(
      (await inject({ url: fileUrl(CF.zones.huishui, huishuiRev), cookies: b.cookies })).statusCode,
    ).toBe(200);
    const refused = await inject({ url: fileUrl(CF.zones.baiyun, baiyunRev), cookies: b.cookies });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain("白云");
    // the revision id of another prefecture under its own zone's path is not found, not served
    expect((await inject({ url: fileUrl(CF.zones.huishui, baiyunRev), cookies: b.cookies })).statusCode).toBe(
      404,
    );
    const anon = await inject({ url: fileUrl(CF.zones.huishui, huishuiRev) });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toContain("/web/login");
  });

  it("a typed revision has no file; an altered copy is refused", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const typed = await store.db.reportRevision.findFirstOrThrow({
      where: { zoneId: CF.zones.huishui, revisionNo: 1 },
    });
    const none = await inject({ url: fileUrl(CF.zones.huishui, typed.id), cookies: tf.cookies });
    expect(none.statusCode).toBe(404);
    expect(none.body).toContain("没有原件文件");
    const rev = await store.db.reportRevision.findUniqueOrThrow({ where: { id: baiyunRev } });
    writeFileSync(path.join(dir, rev.rawFilePath!), "改过的内容");
    const altered = await inject({ url: fileUrl(CF.zones.baiyun, baiyunRev), cookies: tf.cookies });
    expect(altered.statusCode).toBe(410);
    expect(altered.body).toContain("原件文件已缺失或已被改动");
  });
});
