-- CreateIndex
CREATE INDEX "InterestWatch_shopId_targetType_notifiedAt_idx" ON "InterestWatch"("shopId", "targetType", "notifiedAt");
