import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WecomClient } from "../bot/transports/wecom-app/wecom-client.js";
import { createWecomSenders } from "../bot/transports/wecom-app/wecom-senders.js";
import { createLogger } from "../src/log/logger.js";
import { OutboxDispatcher } from "../src/outbox/dispatcher.js";
import { exportRosterXlsx } from "../src/roster/export-roster.js";
import { CF, seedCircularFixture, seedQ2Reports } from "./support/circular-fixture.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { createTestStore, type TestStore } from "./support/stores.js";
import { webConsoleRig } from "./support/web-console.js";

/**
 * The console in Debian's headless Chromium against the real server on 127.0.0.1: one browser for
 * the file (playwright gives it a fresh throw-away user-data-dir; it refuses our own --user-data-dir). KAIQU_SCREENSHOTS=DIR also saves the README screenshots there.
 */
const CHROMIUM = process.env.KAIQU_CHROMIUM ?? "/usr/bin/chromium";
const shots = process.env.KAIQU_SCREENSHOTS;

describe("web console in headless Chromium", () => {
  let store: TestStore;
  let rig: Awaited<ReturnType<typeof webConsoleRig>>;
  let browser: Browser;
  let base: string;
  let wecom: FakeWecomServer;
  beforeAll(async () => {
    wecom = await new FakeWecomServer({ robotKeys: ["robot-key-tf"] }).start();
    wecom.addChat("provchat01", ["tf_zhang", "qn_li"]);
    store = await createTestStore("sqlite");
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    rig = await webConsoleRig(store);
    base = await rig.server.listen("127.0.0.1", 0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.server.close();
    await store?.dispose();
    await wecom?.stop();
  });

  /** The outbox worker over the real WeCom senders, against the fake WeCom, until nothing is left to claim. */
  const runOutbox = async () => {
    const logger = createLogger("silent");
    const client = new WecomClient({
      baseUrl: wecom.url,
      app: { corpId: "wwcorp0001", agentId: 1000002, secret: "app-secret" },
      clock: rig.clock,
    });
    const dispatcher = new OutboxDispatcher({
      outbox: rig.app.outbox,
      senders: createWecomSenders({
        client,
        clock: rig.clock,
        logger,
        robotKeys: { WECOM_ROBOT_KEY_TF: "robot-key-tf" },
        rateLimits: false,
      }),
      clock: rig.clock,
      logger,
      instanceId: "browser-test",
      batch: 100,
      maxAttempts: 5,
      leaseMs: 60_000,
      pollMs: 10,
      random: () => 0.5,
    });
    for (let i = 0; i < 20; i++) if ((await dispatcher.runOnce()).claimed === 0) return;
  };

  const newPage = async (width = 1366, height = 768) => {
    const ctx = await browser.newContext({ viewport: { width, height }, locale: "zh-CN" });
    return ctx.newPage();
  };
  const logIn = async (contactId: string, width?: number, height?: number) => {
    const page = await newPage(width, height);
    await page.goto(`${base}/web/login?token=${await rig.link(contactId)}`);
    await page.click("#login-button");
    await page.waitForURL(/\/web\/board/);
    return page;
  };

  it("task force: log in by link, read the board, open a zone, draft → approve → send a circular", async () => {
    const page = await logIn(CF.contacts.taskForce);
    await page.goto(`${base}/web/board?period=2023Q2`);
    expect(await page.textContent("#total-zones")).toBe("8");
    expect(await page.locator("#chart-completion svg").count()).toBe(1);
    expect(await page.locator('tr[data-zone="Z5206-DL"] .tag').textContent()).toBe("未报送");
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, "board.png"), fullPage: false });
    }
    await page.selectOption('select[name="prefecture"]', "5227");
    await page.click('form.filters button[type="submit"]');
    expect(await page.textContent("#total-zones")).toBe("3");
    await page.click("text=惠水经开区");
    await page.waitForURL(/\/web\/zones\/Z5227-HS/);
    expect(await page.locator("section.card").count()).toBe(2);
    expect(await page.locator(".change").first().textContent()).toContain("→");
    if (shots) await page.screenshot({ path: path.join(shots, "zone.png"), fullPage: false });

    await page.goto(`${base}/web/circulars`);
    await page.selectOption('#draft-form select[name="period"]', "2023Q2");
    await page.click("#draft-button");
    await page.waitForURL(/\/web\/circulars\/\d+\?done=drafted/);
    expect(await page.textContent("#circular-status")).toBe("草稿");
    await page.click("#approve-button");
    await page.waitForURL(/done=approved/);
    expect(await page.textContent("#circular-status")).toBe("已批准");
    await page.click("#send-button");
    await page.waitForURL(/done=sent/);
    expect(await page.textContent("#circular-status")).toBe("发布中"); // queued: 已发布 once every group got it
    expect(await page.locator("#deliveries").textContent()).toContain("全省经开区工作群");
    expect(await page.locator("#deliveries").textContent()).toContain("待发送");
    // the outbox runs (WeCom groups through the fake WeCom); the page then shows each group's status
    await runOutbox();
    expect(wecom.deliveredTo("provchat01").length).toBeGreaterThan(0);
    await page.reload();
    const heads = await page.locator("#deliveries tr.pf-head").allTextContents();
    const head = (name: string) => heads.find((h) => h.includes(name)) ?? "";
    expect(head("全省经开区工作群")).toMatch(/已发送 (\d+)\/\1$/);
    expect(head("省专班群")).toMatch(/已发送 (\d+)\/\1$/);
    expect(head("黔南州经开区群")).toMatch(/已发送 0\//); // WeChat: no sender in this test, still queued
    if (shots) await page.screenshot({ path: path.join(shots, "circular.png"), fullPage: false });
  }, 60_000);

  it("roster: an error row is named and nothing is written; fixed, the preview lists each changed row, then applies", async () => {
    const exported = await exportRosterXlsx(store.db, 2023);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported!.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("联系人")!;
    const header = ws.getRow(1).values as unknown[];
    const col = (word: string) => header.findIndex((h) => typeof h === "string" && h.includes(word));
    const roleCol = col("角色");
    const nameCol = col("姓名");
    expect(roleCol).toBeGreaterThan(0);
    expect(nameCol).toBeGreaterThan(0);
    const renamed = ws.getRow(2).getCell(nameCol);
    const oldName = String(renamed.value);
    renamed.value = `${oldName}新`;
    const role = ws.getRow(3).getCell(roleCol);
    const goodRole = role.value;
    role.value = "管理员";
    const dir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-roster-"));
    const file = path.join(dir, "名单.xlsx");
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    const contactsBefore = await store.db.contact.findMany({ orderBy: { id: "asc" } });

    const page = await logIn(CF.contacts.taskForce);
    await page.goto(`${base}/web/roster`);
    await page.setInputFiles('#upload-form input[type="file"]', file);
    await page.click("#preview-button");
    await page.waitForSelector("#import-errors");
    const issues = await page.locator("#issues tbody tr").allTextContents();
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.join("\n")).toMatch(/联系人.*3/);
    expect(await page.locator("#apply-button").count()).toBe(0);
    expect(await store.db.contact.findMany({ orderBy: { id: "asc" } })).toEqual(contactsBefore);

    // the error row corrected: the preview lists the renamed contact, row by row, before anything is written
    role.value = goodRole;
    const fixed = path.join(dir, "名单-改正.xlsx");
    writeFileSync(fixed, Buffer.from(await wb.xlsx.writeBuffer()));
    await page.setInputFiles('#upload-form input[type="file"]', fixed);
    await page.click("#preview-button");
    await page.waitForSelector("#row-changes");
    const rows = await page.locator("#row-changes tbody tr").allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("联系人");
    expect(rows[0]).toContain("更新");
    expect(rows[0]).toContain(`${oldName} → ${oldName}新`);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, "roster.png"), fullPage: false });
    }
    expect(await store.db.contact.findMany({ orderBy: { id: "asc" } })).toEqual(contactsBefore);
    await page.click("#apply-button");
    await page.waitForSelector("#import-summary");
    expect(await page.textContent("h2")).toContain("导入完成");
    expect(await store.db.contact.count({ where: { name: `${oldName}新` } })).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("a bureau contact cannot approve; a POST without the CSRF token fails; a used or expired link fails", async () => {
    const page = await logIn(CF.contacts.bureau, 390, 800); // a phone-sized in-app browser
    expect(await page.locator("tr[data-zone] a").allTextContents()).toEqual([
      "都匀经开区",
      "惠水经开区",
      "龙里经开区",
    ]);
    const list = await page.goto(`${base}/web/circulars`);
    expect(list?.status()).toBe(403);
    const csrf = await page.inputValue('header input[name="_csrf"]');
    const approve = await page.request.post(`${base}/web/circulars/1/approve`, { form: { _csrf: csrf } });
    expect(approve.status()).toBe(403);
    expect((await store.db.circular.findUniqueOrThrow({ where: { id: 1 } })).approvedBy).toBe(
      CF.contacts.taskForce,
    );

    const tf = await logIn(CF.contacts.taskForce);
    const noToken = await tf.request.post(`${base}/web/circulars`, { form: { period: "2023Q2" } });
    expect(noToken.status()).toBe(403);
    expect(await store.db.circular.count()).toBe(1);

    const token = await rig.link(CF.contacts.taskForce, 60_000);
    const other = await newPage();
    await other.goto(`${base}/web/login?token=${token}`);
    rig.clock.advance(61_000);
    await other.click("#login-button");
    expect(await other.textContent("#error-message")).toContain("已过期");
    const used = await newPage();
    const t2 = await rig.link(CF.contacts.taskForce);
    await used.goto(`${base}/web/login?token=${t2}`);
    await used.click("#login-button");
    await used.waitForURL(/\/web\/board/);
    await used.goto(`${base}/web/login?token=${t2}`);
    await used.click("#login-button");
    expect(await used.textContent("#error-message")).toContain("已使用");
  }, 60_000);
});
