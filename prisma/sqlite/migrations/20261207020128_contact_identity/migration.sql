-- CreateTable
CREATE TABLE "ContactIdentity" (
    "contactId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "verifiedAt" DATETIME,

    PRIMARY KEY ("contactId", "channel"),
    CONSTRAINT "ContactIdentity_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "prefectureCode" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Contact" ("active", "createdAt", "id", "name", "phone", "prefectureCode", "role", "updatedAt") SELECT "active", "createdAt", "id", "name", "phone", "prefectureCode", "role", "updatedAt" FROM "Contact";
DROP TABLE "Contact";
ALTER TABLE "new_Contact" RENAME TO "Contact";
CREATE INDEX "Contact_prefectureCode_idx" ON "Contact"("prefectureCode");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ContactIdentity_channel_externalId_key" ON "ContactIdentity"("channel", "externalId");

-- Hand-written: redefining "Contact" dropped its cache triggers (cache_version migration); put them
-- back, and let identity changes bump the roster counter too (they change who a sender is).
CREATE TRIGGER "Contact_insert_bumps_roster" AFTER INSERT ON "Contact"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Contact_update_bumps_roster" AFTER UPDATE ON "Contact"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "Contact_delete_bumps_roster" AFTER DELETE ON "Contact"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ContactIdentity_insert_bumps_roster" AFTER INSERT ON "ContactIdentity"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ContactIdentity_update_bumps_roster" AFTER UPDATE ON "ContactIdentity"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ContactIdentity_delete_bumps_roster" AFTER DELETE ON "ContactIdentity"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster';
