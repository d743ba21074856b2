-- CreateTable
CREATE TABLE "TransportLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "renewedAt" DATETIME NOT NULL
);
