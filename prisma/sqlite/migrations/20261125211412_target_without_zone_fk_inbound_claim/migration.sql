-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN "claimedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Target" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL DEFAULT '',
    "groupCode" TEXT NOT NULL DEFAULT '',
    "indicatorKey" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    CONSTRAINT "Target_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear" ("year") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Target" ("groupCode", "id", "indicatorKey", "scope", "value", "year", "zoneId") SELECT "groupCode", "id", "indicatorKey", "scope", "value", "year", "zoneId" FROM "Target";
DROP TABLE "Target";
ALTER TABLE "new_Target" RENAME TO "Target";
CREATE INDEX "Target_zoneId_idx" ON "Target"("zoneId");
CREATE UNIQUE INDEX "Target_year_scope_zoneId_groupCode_indicatorKey_key" ON "Target"("year", "scope", "zoneId", "groupCode", "indicatorKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- The inactive placeholder zone "" that carried group targets while Target.zoneId was a foreign key.
DELETE FROM "Zone" WHERE "id" = '';
