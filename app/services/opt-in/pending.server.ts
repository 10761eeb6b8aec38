import { queryRaw } from "~/db.server";
import type { ConsentStates } from "~/domain/consent";
import type { ConsentSourceName, OptInView } from "~/domain/opt-in";
import { type ConsentPurpose, type ConsentSource, Prisma } from "~/generated/prisma/client.ts";
import { applyConsentEvent, type AppliedConsent, marketingBeforeLastPending } from "~/services/sms/consent.server";

// Reading a contact's consent as the opt-in rules see it (status and source per purpose, and since when), and
// lapsing a pending double opt-in. Callers hold the contact's lock.

type Tx = Prisma.TransactionClient;

export const EXPIRED_NOTE = "confirmation expired";

export async function loadOptInView(tx: Tx, contactId: string): Promise<OptInView> {
  const rows = await queryRaw<{
    purpose: ConsentPurpose;
    status: ConsentStates["marketing"];
    source: ConsentSource;
    occurredAt: Date | null;
  }>(
    tx,
    Prisma.sql`
    SELECT s.purpose, s.status, s.source, e."occurredAt"
    FROM "ConsentState" s LEFT JOIN "ConsentEvent" e ON e.id = s."lastEventId"
    WHERE s."contactId" = ${contactId}`,
  );
  const view: OptInView = {
    marketing: { status: "NOT_SUBSCRIBED", source: null },
    transactional: { status: "NOT_SUBSCRIBED", source: null },
    marketingSince: null,
  };
  for (const row of rows) {
    const state = { status: row.status, source: row.source as ConsentSourceName };
    if (row.purpose === "MARKETING") {
      view.marketing = state;
      view.marketingSince = row.occurredAt;
    } else view.transactional = state;
  }
  return view;
}

/**
 * PENDING → what the contact had before the request (NOT_SUBSCRIBED, or UNSUBSCRIBED when an opt-out preceded
 * it), recorded with the request's own source and the note "confirmation expired". Nothing is texted.
 */
export async function expirePending(
  tx: Tx,
  contact: { id: string; shopId: string; phoneE164: string },
  input: { now: Date; source: ConsentSourceName | null; current?: ConsentStates; conversationId?: string },
): Promise<AppliedConsent> {
  return applyConsentEvent(
    tx,
    contact,
    {
      type: "pending_expired",
      statusBeforePending: await marketingBeforeLastPending(tx, { shopId: contact.shopId, contactId: contact.id }),
    },
    { source: input.source ?? "STOREFRONT_FORM", occurredAt: input.now, note: EXPIRED_NOTE },
    input.current ? { current: input.current, conversationId: input.conversationId } : undefined,
  );
}
