-- CreateTable
CREATE TABLE "ChatGroupIdentity" (
    "groupId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,

    CONSTRAINT "ChatGroupIdentity_pkey" PRIMARY KEY ("groupId","channel")
);

-- CreateIndex
CREATE INDEX "ChatGroupIdentity_channel_externalId_idx" ON "ChatGroupIdentity"("channel", "externalId");

-- AddForeignKey
ALTER TABLE "ChatGroupIdentity" ADD CONSTRAINT "ChatGroupIdentity_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ChatGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

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

-- AlterTable
ALTER TABLE "ChatGroup" DROP COLUMN "webhookKeyEnv",
DROP COLUMN "wechatRoomId",
DROP COLUMN "wechatTopic",
DROP COLUMN "wecomChatId";

-- Hand-written: identity changes bump the roster counter (cache_version migration), like ChatGroup's.
CREATE TRIGGER "ChatGroupIdentity_bumps_roster" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ChatGroupIdentity"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_roster_version"();
UPDATE "CacheVersion" SET "version" = "version" + 1 WHERE "name" = 'roster';
