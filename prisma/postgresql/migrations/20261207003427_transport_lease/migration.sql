-- CreateTable
CREATE TABLE "TransportLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "renewedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TransportLease_pkey" PRIMARY KEY ("name")
);
