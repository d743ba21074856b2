import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCapture } from "./support/cli.js";
import { type CliTestStore, createCliTestStore } from "./support/cli-store.js";
import { TEST_PROVIDERS } from "./support/stores.js";

describe.each(TEST_PROVIDERS)("zones list and contacts list on %s", (provider) => {
  let store: CliTestStore;
  beforeAll(async () => {
    store = await createCliTestStore(provider);
    expect((await runCliCapture(["seed", "--sample"], store.env)).code).toBe(0);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it("lists the zones of a prefecture with their groups in the year", async () => {
    const r = await runCliCapture(
      ["zones", "list", "--prefecture", "黔南布依族苗族自治州", "--json"],
      store.env,
    );
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.year).toBe(2023);
    expect(v.count).toBe(7);
    const huishui = v.zones.find((z: { id: string }) => z.id === "Z5227-HUISHUI");
    expect(huishui).toMatchObject({
      shortName: "惠水",
      prefecture: "黔南",
      groups: ["foreign_trade"],
      active: true,
    });
    const ft = JSON.parse(
      (await runCliCapture(["zones", "list", "--group", "外贸升级", "--json"], store.env)).stdout,
    );
    expect(ft.count).toBe(20);
    const text = await runCliCapture(["zones", "list", "--prefecture", "5223"], store.env);
    expect(text.stdout).toContain("黔西南高新区");
    expect(text.stdout).toContain("顶效");
  });

  it("rejects an unknown prefecture or group with exit code 2", async () => {
    const r = await runCliCapture(["zones", "list", "--prefecture", "黔北"], store.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知的市州 "黔北"');
    const g = await runCliCapture(["zones", "list", "--group", "市级"], store.env);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain("国家级培育/外贸升级/省级培育");
  });

  it("lists contacts with their channel ids, filtered by prefecture and role", async () => {
    const all = JSON.parse((await runCliCapture(["contacts", "list", "--json"], store.env)).stdout);
    expect(all.count).toBe(20);
    for (const c of all.contacts) {
      expect(c).not.toHaveProperty("phone");
      expect(Object.keys(c.identities).length).toBeGreaterThan(0);
    }
    const leads = JSON.parse(
      (
        await runCliCapture(
          ["contacts", "list", "--prefecture", "黔南", "--role", "分管领导", "--json"],
          store.env,
        )
      ).stdout,
    );
    expect(
      leads.contacts.map((c: { id: string; identities: Record<string, string> }) => [c.id, c.identities]),
    ).toEqual([["C5227-LEAD", { wecom: "qn_lead" }]]);
  });

  it("lists chat groups saying whether a robot key is configured, never the key", async () => {
    const secret = "5b1c3d2e-0000-4444-8888-abcdefabcdef";
    const r = await runCliCapture(["contacts", "groups", "--json"], {
      ...store.env,
      WECOM_ROBOT_KEY_TONGREN: secret,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(secret);
    const groups = JSON.parse(r.stdout).groups as { id: string; webhookKeyConfigured: boolean | null }[];
    expect(groups).toHaveLength(11);
    expect(groups.find((g) => g.id === "G5206")?.webhookKeyConfigured).toBe(true);
    expect(groups.find((g) => g.id === "G5202")?.webhookKeyConfigured).toBe(false);
    expect(groups.find((g) => g.id === "G5227")?.webhookKeyConfigured).toBeNull();
  });
});
