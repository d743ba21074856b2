-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "ProgrammeYear" (
    "year" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "isSample" BOOLEAN NOT NULL DEFAULT false,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProgrammeYear_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "ProgrammeQuarter" (
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "deadline" TEXT NOT NULL,
    "expectedProgressPct" TEXT NOT NULL,

    CONSTRAINT "ProgrammeQuarter_pkey" PRIMARY KEY ("year","quarter")
);

-- CreateTable
CREATE TABLE "Prefecture" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Prefecture_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Zone" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL,
    "aliases" TEXT NOT NULL DEFAULT '[]',
    "prefectureCode" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ZoneMembership" (
    "year" INTEGER NOT NULL,
    "zoneId" TEXT NOT NULL,
    "groupCode" TEXT NOT NULL,

    CONSTRAINT "ZoneMembership_pkey" PRIMARY KEY ("year","zoneId","groupCode")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "year" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "aliases" TEXT NOT NULL DEFAULT '[]',
    "unit" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "cumulative" BOOLEAN NOT NULL DEFAULT false,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "groups" TEXT NOT NULL DEFAULT '[]',
    "sortOrder" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("year","key")
);

-- CreateTable
CREATE TABLE "Target" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL DEFAULT '',
    "groupCode" TEXT NOT NULL DEFAULT '',
    "indicatorKey" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "prefectureCode" TEXT,
    "wecomUserId" TEXT,
    "wechatId" TEXT,
    "wechatAlias" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatGroup" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "wecomChatId" TEXT,
    "webhookKeyEnv" TEXT,
    "wechatRoomId" TEXT,
    "wechatTopic" TEXT,
    "audience" TEXT NOT NULL,
    "prefectureCode" TEXT,
    "copyReminders" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "ChatGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportRevision" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "zoneId" TEXT NOT NULL,
    "revisionNo" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "values" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "inboundMessageId" INTEGER,
    "rawText" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "ReportRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "contactId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("contactId")
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "senderRef" TEXT NOT NULL,
    "contactId" TEXT,
    "chatRef" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'text',
    "text" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'received',
    "processedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" SERIAL NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "msgType" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'reply',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "lastErrcode" INTEGER,
    "lastError" TEXT,
    "externalMsgId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Circular" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "docNumber" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "model" TEXT NOT NULL,
    "figuresHash" TEXT NOT NULL,
    "builtAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "approvedHash" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Circular_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobHeartbeat" (
    "name" TEXT NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "instance" TEXT NOT NULL,

    CONSTRAINT "JobHeartbeat_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "Prefecture_name_key" ON "Prefecture"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Zone_name_key" ON "Zone"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Zone_shortName_key" ON "Zone"("shortName");

-- CreateIndex
CREATE INDEX "Zone_prefectureCode_idx" ON "Zone"("prefectureCode");

-- CreateIndex
CREATE INDEX "ZoneMembership_year_groupCode_idx" ON "ZoneMembership"("year", "groupCode");

-- CreateIndex
CREATE UNIQUE INDEX "Target_year_scope_zoneId_groupCode_indicatorKey_key" ON "Target"("year", "scope", "zoneId", "groupCode", "indicatorKey");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_wecomUserId_key" ON "Contact"("wecomUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_wechatId_key" ON "Contact"("wechatId");

-- CreateIndex
CREATE INDEX "Contact_prefectureCode_idx" ON "Contact"("prefectureCode");

-- CreateIndex
CREATE INDEX "ReportRevision_year_quarter_status_idx" ON "ReportRevision"("year", "quarter", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ReportRevision_year_quarter_zoneId_revisionNo_key" ON "ReportRevision"("year", "quarter", "zoneId", "revisionNo");

-- CreateIndex
CREATE INDEX "InboundMessage_status_idx" ON "InboundMessage"("status");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_channel_externalId_key" ON "InboundMessage"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_idempotencyKey_key" ON "OutboundMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "OutboundMessage_status_nextAttemptAt_idx" ON "OutboundMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Circular_year_number_key" ON "Circular"("year", "number");

-- AddForeignKey
ALTER TABLE "ProgrammeQuarter" ADD CONSTRAINT "ProgrammeQuarter_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear"("year") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Zone" ADD CONSTRAINT "Zone_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ZoneMembership" ADD CONSTRAINT "ZoneMembership_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear"("year") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ZoneMembership" ADD CONSTRAINT "ZoneMembership_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Indicator" ADD CONSTRAINT "Indicator_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear"("year") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear"("year") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatGroup" ADD CONSTRAINT "ChatGroup_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportRevision" ADD CONSTRAINT "ReportRevision_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
