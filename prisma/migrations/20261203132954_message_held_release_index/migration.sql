-- CreateIndex
CREATE INDEX "Message_status_holdUntil_idx" ON "Message"("status", "holdUntil");
