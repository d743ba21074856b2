import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenHash } from "../bot/web/web-auth-store.js";
import { CF, seedCircularFixture } from "./support/circular-fixture.js";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";

describe("kaiqu web login", () => {
  let s: CliTestStore;
  beforeAll(async () => {
    s = await createCliTestStore("sqlite");
    await s.withDb((db) => seedCircularFixture(db));
  });
  afterAll(async () => s.dispose());

  it('--json prints {"url": …}: a single-use link stored only as a hash, expiring after --ttl', async () => {
    const env = { ...s.env, WEB_BASE_URL: "https://kaiqu.example.gov.cn/" };
    const r = await runCliCapture(
      ["web", "login", "--as", CF.contacts.taskForceWecom, "--ttl", "2h", "--json"],
      env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { url: string; contactId: string; expiresAt: string };
    expect(out.contactId).toBe(CF.contacts.taskForce);
    const m = /^https:\/\/kaiqu\.example\.gov\.cn\/web\/login\?token=([A-Za-z0-9_-]{43})$/.exec(out.url);
    expect(m).not.toBeNull();
    const row = await s.withDb((db) => db.webLoginLink.findUnique({ where: { id: tokenHash(m![1]!) } }));
    expect(row).toMatchObject({ contactId: CF.contacts.taskForce, usedAt: null });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(2 * 3600_000);
    expect(await s.withDb((db) => db.webLoginLink.count({ where: { id: m![1]! } }))).toBe(0);
  });

  it("plain output names the contact and the expiry; bad input is refused with an example", async () => {
    const r = await runCliCapture(["web", "login", "--as", CF.contacts.bureau], s.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:3000\/web\/login\?token=/);
    expect(r.stdout).toContain("李联络（只读：本市州）");
    const unknown = await runCliCapture(["web", "login", "--as", "nobody"], s.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("找不到在册的联系人「nobody」");
    const ttl = await runCliCapture(["web", "login", "--as", CF.contacts.taskForce, "--ttl", "3d"], s.env);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toContain("例如 10m");
  });
});
