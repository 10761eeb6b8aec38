import { Prisma } from "~/generated/prisma/client.ts";
import { queryRaw, transaction, prisma } from "~/db.server";
import type { ConsentSourceName } from "~/domain/opt-in";
import { log } from "~/lib/log.server";
import { lockContact } from "~/services/sms/conversations.server";
import { expirePending, loadOptInView } from "./pending.server";

// The sweep behind `opt-in.expire-pending`: every double opt-in nobody confirmed within its shop's window
// (ShopSettings.optInExpiryHours) returns to what the contact had before. A "Y" arriving later is also checked at
// confirmation time (receive-inbound.server.ts), so the sweep's rhythm never decides whether a late "Y" counts.

export type ExpirySweepResult = { expired: number };

export async function expirePendingOptIns(options: { now?: Date; limit?: number } = {}): Promise<ExpirySweepResult> {
  const now = options.now ?? new Date();
  const due = await queryRaw<{ contactId: string; lastEventId: string }>(
    prisma,
    Prisma.sql`
    SELECT s."contactId", s."lastEventId"
    FROM "ConsentState" s
    JOIN "ConsentEvent" e ON e.id = s."lastEventId"
    JOIN "ShopSettings" st ON st."shopId" = s."shopId"
    WHERE s.purpose = 'MARKETING' AND s.status = 'PENDING'
      AND e."occurredAt" + make_interval(hours => st."optInExpiryHours") <= ${now}
    ORDER BY e."occurredAt"
    LIMIT ${options.limit ?? 500}`,
  );
  let expired = 0;
  for (const row of due) {
    const done = await transaction(async (tx) => {
      await lockContact(tx, row.contactId);
      const contact = await tx.contact.findUnique({ where: { id: row.contactId } });
      const state = await tx.consentState.findUnique({
        where: { contactId_purpose: { contactId: row.contactId, purpose: "MARKETING" } },
      });
      // Confirmed, opted out or asked again while we looked: not this sweep's business any more.
      if (!contact || state?.status !== "PENDING" || state.lastEventId !== row.lastEventId) return false;
      const view = await loadOptInView(tx, contact.id);
      await expirePending(tx, contact, {
        now,
        source: view.marketing.source as ConsentSourceName,
        current: { marketing: view.marketing.status, transactional: view.transactional.status },
      });
      return true;
    });
    if (done) expired += 1;
  }
  if (expired > 0) log.info("pending opt-ins expired", { expired });
  return { expired };
}
