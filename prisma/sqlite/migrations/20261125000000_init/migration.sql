-- CreateTable
CREATE TABLE "ProgrammeYear" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "isSample" BOOLEAN NOT NULL DEFAULT false,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ProgrammeQuarter" (
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "deadline" TEXT NOT NULL,
    "expectedProgressPct" TEXT NOT NULL,

    PRIMARY KEY ("year", "quarter"),
    CONSTRAINT "ProgrammeQuarter_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear" ("year") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Prefecture" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "Zone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL,
    "aliases" TEXT NOT NULL DEFAULT '[]',
    "prefectureCode" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Zone_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture" ("code") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ZoneMembership" (
    "year" INTEGER NOT NULL,
    "zoneId" TEXT NOT NULL,
    "groupCode" TEXT NOT NULL,

    PRIMARY KEY ("year", "zoneId", "groupCode"),
    CONSTRAINT "ZoneMembership_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear" ("year") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ZoneMembership_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

    PRIMARY KEY ("year", "key"),
    CONSTRAINT "Indicator_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear" ("year") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Target" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL DEFAULT '',
    "groupCode" TEXT NOT NULL DEFAULT '',
    "indicatorKey" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    CONSTRAINT "Target_year_fkey" FOREIGN KEY ("year") REFERENCES "ProgrammeYear" ("year") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Target_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "prefectureCode" TEXT,
    "wecomUserId" TEXT,
    "wechatId" TEXT,
    "wechatAlias" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChatGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    CONSTRAINT "ChatGroup_prefectureCode_fkey" FOREIGN KEY ("prefectureCode") REFERENCES "Prefecture" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReportRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" DATETIME,
    CONSTRAINT "ReportRevision_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Conversation" (
    "contactId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "senderRef" TEXT NOT NULL,
    "contactId" TEXT,
    "chatRef" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'text',
    "text" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'received',
    "processedAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "idempotencyKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "msgType" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'reply',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "lastErrcode" INTEGER,
    "lastError" TEXT,
    "externalMsgId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "Circular" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "docNumber" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "model" TEXT NOT NULL,
    "figuresHash" TEXT NOT NULL,
    "builtAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "approvedBy" TEXT,
    "approvedAt" DATETIME,
    "approvedHash" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "JobHeartbeat" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastRunAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "instance" TEXT NOT NULL
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
