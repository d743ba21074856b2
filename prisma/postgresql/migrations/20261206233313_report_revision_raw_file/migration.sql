-- AlterTable
ALTER TABLE "ReportRevision" ADD COLUMN     "rawFileName" TEXT,
ADD COLUMN     "rawFilePath" TEXT,
ADD COLUMN     "rawFileSha256" TEXT;
