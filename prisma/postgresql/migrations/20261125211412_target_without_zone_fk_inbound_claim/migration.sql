-- DropForeignKey
ALTER TABLE "Target" DROP CONSTRAINT "Target_zoneId_fkey";

-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN     "claimedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Target_zoneId_idx" ON "Target"("zoneId");

-- The inactive placeholder zone "" that carried group targets while Target.zoneId was a foreign key.
DELETE FROM "Zone" WHERE "id" = '';
