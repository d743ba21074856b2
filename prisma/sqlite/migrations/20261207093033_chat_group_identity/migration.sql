-- CreateTable
CREATE TABLE "ChatGroupIdentity" (
    "groupId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,

    PRIMARY KEY ("groupId", "channel"),
    CONSTRAINT "ChatGroupIdentity_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ChatGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Move today's per-platform columns into identities (channels named by the transports):
-- "wecom_chat" — the WeCom chatid (app group chats and 智能机器人 groups shared the one column);
-- "wecom_robot_key_env" — the NAME of the variable holding a group robot's webhook key;
-- "wechat_room_id" and "wechat_topic" — a WeChat room's id and name. Empty strings are no identity.
INSERT INTO "ChatGroupIdentity" ("groupId", "channel", "externalId")
SELECT "id", 'wecom_chat', "wecomChatId" FROM "ChatGroup" WHERE "wecomChatId" IS NOT NULL AND "wecomChatId" <> '';
INSERT INTO "ChatGroupIdentity" ("groupId", "channel", "externalId")
SELECT "id", 'wecom_robot_key_env', "webhookKeyEnv" FROM "ChatGroup" WHERE "webhookKeyEnv" IS NOT NULL AND "webhookKeyEnv" <> '';
INSERT INTO "ChatGroupIdentity" ("groupId", "channel", "externalId")
SELECT "id", 'wechat_room_id', "wechatRoomId" FROM "ChatGroup" WHERE "wechatRoomId" IS NOT NULL AND "wechatRoomId" <> '';
INSERT INTO "ChatGroupIdentity" ("groupId", "channel", "externalId")
SELECT "id", 'wechat_topic', "wechatTopic" FROM "ChatGroup" WHERE "wechatTopic" IS NOT NULL AND "wechatTopic" <> '';

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ChatGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "prefectureCode" TEXT,
    "copyReminders" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "ChatGroup_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ChatGroup" ("active", "audience", "channel", "copyReminders", "id", "name", "prefectureCode") SELECT "active", "audience", "channel", "copyReminders", "id", "name", "prefectureCode" FROM "ChatGroup";
DROP TABLE "ChatGroup";
ALTER TABLE "new_ChatGroup" RENAME TO "ChatGroup";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ChatGroupIdentity_channel_externalId_idx" ON "ChatGroupIdentity"("channel", "externalId");

-- Hand-written: redefining "ChatGroup" dropped its cache triggers (cache_version migration); put them
-- back, and let identity changes bump the roster counter too (they change where a group is reached).
CREATE TRIGGER "ChatGroup_insert_bumps_roster" AFTER INSERT ON "ChatGroup"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroup_update_bumps_roster" AFTER UPDATE ON "ChatGroup"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroup_delete_bumps_roster" AFTER DELETE ON "ChatGroup"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroupIdentity_insert_bumps_roster" AFTER INSERT ON "ChatGroupIdentity"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroupIdentity_update_bumps_roster" AFTER UPDATE ON "ChatGroupIdentity"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
CREATE TRIGGER "ChatGroupIdentity_delete_bumps_roster" AFTER DELETE ON "ChatGroupIdentity"
BEGIN UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster'; END;
UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster';
