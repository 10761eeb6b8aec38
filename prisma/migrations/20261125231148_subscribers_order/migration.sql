-- CreateIndex
CREATE INDEX "Contact_shopId_createdAt_id_idx" ON "Contact"("shopId", "createdAt" DESC, "id" DESC);
