import ExcelJS from "exceljs";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../bot/web/web-console.js";
import { CIRCULAR_ENV } from "./support/circular-app.js";
import { CF, seedCircularFixture, seedQ2Reports } from "./support/circular-fixture.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { FORM, form, webConsoleRig } from "./support/web-console.js";

describe.each(TEST_PROVIDERS)("web console on %s", (provider) => {
  let store: TestStore;
  let rig: Awaited<ReturnType<typeof webConsoleRig>>;
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    rig = await webConsoleRig(store, { ...CIRCULAR_ENV, WEB_LOGIN_PER_MIN: "1000" });
  });
  afterAll(async () => {
    await rig.server.close();
    await store.dispose();
  });
  const inject = (o: InjectOptions) => rig.server.fastify.inject(o);
  const postLogin = (token: string) =>
    inject({ method: "POST", url: "/web/login", payload: form({ token }), headers: FORM });

  it("a one-time link logs in once: HttpOnly SameSite cookie, then the link is spent", async () => {
    const token = await rig.link(CF.contacts.taskForce);
    // GET only shows the button (link previewers must not use the link up)
    const page = await inject({ url: `/web/login?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="login-button"');
    const res = await postLogin(token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/web/");
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE)!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/web" });
    expect(c.secure).toBeFalsy();
    const board = await inject({ url: "/web/board?period=2023Q2", cookies: { [SESSION_COOKIE]: c.value } });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain("张专班");
    // the store keeps only the hash of the session token
    expect(await store.db.webSession.count({ where: { id: c.value } })).toBe(0);
    const again = await postLogin(token);
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain("登录链接无效、已使用或已过期");
    const failed = await store.db.auditEntry.findMany({ where: { action: "login_failed" } });
    expect(failed.map((f) => JSON.parse(f.detail).reason)).toContain("used");
  });

  it("an expired or malformed link fails; without a session pages redirect to the log-in page", async () => {
    const token = await rig.link(CF.contacts.taskForce, 60_000);
    rig.clock.advance(61_000);
    expect((await postLogin(token)).statusCode).toBe(401);
    expect((await postLogin("not-a-token")).statusCode).toBe(401);
    const reasons = (await store.db.auditEntry.findMany({ where: { action: "login_failed" } })).map(
      (f) => JSON.parse(f.detail).reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(["expired", "malformed"]));
    const anon = await inject({ url: "/web/board" });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe("/web/login?next=%2Fweb%2Fboard");
    expect(
      (await inject({ url: "/web/board", cookies: { [SESSION_COOKIE]: "x".repeat(43) } })).statusCode,
    ).toBe(302);
  });

  it("a state-changing request without the session's CSRF token is refused and changes nothing", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const before = await store.db.circular.count();
    const none = await inject({
      method: "POST",
      url: "/web/circulars",
      cookies: tf.cookies,
      payload: form({ period: "2023Q2" }),
      headers: FORM,
    });
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain("安全令牌");
    const other = await rig.login(CF.contacts.taskForce2);
    const wrong = await inject({
      method: "POST",
      url: "/web/circulars",
      cookies: tf.cookies,
      payload: form({ period: "2023Q2", _csrf: other.csrf }),
      headers: FORM,
    });
    expect(wrong.statusCode).toBe(403);
    expect(await store.db.circular.count()).toBe(before);
  });

  it("a bureau contact sees its own prefecture only, read-only", async () => {
    const b = await rig.login(CF.contacts.bureau);
    const board = await inject({ url: "/web/board?period=2023Q2&prefecture=5201", cookies: b.cookies });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain("惠水经开区");
    expect(board.body).not.toContain("白云经开区"); // 贵阳's zone, even when asked for 5201
    expect(board.body).not.toContain('href="/web/circulars"');
    expect(
      (await inject({ url: `/web/zones/${CF.zones.baiyun}?period=2023Q2`, cookies: b.cookies })).statusCode,
    ).toBe(403);
    expect(
      (await inject({ url: `/web/zones/${CF.zones.huishui}?period=2023Q2`, cookies: b.cookies })).statusCode,
    ).toBe(200);
    for (const url of ["/web/circulars", "/web/roster", "/web/outbox", "/web/audit", "/web/reminders"])
      expect((await inject({ url, cookies: b.cookies })).statusCode, url).toBe(403);
    const approve = await inject({
      method: "POST",
      url: "/web/circulars/1/approve",
      cookies: b.cookies,
      payload: form({ _csrf: b.csrf }),
      headers: FORM,
    });
    expect(approve.statusCode).toBe(403);
  });

  it("board: status per zone, counts per prefecture, filters, days to the deadline, xlsx export", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const all = await inject({ url: "/web/board?period=2023Q2", cookies: tf.cookies });
    expect(all.body).toMatch(/id="total-zones">8</);
    expect(all.body).toMatch(/id="total-submitted"[^>]*>6</);
    expect(all.body).toMatch(/id="total-missing"[^>]*>2</);
    expect(all.body).toContain("已过 5 天"); // deadline 2023-07-15 (Shanghai), clock 2023-07-20
    expect(all.body).toContain('id="chart-completion"');
    expect(all.body).toContain("时间进度 50%");
    const missing = await inject({
      url: "/web/board?period=2023Q2&state=missing&group=foreign_trade",
      cookies: tf.cookies,
    });
    expect(missing.body).toMatch(/id="total-zones">1</);
    expect(missing.body).toContain("大龙经开区");
    expect(missing.body).not.toContain("白云经开区");
    const bad = await inject({ url: "/web/board?period=2023Q9", cookies: tf.cookies });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("例如 2023Q2");
    const x = await inject({ url: "/web/board.xlsx?period=2023Q2&prefecture=5227", cookies: tf.cookies });
    expect(x.headers["content-type"]).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("报送情况")!;
    const zones = ws.getColumn(2).values.slice(4);
    expect(zones).toEqual(["都匀经开区", "惠水经开区", "龙里经开区"]);
    expect(ws.getRow(6).getCell(4).value).toBe("逾期报送"); // 龙里
  });

  it("zone page: every revision with sender, channel, raw text and what changed", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const page = await inject({ url: `/web/zones/${CF.zones.huishui}?period=2023Q2`, cookies: tf.cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("第 2 版");
    expect(page.body).toContain("李联络");
    expect(page.body).toContain("控制台/命令行");
    expect(page.body).toMatch(/进出口 90000万元（9亿元） → 100000万元（10亿元）/);
    expect(page.body).toContain('id="chart-trend"');
  });

  it("draft → approve → send through the console, each step in the audit trail; a failed delivery is re-sent", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const post = (url: string, fields: Record<string, string> = {}) =>
      inject({
        method: "POST",
        url,
        cookies: tf.cookies,
        payload: form({ _csrf: tf.csrf, ...fields }),
        headers: FORM,
      });
    const d = await post("/web/circulars", { period: "2023Q2" });
    expect(d.statusCode).toBe(303);
    const id = Number(/\/web\/circulars\/(\d+)/.exec(d.headers.location as string)![1]);
    const page = await inject({ url: `/web/circulars/${id}`, cookies: tf.cookies });
    expect(page.body).toContain("群聊预览");
    expect(page.body).toContain('id="approve-button"');
    expect(page.body).not.toContain('id="send-button"');
    const early = await post(`/web/circulars/${id}/send`);
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain("尚未批准");
    expect((await post(`/web/circulars/${id}/approve`)).headers.location).toBe(
      `/web/circulars/${id}?done=approved`,
    );
    expect((await post(`/web/circulars/${id}/send`)).headers.location).toBe(`/web/circulars/${id}?done=sent`);
    const c = await store.db.circular.findUniqueOrThrow({ where: { id } });
    expect(c).toMatchObject({ status: "sent", approvedBy: CF.contacts.taskForce });
    const rows = await store.db.outboundMessage.findMany({
      where: { idempotencyKey: { startsWith: `circular:${id}:` } },
    });
    expect(rows.length).toBeGreaterThan(0);
    const sentPage = await inject({ url: `/web/circulars/${id}`, cookies: tf.cookies });
    expect(sentPage.body).toContain("全省经开区工作群");
    const docx = await inject({ url: `/web/circulars/${id}/circular.docx`, cookies: tf.cookies });
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe("PK");
    // a delivery WeCom refused for good: the console re-queues it (and only rows of this circular)
    const row = rows[0]!;
    await store.db.outboundMessage.update({
      where: { id: row.id },
      data: { status: "failed", lastError: "60020 not allow to access from your ip" },
    });
    expect((await inject({ url: `/web/circulars/${id}`, cookies: tf.cookies })).body).toContain("60020");
    expect((await post(`/web/circulars/${id + 1}/retry/${row.id}`)).statusCode).toBe(404);
    expect((await post(`/web/circulars/${id}/retry/${row.id}`)).statusCode).toBe(303);
    expect((await store.db.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe(
      "pending",
    );
    const audit = await store.db.auditEntry.findMany({
      where: { contactId: CF.contacts.taskForce },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "login",
        "circular.draft",
        "circular.approve",
        "circular.send",
        "outbox.retry",
      ]),
    );
    const approval = audit.find((a) => a.action === "circular.approve")!;
    expect(approval.target).toBe(String(id));
    expect(JSON.parse(approval.detail)).toMatchObject({ result: "approved", docNumber: c.docNumber });
    const auditPage = await inject({ url: "/web/audit", cookies: tf.cookies });
    expect(auditPage.body).toContain("批准通报");
  });

  it("log-out revokes the session in the store", async () => {
    const tf = await rig.login(CF.contacts.taskForce);
    const out = await inject({
      method: "POST",
      url: "/web/logout",
      cookies: tf.cookies,
      payload: form({ _csrf: tf.csrf }),
      headers: FORM,
    });
    expect(out.statusCode).toBe(303);
    expect((await inject({ url: "/web/board", cookies: tf.cookies })).statusCode).toBe(302);
  });
});

describe("web console settings", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore("sqlite");
    await seedCircularFixture(store.db);
  });
  afterAll(async () => store.dispose());

  it("log-in is rate-limited per address; cookies are Secure behind an https base URL", async () => {
    const rig = await webConsoleRig(store, {
      ...CIRCULAR_ENV,
      WEB_LOGIN_PER_MIN: "3",
      WEB_BASE_URL: "https://kaiqu.example.gov.cn",
    });
    const token = await rig.link(CF.contacts.taskForce);
    const ok = await rig.server.fastify.inject({
      method: "POST",
      url: "/web/login",
      payload: form({ token }),
      headers: FORM,
    });
    expect(ok.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push(
        (
          await rig.server.fastify.inject({
            method: "POST",
            url: "/web/login",
            payload: form({ token: "x" }),
            headers: FORM,
          })
        ).statusCode,
      );
    expect(codes).toEqual([401, 401, 429]);
    rig.clock.advance(60_001);
    expect(
      (
        await rig.server.fastify.inject({
          method: "POST",
          url: "/web/login",
          payload: form({ token: "x" }),
          headers: FORM,
        })
      ).statusCode,
    ).toBe(401);
    await rig.server.close();
  });
});
