-- AlterTable
ALTER TABLE "OutboundMessage" ADD COLUMN "uncertainSince" DATETIME;

-- CreateTable
CREATE TABLE "SendStamp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bucket" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "outboxId" INTEGER
);

-- CreateTable
CREATE TABLE "CardResponseCode" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Circular" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "number" INTEGER,
    "docNumber" TEXT,
    "openSlot" TEXT,
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
INSERT INTO "new_Circular" ("approvedAt", "approvedBy", "approvedHash", "builtAt", "createdAt", "createdBy", "docNumber", "figuresHash", "id", "model", "number", "quarter", "sentAt", "status", "year") SELECT "approvedAt", "approvedBy", "approvedHash", "builtAt", "createdAt", "createdBy", "docNumber", "figuresHash", "id", "model", "number", "quarter", "sentAt", "status", "year" FROM "Circular";
DROP TABLE "Circular";
ALTER TABLE "new_Circular" RENAME TO "Circular";
CREATE UNIQUE INDEX "Circular_openSlot_key" ON "Circular"("openSlot");
CREATE UNIQUE INDEX "Circular_year_number_key" ON "Circular"("year", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SendStamp_bucket_at_idx" ON "SendStamp"("bucket", "at");

-- CreateIndex
CREATE INDEX "OutboundMessage_channel_recipient_purpose_status_nextAttemptAt_idx" ON "OutboundMessage"("channel", "recipient", "purpose", "status", "nextAttemptAt");
