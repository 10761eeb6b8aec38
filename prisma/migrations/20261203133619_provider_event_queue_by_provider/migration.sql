-- DropIndex
DROP INDEX "ProviderEvent_processedAt_receivedAt_idx";

-- DropIndex
DROP INDEX "ProviderEvent_processedAt_eventType_receivedAt_idx";

-- CreateIndex
CREATE INDEX "ProviderEvent_provider_processedAt_receivedAt_idx" ON "ProviderEvent"("provider", "processedAt", "receivedAt");

-- CreateIndex
CREATE INDEX "ProviderEvent_provider_processedAt_eventType_receivedAt_idx" ON "ProviderEvent"("provider", "processedAt", "eventType", "receivedAt");
