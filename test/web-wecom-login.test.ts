import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../bot/web/web-console.js";
import { STATE_COOKIE } from "../bot/web/wecom-login.js";
import { CIRCULAR_ENV } from "./support/circular-app.js";
import { CF, seedCircularFixture, seedQ2Reports } from "./support/circular-fixture.js";
import { FakeWecomServer } from "./support/fake-wecom-server.js";
import { createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";
import { webConsoleRig } from "./support/web-console.js";

// Log-in through WeCom against the fake WeCom server: the console redirects to WeCom with a state
// bound to this browser (cookie), WeCom comes back with a one-time code, the console exchanges it
// with auth/getuserinfo and logs in the contact with that userid.
describe.each(TEST_PROVIDERS)("web log-in through WeCom on %s", (provider) => {
  let store: TestStore;
  let fake: FakeWecomServer;
  let rig: Awaited<ReturnType<typeof webConsoleRig>>;
  beforeAll(async () => {
    store = await createTestStore(provider);
    await seedCircularFixture(store.db);
    await seedQ2Reports(store.db);
    fake = await new FakeWecomServer({
      corpId: CIRCULAR_ENV.WECOM_CORP_ID,
      secret: CIRCULAR_ENV.WECOM_SECRET,
      agentId: Number(CIRCULAR_ENV.WECOM_AGENT_ID),
    }).start();
    rig = await webConsoleRig(store, {
      ...CIRCULAR_ENV,
      WECOM_API_BASE: fake.url,
      WEB_BASE_URL: "https://kaiqu.example.gov.cn",
      WEB_LOGIN_PER_MIN: "1000",
    });
  });
  afterAll(async () => {
    await rig?.server.close();
    await fake?.stop();
    await store?.dispose();
  });
  const inject = (o: InjectOptions) => rig.server.fastify.inject(o);
  const WXWORK_UA =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh";

  /** Starts a log-in; returns WeCom's authorize URL and the state cookie the browser now holds. */
  const start = async (query = "", ua = "Mozilla/5.0 (Windows NT 10.0) Chrome/120") => {
    const res = await inject({ url: `/web/login/wecom${query}`, headers: { "user-agent": ua } });
    expect(res.statusCode).toBe(302);
    const cookie = res.cookies.find((c) => c.name === STATE_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/web/login/wecom", secure: true });
    return { location: new URL(res.headers.location as string), cookie: cookie.value };
  };
  const callback = (q: Record<string, string>, cookie?: string) =>
    inject({
      url: `/web/login/wecom/callback?${new URLSearchParams(q).toString()}`,
      ...(cookie ? { cookies: { [STATE_COOKIE]: cookie } } : {}),
    });

  it("in WeCom's browser: 网页授权 URL with appid = corpid, snsapi_base, agentid and #wechat_redirect", async () => {
    const { location } = await start("?next=%2Fweb%2Fcirculars", WXWORK_UA);
    expect(location.origin + location.pathname).toBe("https://open.weixin.qq.com/connect/oauth2/authorize");
    expect(location.hash).toBe("#wechat_redirect");
    const q = location.searchParams;
    expect(q.get("appid")).toBe(CIRCULAR_ENV.WECOM_CORP_ID);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("scope")).toBe("snsapi_base");
    expect(q.get("agentid")).toBe(CIRCULAR_ENV.WECOM_AGENT_ID);
    expect(q.get("redirect_uri")).toBe("https://kaiqu.example.gov.cn/web/login/wecom/callback");
    expect(q.get("state")).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it("on a PC: 扫码登录 URL (login_type=CorpApp); a valid code logs in the contact with that userid", async () => {
    const { location, cookie } = await start("?next=%2Fweb%2Fcirculars");
    expect(location.origin + location.pathname).toBe("https://login.work.weixin.qq.com/wwlogin/sso/login");
    expect(location.searchParams.get("login_type")).toBe("CorpApp");
    expect(location.searchParams.get("appid")).toBe(CIRCULAR_ENV.WECOM_CORP_ID);
    expect(location.searchParams.get("agentid")).toBe(CIRCULAR_ENV.WECOM_AGENT_ID);
    const state = location.searchParams.get("state")!;
    // WeCom userids are case-insensitive
    const code = fake.issueLoginCode({ userid: CF.contacts.taskForceWecom.toUpperCase() });
    const res = await callback({ code, state }, cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/web/circulars");
    const sid = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(sid).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });
    const page = await inject({ url: "/web/circulars", cookies: { [SESSION_COOKIE]: sid.value } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("张专班");
    const session = await store.db.webSession.findFirst({ where: { contactId: CF.contacts.taskForce } });
    expect(session).toMatchObject({ via: "wecom_qr" });
    const audit = await store.db.auditEntry.findFirst({
      where: { action: "login" },
      orderBy: { id: "desc" },
    });
    expect(JSON.parse(audit!.detail)).toEqual({ via: "wecom_qr" });
    expect(fake.calls.filter((c) => c.endpoint === "auth/getuserinfo")).toEqual([
      { endpoint: "auth/getuserinfo", errcode: 0 },
    ]);

    // the same code a second time (back button, a replayed URL): WeCom answers 40029, nothing logs in
    const again = await start();
    const reused = await callback({ code, state: again.location.searchParams.get("state")! }, again.cookie);
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain("企业微信登录码无效、已使用或已过期");
    expect(reused.body).toContain("40029");
    expect(reused.cookies.some((c) => c.name === SESSION_COOKIE && c.value)).toBe(false);
  });

  it("a bureau contact logging in through WeCom sees its own prefecture only (网页授权 session)", async () => {
    const { location, cookie } = await start("", WXWORK_UA);
    const code = fake.issueLoginCode({ userid: "qn_li" });
    const res = await callback({ code, state: location.searchParams.get("state")! }, cookie);
    expect(res.statusCode).toBe(303);
    const sid = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    expect((await store.db.webSession.findFirst({ where: { contactId: CF.contacts.bureau } }))?.via).toBe(
      "wecom_oauth",
    );
    const circulars = await inject({ url: "/web/circulars", cookies: { [SESSION_COOKIE]: sid } });
    expect(circulars.statusCode).toBe(403);
  });

  it("refuses a stranger's userid, an outsider (openid only), an invalid or expired code, with Chinese pages", async () => {
    const before = await store.db.webSession.count();
    const attempt = async (who: Parameters<typeof fake.issueLoginCode>[0] | string) => {
      const { location, cookie } = await start();
      const code = typeof who === "string" ? who : fake.issueLoginCode(who);
      return callback({ code, state: location.searchParams.get("state")! }, cookie);
    };
    const stranger = await attempt({ userid: "someone_else" });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).toContain("企业微信账号“someone_else”不在联系人名单中");
    const outsider = await attempt({ openid: "oAbCdEf123" });
    expect(outsider.statusCode).toBe(403);
    expect(outsider.body).toContain("不是本企业的企业微信成员");
    const invalid = await attempt("made-up-code");
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain("40029");
    // WeCom's codes live 5 minutes (the fake follows the wall clock; a code issued already expired)
    const { location, cookie } = await start();
    const expired = fake.issueLoginCode({ userid: CF.contacts.taskForceWecom }, 0);
    const late = await callback({ code: expired, state: location.searchParams.get("state")! }, cookie);
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain("40029");
    // WeCom refusing the domain (50001): the operator is told what to configure
    fake.inject("auth/getuserinfo", 50001);
    const untrusted = await attempt({ userid: CF.contacts.taskForceWecom });
    expect(untrusted.statusCode).toBe(502);
    expect(untrusted.body).toContain("可信域名");
    // the user cancelled at WeCom: back with the state only
    const cancelled = await start();
    const none = await callback({ state: cancelled.location.searchParams.get("state")! }, cancelled.cookie);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("未在企业微信中确认登录");

    expect(await store.db.webSession.count()).toBe(before);
    const reasons = (await store.db.auditEntry.findMany({ where: { action: "login_failed" } })).map(
      (a) => JSON.parse(a.detail).reason,
    );
    expect(reasons).toEqual(
      expect.arrayContaining(["unknown_userid", "not_member", "invalid_code", "untrusted_domain", "no_code"]),
    );
  });

  it("a state that is not this browser's is refused before the code is spent", async () => {
    const mine = await start();
    const theirs = await start();
    const code = fake.issueLoginCode({ userid: CF.contacts.taskForceWecom });
    const calls = fake.calls.length;
    // a code and state from someone else's log-in pasted into my browser (login CSRF)
    const crossed = await callback({ code, state: theirs.location.searchParams.get("state")! }, mine.cookie);
    expect(crossed.statusCode).toBe(400);
    expect(crossed.body).toContain("state 不一致");
    // no state cookie at all (link opened in another browser)
    const noCookie = await callback({ code, state: mine.location.searchParams.get("state")! });
    expect(noCookie.statusCode).toBe(400);
    expect(fake.calls.length).toBe(calls);
    // the code is still good for the browser that started that log-in
    const ok = await callback({ code, state: theirs.location.searchParams.get("state")! }, theirs.cookie);
    expect(ok.statusCode).toBe(303);
  });

  it("the log-in rate limit applies to the WeCom callback too", async () => {
    const limited = await webConsoleRig(store, {
      ...CIRCULAR_ENV,
      WECOM_API_BASE: fake.url,
      WEB_LOGIN_PER_MIN: "2",
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await limited.server.fastify.inject({
          url: "/web/login/wecom/callback?code=x&state=y",
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([400, 400, 429]);
      const last = await limited.server.fastify.inject({ url: "/web/login/wecom/callback?code=x&state=y" });
      expect(last.body).toContain("登录尝试过于频繁");
      limited.clock.advance(61_000);
      expect(
        (await limited.server.fastify.inject({ url: "/web/login/wecom/callback?code=x&state=y" })).statusCode,
      ).toBe(400);
    } finally {
      await limited.server.close();
    }
  });

  it("the log-in page offers both WeCom ways when the app is configured", async () => {
    const page = await inject({ url: "/web/login?next=%2Fweb%2Fboard" });
    expect(page.body).toContain('id="wecom-oauth"');
    expect(page.body).toContain('href="/web/login/wecom?via=qr&amp;next=%2Fweb%2Fboard"');
  });
});
