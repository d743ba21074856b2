-- AlterTable
ALTER TABLE "ReportRevision" ADD COLUMN "rawFileName" TEXT;
ALTER TABLE "ReportRevision" ADD COLUMN "rawFilePath" TEXT;
ALTER TABLE "ReportRevision" ADD COLUMN "rawFileSha256" TEXT;
