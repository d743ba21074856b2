-- CreateTable
CREATE TABLE "ContactIdentity" (
    "contactId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "ContactIdentity_pkey" PRIMARY KEY ("contactId","channel")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContactIdentity_channel_externalId_key" ON "ContactIdentity"("channel", "externalId");

-- AddForeignKey
ALTER TABLE "ContactIdentity" ADD CONSTRAINT "ContactIdentity_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move today's per-platform columns into identities ("wecom": WeCom userid, "wechat": WeChat id,
-- "wechat_alias": the 微信号/remark the WeChat transport re-binds by). Ids were unique per column;
-- an alias was not: a repeated alias stays with the contact of the smallest id (the others kept it
-- to no use: the WeChat binder refuses an alias held by two roster rows).
INSERT INTO "ContactIdentity" ("contactId", "channel", "externalId")
SELECT "id", 'wecom', "wecomUserId" FROM "Contact" WHERE "wecomUserId" IS NOT NULL AND "wecomUserId" <> '';
INSERT INTO "ContactIdentity" ("contactId", "channel", "externalId")
SELECT "id", 'wechat', "wechatId" FROM "Contact" WHERE "wechatId" IS NOT NULL AND "wechatId" <> '';
INSERT INTO "ContactIdentity" ("contactId", "channel", "externalId")
SELECT c."id", 'wechat_alias', c."wechatAlias" FROM "Contact" c
WHERE c."wechatAlias" IS NOT NULL AND c."wechatAlias" <> ''
  AND c."id" = (SELECT MIN(d."id") FROM "Contact" d WHERE d."wechatAlias" = c."wechatAlias");

-- DropIndex
DROP INDEX "Contact_wecomUserId_key";

-- DropIndex
DROP INDEX "Contact_wechatId_key";

-- AlterTable
ALTER TABLE "Contact" DROP COLUMN "wechatAlias",
DROP COLUMN "wechatId",
DROP COLUMN "wecomUserId";

-- Hand-written: identity changes bump the roster counter (cache_version migration), like Contact's.
CREATE TRIGGER "ContactIdentity_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ContactIdentity"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster';
