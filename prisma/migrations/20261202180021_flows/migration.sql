-- CreateEnum
CREATE TYPE "FlowKind" AS ENUM ('ABANDONED_CART', 'SHIPPING_UPDATE', 'FEEDBACK', 'INTEREST', 'WELCOME');

-- CreateEnum
CREATE TYPE "FlowRunStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'CONVERTED', 'EXITED');

-- CreateEnum
CREATE TYPE "Sentiment" AS ENUM ('POSITIVE', 'NEUTRAL', 'NEGATIVE');

-- AlterTable
ALTER TABLE "DiscountIssued" ADD COLUMN     "flowRunId" TEXT;

-- CreateTable
CREATE TABLE "FlowSetting" (
    "shopId" TEXT NOT NULL,
    "kind" "FlowKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "config" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowSetting_pkey" PRIMARY KEY ("shopId","kind")
);

-- CreateTable
CREATE TABLE "FlowRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "FlowKind" NOT NULL,
    "contactId" TEXT NOT NULL,
    "conversationId" TEXT,
    "subjectKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "status" "FlowRunStatus" NOT NULL DEFAULT 'ACTIVE',
    "exitReason" TEXT,
    "context" JSONB NOT NULL DEFAULT '{}',
    "awaitingReply" BOOLEAN NOT NULL DEFAULT false,
    "timerName" TEXT,
    "timerAt" TIMESTAMPTZ(3),
    "timerSeq" INTEGER NOT NULL DEFAULT 0,
    "transitionCount" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "repliedAt" TIMESTAMPTZ(3),
    "handedOverAt" TIMESTAMPTZ(3),
    "convertedAt" TIMESTAMPTZ(3),
    "orderId" TEXT,
    "revenueCents" INTEGER,
    "currencyCode" TEXT,
    "offerCode" TEXT,
    "offerCodeUsed" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowTransition" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "causeKey" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "conversationId" TEXT,
    "runId" TEXT,
    "messageId" TEXT NOT NULL,
    "orderId" TEXT,
    "productTitle" TEXT,
    "body" TEXT NOT NULL,
    "sentiment" "Sentiment" NOT NULL,
    "topics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "handedOver" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterestWatch" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "conversationId" TEXT,
    "runId" TEXT,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "targetTitle" TEXT NOT NULL,
    "askedText" TEXT NOT NULL,
    "notifiedAt" TIMESTAMPTZ(3),
    "notifiedMessageId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InterestWatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FlowRun_shopId_contactId_status_idx" ON "FlowRun"("shopId", "contactId", "status");

-- CreateIndex
CREATE INDEX "FlowRun_shopId_conversationId_status_awaitingReply_idx" ON "FlowRun"("shopId", "conversationId", "status", "awaitingReply");

-- CreateIndex
CREATE INDEX "FlowRun_shopId_kind_startedAt_idx" ON "FlowRun"("shopId", "kind", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "FlowRun_status_timerAt_idx" ON "FlowRun"("status", "timerAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowRun_shopId_kind_subjectKey_key" ON "FlowRun"("shopId", "kind", "subjectKey");

-- CreateIndex
CREATE INDEX "FlowTransition_runId_seq_idx" ON "FlowTransition"("runId", "seq");

-- CreateIndex
CREATE INDEX "FlowTransition_shopId_createdAt_idx" ON "FlowTransition"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTransition_runId_causeKey_key" ON "FlowTransition"("runId", "causeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_messageId_key" ON "Feedback"("messageId");

-- CreateIndex
CREATE INDEX "Feedback_shopId_createdAt_idx" ON "Feedback"("shopId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Feedback_shopId_sentiment_createdAt_idx" ON "Feedback"("shopId", "sentiment", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "InterestWatch_shopId_targetId_notifiedAt_idx" ON "InterestWatch"("shopId", "targetId", "notifiedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InterestWatch_shopId_contactId_targetId_key" ON "InterestWatch"("shopId", "contactId", "targetId");

-- AddForeignKey
ALTER TABLE "FlowSetting" ADD CONSTRAINT "FlowSetting_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowRun" ADD CONSTRAINT "FlowRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowRun" ADD CONSTRAINT "FlowRun_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTransition" ADD CONSTRAINT "FlowTransition_runId_fkey" FOREIGN KEY ("runId") REFERENCES "FlowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterestWatch" ADD CONSTRAINT "InterestWatch_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterestWatch" ADD CONSTRAINT "InterestWatch_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;
