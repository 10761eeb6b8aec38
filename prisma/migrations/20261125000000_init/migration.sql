-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "QuietHoursPolicy" AS ENUM ('STRICT_STATE_RULES', 'SHOP_WINDOW');

-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('MARKETING', 'TRANSACTIONAL');

-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('NOT_SUBSCRIBED', 'PENDING', 'SUBSCRIBED', 'UNSUBSCRIBED');

-- CreateEnum
CREATE TYPE "ConsentSource" AS ENUM ('STOREFRONT_FORM', 'POPUP', 'CHECKOUT', 'KEYWORD', 'INBOUND_MESSAGE', 'IMPORT', 'ADMIN', 'SHOPIFY', 'PROVIDER');

-- CreateEnum
CREATE TYPE "ConversationStatus" AS ENUM ('OPEN', 'PENDING', 'SNOOZED', 'CLOSED');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('INBOUND', 'OUTBOUND');

-- CreateEnum
CREATE TYPE "AuthorKind" AS ENUM ('SHOPPER', 'STAFF', 'AI', 'AUTOMATION', 'SYSTEM');

-- CreateEnum
CREATE TYPE "MessagePurpose" AS ENUM ('MARKETING', 'TRANSACTIONAL', 'CONVERSATIONAL', 'SYSTEM');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('RECEIVED', 'QUEUED', 'HELD', 'SENDING', 'SENT', 'DELIVERED', 'FAILED', 'REFUSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "DiscountKind" AS ENUM ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING');

