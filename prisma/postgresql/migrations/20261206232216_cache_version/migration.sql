-- CreateTable
CREATE TABLE "CacheVersion" (
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CacheVersion_pkey" PRIMARY KEY ("name")
);

-- Hand-written: every change to the programme and roster tables bumps the "roster" counter, so that
-- each instance's in-memory cache (src/programme/roster-cache.ts) notices it with one primary-key read.
INSERT INTO "CacheVersion" ("name", "version") VALUES ('roster', 1);

CREATE FUNCTION "bump_roster_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster';
  RETURN NULL;
END $$;
CREATE TRIGGER "ProgrammeYear_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ProgrammeYear"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "ProgrammeQuarter_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ProgrammeQuarter"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "Indicator_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Indicator"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "Prefecture_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Prefecture"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "Zone_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Zone"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "ZoneMembership_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ZoneMembership"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "Target_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Target"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "Contact_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Contact"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
CREATE TRIGGER "ChatGroup_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ChatGroup"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
