-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "browseRetentionDays" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "doubleOptIn" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "joinKeywords" TEXT[] DEFAULT ARRAY['JOIN']::TEXT[],
ADD COLUMN     "optInExpiryHours" INTEGER NOT NULL DEFAULT 72,
ADD COLUMN     "pixelToken" TEXT,
ADD COLUMN     "welcomeDiscountEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "welcomeDiscountPercent" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "welcomeMessage" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "SubscriberImport" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "csv" TEXT,
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "importedRows" INTEGER NOT NULL DEFAULT 0,
    "refusedRows" INTEGER NOT NULL DEFAULT 0,
    "refusals" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SubscriberImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateIndex
CREATE INDEX "SubscriberImport_shopId_createdAt_idx" ON "SubscriberImport"("shopId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "RateLimitWindow_windowStart_idx" ON "RateLimitWindow"("windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "ShopSettings_pixelToken_key" ON "ShopSettings"("pixelToken");

-- AddForeignKey
ALTER TABLE "SubscriberImport" ADD CONSTRAINT "SubscriberImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
