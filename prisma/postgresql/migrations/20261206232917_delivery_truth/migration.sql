-- AlterTable
ALTER TABLE "OutboundMessage" ADD COLUMN     "uncertainSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Circular" ADD COLUMN     "openSlot" TEXT,
ALTER COLUMN "number" DROP NOT NULL,
ALTER COLUMN "docNumber" DROP NOT NULL;

-- CreateTable
CREATE TABLE "SendStamp" (
    "id" SERIAL NOT NULL,
    "bucket" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "outboxId" INTEGER,

    CONSTRAINT "SendStamp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardResponseCode" (
    "key" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CardResponseCode_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SendStamp_bucket_at_idx" ON "SendStamp"("bucket", "at");

-- CreateIndex
CREATE INDEX "OutboundMessage_channel_recipient_purpose_status_nextAttemp_idx" ON "OutboundMessage"("channel", "recipient", "purpose", "status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Circular_openSlot_key" ON "Circular"("openSlot");
