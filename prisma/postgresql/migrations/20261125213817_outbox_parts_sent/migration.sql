-- AlterTable
ALTER TABLE "OutboundMessage" ADD COLUMN     "partsSent" INTEGER NOT NULL DEFAULT 0;
