import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareShapes, describeStore, execScript, type StoreShape } from "../prisma/tools/introspect.js";
import { createScript, snapshotPath } from "../prisma/tools/schema-tools.js";
import type { Db } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createTestDatabaseUrl, createTestStore, TEST_PROVIDERS, type TestStore } from "./support/stores.js";

/** The slice of the generated client's data model (DMMF) this test reads. */
interface RuntimeDataModel {
  models: Record<
    string,
    { dbName: string | null; fields: { name: string; kind: string; dbName?: string | null }[] }
  >;
}
const dataModel = (db: Db) => (db as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;

/** "Model.field" of every scalar field in the generated client's data model that has no column. */
function missingColumns(db: Db, shape: StoreShape): string[] {
  const missing: string[] = [];
  for (const [modelName, model] of Object.entries(dataModel(db).models)) {
    const table = shape[model.dbName ?? modelName];
    for (const field of model.fields) {
      if (field.kind !== "scalar" && field.kind !== "enum") continue;
      const column = field.dbName ?? field.name;
      if (!table?.columns.some((c) => c.name === column)) missing.push(`${modelName}.${field.name}`);
    }
  }
  return missing;
}

describe.each(TEST_PROVIDERS)("schema and migrations on %s", (provider) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(provider);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it("migrations from empty give every model field of the generated client a column", async () => {
    const models = Object.keys(dataModel(store.db).models);
    expect(models).toEqual(expect.arrayContaining(["ProgrammeYear", "Zone", "Target", "OutboundMessage"]));
    expect(missingColumns(store.db, await describeStore(store.url))).toEqual([]);
  });

  it("the check notices a column a migration left out", async () => {
    const { url, drop } = await createTestDatabaseUrl(provider);
    try {
      await applyMigrations(url);
      await execScript(
        url,
        `ALTER TABLE "Zone" DROP COLUMN "aliases"; ALTER TABLE "ContactIdentity" DROP COLUMN "verifiedAt"`,
      );
      expect(missingColumns(store.db, await describeStore(url))).toEqual([
        "Zone.aliases",
        "ContactIdentity.verifiedAt",
      ]);
    } finally {
      await drop();
    }
  });

  it("the committed migrations build exactly the schema of the migrations' snapshot", async () => {
    const { url, drop } = await createTestDatabaseUrl(provider);
    try {
      await execScript(url, createScript(provider, snapshotPath(provider)));
      const fromSnapshot = await describeStore(url);
      expect(Object.keys(fromSnapshot).length).toBeGreaterThanOrEqual(15);
      expect(compareShapes(fromSnapshot, await describeStore(store.url), "snapshot", "migrations")).toEqual(
        [],
      );
    } finally {
      await drop();
    }
  });
});
