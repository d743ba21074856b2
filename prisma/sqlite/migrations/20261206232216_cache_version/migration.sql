-- CreateTable
CREATE TABLE "CacheVersion" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- Hand-written: every change to the programme and roster tables bumps the "roster" counter, so that
-- each instance's in-memory cache (src/programme/roster-cache.ts) notices it with one primary-key read.
INSERT INTO "CacheVersion" ("name", "version") VALUES ('roster', 1);
CREATE TRIGGER "ProgrammeYear_insert_bumps_roster" AFTER INSERT ON "ProgrammeYear"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ProgrammeYear_update_bumps_roster" AFTER UPDATE ON "ProgrammeYear"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ProgrammeYear_delete_bumps_roster" AFTER DELETE ON "ProgrammeYear"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ProgrammeQuarter_insert_bumps_roster" AFTER INSERT ON "ProgrammeQuarter"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ProgrammeQuarter_update_bumps_roster" AFTER UPDATE ON "ProgrammeQuarter"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ProgrammeQuarter_delete_bumps_roster" AFTER DELETE ON "ProgrammeQuarter"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Indicator_insert_bumps_roster" AFTER INSERT ON "Indicator"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Indicator_update_bumps_roster" AFTER UPDATE ON "Indicator"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Indicator_delete_bumps_roster" AFTER DELETE ON "Indicator"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Prefecture_insert_bumps_roster" AFTER INSERT ON "Prefecture"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Prefecture_update_bumps_roster" AFTER UPDATE ON "Prefecture"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Prefecture_delete_bumps_roster" AFTER DELETE ON "Prefecture"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Zone_insert_bumps_roster" AFTER INSERT ON "Zone"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Zone_update_bumps_roster" AFTER UPDATE ON "Zone"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Zone_delete_bumps_roster" AFTER DELETE ON "Zone"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ZoneMembership_insert_bumps_roster" AFTER INSERT ON "ZoneMembership"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ZoneMembership_update_bumps_roster" AFTER UPDATE ON "ZoneMembership"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ZoneMembership_delete_bumps_roster" AFTER DELETE ON "ZoneMembership"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Target_insert_bumps_roster" AFTER INSERT ON "Target"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Target_update_bumps_roster" AFTER UPDATE ON "Target"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Target_delete_bumps_roster" AFTER DELETE ON "Target"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Contact_insert_bumps_roster" AFTER INSERT ON "Contact"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Contact_update_bumps_roster" AFTER UPDATE ON "Contact"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Contact_delete_bumps_roster" AFTER DELETE ON "Contact"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroup_insert_bumps_roster" AFTER INSERT ON "ChatGroup"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroup_update_bumps_roster" AFTER UPDATE ON "ChatGroup"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroup_delete_bumps_roster" AFTER DELETE ON "ChatGroup"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