-- CreateEnum
CREATE TYPE "PrivacyRequestKind" AS ENUM ('DATA_REQUEST', 'CUSTOMER_REDACT', 'SHOP_REDACT');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "scopes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shopId" TEXT NOT NULL,
    "brandName" TEXT NOT NULL DEFAULT '',
    "senderName" TEXT NOT NULL DEFAULT '',
    "supportContact" TEXT NOT NULL DEFAULT '',
    "timeZone" TEXT NOT NULL DEFAULT 'America/New_York',
    "businessHours" JSONB NOT NULL DEFAULT '{}',
    "quietHoursPolicy" "QuietHoursPolicy" NOT NULL DEFAULT 'STRICT_STATE_RULES',
    "quietHoursStart" TEXT NOT NULL DEFAULT '21:00',
    "quietHoursEnd" TEXT NOT NULL DEFAULT '08:00',
    "messageFrequency" TEXT NOT NULL DEFAULT 'Up to 4 msgs/month',
    "marketingDailyCap" INTEGER NOT NULL DEFAULT 1,
    "marketingWeeklyCap" INTEGER NOT NULL DEFAULT 3,
    "smartSendingHours" INTEGER NOT NULL DEFAULT 16,
    "discountMaxPercent" INTEGER NOT NULL DEFAULT 20,
    "discountMaxAmountCents" INTEGER NOT NULL DEFAULT 2000,
    "discountDefaultExpiryHrs" INTEGER NOT NULL DEFAULT 48,
    "discountOverrideRole" TEXT NOT NULL DEFAULT 'owner',
    "keywordReplies" JSONB NOT NULL DEFAULT '{}',
    "termsUrl" TEXT,
    "privacyUrl" TEXT,
    "telnyxApiKeyEnc" TEXT,
    "telnyxPublicKey" TEXT,
    "telnyxMessagingProfileId" TEXT,
    "optInFormEnabled" BOOLEAN NOT NULL DEFAULT false,
    "testMessageTo" TEXT,
    "testMessageStatus" TEXT,
    "testMessageError" TEXT,
    "testMessageProviderId" TEXT,
    "testMessageRequestedAt" TIMESTAMP(3),
    "testMessageCompletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "SendingNumber" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "phoneE164" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'telnyx',
    "messagingProfileId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'long_code',
    "messagesPerSecond" INTEGER NOT NULL DEFAULT 1,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SendingNumber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "phoneE164" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "timeZone" TEXT,
    "region" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "lineType" TEXT,
    "invalidAt" TIMESTAMP(3),
    "quietZones" JSONB,
    "shopifyConsentSyncEventId" TEXT,
    "shopifyConsentSyncDueAt" TIMESTAMPTZ(3),
    "shopifyConsentSyncAttempts" INTEGER NOT NULL DEFAULT 0,
    "shopifySyncError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "phoneE164" TEXT NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "source" "ConsentSource" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "pageUrl" TEXT,
    "disclosureText" TEXT,
    "disclosureVersion" TEXT,
    "shopifyCustomerId" TEXT,
    "keyword" TEXT,
    "confirmingMessageId" TEXT,
    "actor" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentState" (
    "shopId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "source" "ConsentSource" NOT NULL,
    "lastEventId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsentState_pkey" PRIMARY KEY ("contactId","purpose")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "sendingNumberId" TEXT,
    "status" "ConversationStatus" NOT NULL DEFAULT 'OPEN',
    "assigneeId" TEXT,
    "unreadCount" INTEGER NOT NULL DEFAULT 0,
    "snoozedUntil" TIMESTAMP(3),
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastMessageText" TEXT,
    "automationPaused" BOOLEAN NOT NULL DEFAULT false,
    "summary" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT,
    "contactId" TEXT NOT NULL,
    "sendingNumberId" TEXT,
    "direction" "MessageDirection" NOT NULL,
    "authorKind" "AuthorKind" NOT NULL,
    "authorStaffId" TEXT,
    "purpose" "MessagePurpose" NOT NULL DEFAULT 'CONVERSATIONAL',
    "body" TEXT NOT NULL,
    "media" JSONB NOT NULL DEFAULT '[]',
    "segments" INTEGER NOT NULL DEFAULT 1,
    "encoding" TEXT NOT NULL DEFAULT 'GSM-7',
    "status" "MessageStatus" NOT NULL,
    "idempotencyKey" TEXT,
    "providerMessageId" TEXT,
    "carrier" TEXT,
    "costAmount" DECIMAL(10,4),
    "costCurrency" TEXT,
    "errorCode" TEXT,
    "errorReason" TEXT,
    "holdUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "sendingStartedAt" TIMESTAMP(3),
    "subject" TEXT,
    "replyToMessageId" TEXT,
    "campaignId" TEXT,
    "flowRunId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT,
    "provider" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "ProviderEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyUserId" BIGINT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Note" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "color" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedReply" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountIssued" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT,
    "contactId" TEXT,
    "shopifyDiscountId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "DiscountKind" NOT NULL,
    "valuePercent" INTEGER,
    "valueAmountCents" INTEGER,
    "minSubtotalCents" INTEGER,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdByStaffId" TEXT,
    "createdBy" TEXT NOT NULL DEFAULT 'staff',
    "usedAt" TIMESTAMP(3),
    "orderId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountIssued_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BrowseEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT,
    "shopifyCustomerId" TEXT,
    "eventName" TEXT NOT NULL,
    "eventId" TEXT,
    "productId" TEXT,
    "variantId" TEXT,
    "productTitle" TEXT,
    "url" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BrowseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrivacyRequest" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "PrivacyRequestKind" NOT NULL,
    "shopifyCustomerId" TEXT,
    "requestId" TEXT NOT NULL,
    "report" JSONB NOT NULL DEFAULT '{}',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "PrivacyRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaceSlot" (
    "key" TEXT NOT NULL,
    "nextAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PaceSlot_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "SendingNumber_phoneE164_key" ON "SendingNumber"("phoneE164");

-- CreateIndex
CREATE INDEX "SendingNumber_shopId_idx" ON "SendingNumber"("shopId");

-- CreateIndex
CREATE INDEX "Contact_shopId_shopifyCustomerId_idx" ON "Contact"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "Contact_shopId_lastName_firstName_idx" ON "Contact"("shopId", "lastName", "firstName");

-- CreateIndex
CREATE INDEX "Contact_shopifyConsentSyncDueAt_idx" ON "Contact"("shopifyConsentSyncDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_shopId_phoneE164_key" ON "Contact"("shopId", "phoneE164");

-- CreateIndex
CREATE INDEX "ConsentEvent_shopId_contactId_occurredAt_idx" ON "ConsentEvent"("shopId", "contactId", "occurredAt");

-- CreateIndex
CREATE INDEX "ConsentEvent_shopId_occurredAt_idx" ON "ConsentEvent"("shopId", "occurredAt");

-- CreateIndex
CREATE INDEX "ConsentState_shopId_purpose_status_idx" ON "ConsentState"("shopId", "purpose", "status");

-- CreateIndex
CREATE INDEX "Conversation_shopId_lastMessageAt_id_idx" ON "Conversation"("shopId", "lastMessageAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Conversation_shopId_status_lastMessageAt_idx" ON "Conversation"("shopId", "status", "lastMessageAt" DESC);

-- CreateIndex
CREATE INDEX "Conversation_shopId_assigneeId_status_lastMessageAt_idx" ON "Conversation"("shopId", "assigneeId", "status", "lastMessageAt" DESC);

-- CreateIndex
CREATE INDEX "Conversation_shopId_contactId_status_idx" ON "Conversation"("shopId", "contactId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Message_providerMessageId_key" ON "Message"("providerMessageId");

-- CreateIndex
CREATE INDEX "Message_status_createdAt_idx" ON "Message"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Message_conversationId_createdAt_idx" ON "Message"("conversationId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_shopId_contactId_createdAt_idx" ON "Message"("shopId", "contactId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_shopId_status_holdUntil_idx" ON "Message"("shopId", "status", "holdUntil");

-- CreateIndex
CREATE UNIQUE INDEX "Message_shopId_idempotencyKey_key" ON "Message"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ProviderEvent_processedAt_receivedAt_idx" ON "ProviderEvent"("processedAt", "receivedAt");

-- CreateIndex
CREATE INDEX "ProviderEvent_processedAt_eventType_receivedAt_idx" ON "ProviderEvent"("processedAt", "eventType", "receivedAt");

-- CreateIndex
CREATE INDEX "ProviderEvent_shopId_receivedAt_idx" ON "ProviderEvent"("shopId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderEvent_provider_eventId_key" ON "ProviderEvent"("provider", "eventId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopId_receivedAt_idx" ON "WebhookDelivery"("shopId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_shopId_shopifyUserId_key" ON "StaffMember"("shopId", "shopifyUserId");

-- CreateIndex
CREATE INDEX "Note_conversationId_createdAt_idx" ON "Note"("conversationId", "createdAt");

-- CreateIndex
CREATE INDEX "Note_shopId_idx" ON "Note"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_shopId_name_key" ON "Tag"("shopId", "name");

-- CreateIndex
CREATE INDEX "SavedReply_shopId_title_idx" ON "SavedReply"("shopId", "title");

-- CreateIndex
CREATE INDEX "DiscountIssued_shopId_contactId_idx" ON "DiscountIssued"("shopId", "contactId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountIssued_shopId_code_key" ON "DiscountIssued"("shopId", "code");

-- CreateIndex
CREATE INDEX "BrowseEvent_shopId_contactId_occurredAt_idx" ON "BrowseEvent"("shopId", "contactId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "BrowseEvent_shopId_shopifyCustomerId_occurredAt_idx" ON "BrowseEvent"("shopId", "shopifyCustomerId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "BrowseEvent_shopId_occurredAt_idx" ON "BrowseEvent"("shopId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "BrowseEvent_shopId_eventId_key" ON "BrowseEvent"("shopId", "eventId");

-- CreateIndex
CREATE INDEX "PrivacyRequest_shopId_receivedAt_idx" ON "PrivacyRequest"("shopId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyRequest_shopId_kind_requestId_key" ON "PrivacyRequest"("shopId", "kind", "requestId");

-- AddForeignKey
ALTER TABLE "ShopSettings" ADD CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SendingNumber" ADD CONSTRAINT "SendingNumber_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentState" ADD CONSTRAINT "ConsentState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentState" ADD CONSTRAINT "ConsentState_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_sendingNumberId_fkey" FOREIGN KEY ("sendingNumberId") REFERENCES "SendingNumber"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_sendingNumberId_fkey" FOREIGN KEY ("sendingNumberId") REFERENCES "SendingNumber"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderEvent" ADD CONSTRAINT "ProviderEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedReply" ADD CONSTRAINT "SavedReply_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountIssued" ADD CONSTRAINT "DiscountIssued_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountIssued" ADD CONSTRAINT "DiscountIssued_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountIssued" ADD CONSTRAINT "DiscountIssued_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrowseEvent" ADD CONSTRAINT "BrowseEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrowseEvent" ADD CONSTRAINT "BrowseEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;
