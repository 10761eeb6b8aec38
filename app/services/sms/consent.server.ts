import {
  type ConsentChange,
  type ConsentEvent as DomainConsentEvent,
  type ConsentStates,
  type ConsentTransition,
  NO_CONSENT,
  nextConsent,
} from "~/domain/consent";
import { type ConsentPurpose, type ConsentSource, Prisma } from "~/generated/prisma/client.ts";
import { recordConversationEvent } from "~/services/inbox/conversation-events.server";
import { noteConsentChangeForShopify } from "~/services/shopify/consent-sync-marker.server";
import { latestConversation } from "./conversations.server";

// Consent is evidence first: every change is an appended ConsentEvent with what proves it, and the current state
// per purpose (ConsentState) is rewritten from it in the same transaction. The rules live in app/domain/consent.ts.

type Tx = Prisma.TransactionClient;

export type ConsentEvidence = {
  source: ConsentSource;
  occurredAt?: Date;
  ipAddress?: string | null;
  userAgent?: string | null;
  pageUrl?: string | null;
  disclosureText?: string | null;
  disclosureVersion?: string | null;
  shopifyCustomerId?: string | null;
  keyword?: string | null;
  confirmingMessageId?: string | null;
  actor?: string | null;
  note?: string | null;
};

/** The transition, and the id of the ConsentEvent recorded for each purpose that changed (idempotency keys). */
export type AppliedConsent = ConsentTransition & { eventIds: Partial<Record<keyof ConsentStates, string>> };

const PURPOSE: Record<keyof ConsentStates, ConsentPurpose> = { marketing: "MARKETING", transactional: "TRANSACTIONAL" };

export async function loadConsent(tx: Tx, contactId: string): Promise<ConsentStates> {
  return consentStatesOf(await tx.consentState.findMany({ where: { contactId } }));
}

/** The current state per purpose from a contact's ConsentState rows (none yet = not subscribed). */
export function consentStatesOf(rows: { purpose: ConsentPurpose; status: string }[]): ConsentStates {
  const states = { ...NO_CONSENT };
  for (const row of rows)
    states[row.purpose === "MARKETING" ? "marketing" : "transactional"] = row.status as ConsentStates["marketing"];
  return states;
}

/** The marketing status just before the newest opt-out: START restores marketing only for former subscribers. */
export async function marketingBeforeLastOptOut(tx: Tx, contactId: string): Promise<ConsentStates["marketing"]> {
  const lastOptOut = await tx.consentEvent.findFirst({
    where: { contactId, purpose: "MARKETING", status: "UNSUBSCRIBED" },
    orderBy: { occurredAt: "desc" },
  });
  if (!lastOptOut) return "NOT_SUBSCRIBED";
  const before = await tx.consentEvent.findFirst({
    where: { contactId, purpose: "MARKETING", occurredAt: { lt: lastOptOut.occurredAt } },
    orderBy: { occurredAt: "desc" },
  });
  return before?.status ?? "NOT_SUBSCRIBED";
}

/** The marketing status just before the newest PENDING: an expired request returns the contact to it. */
export async function marketingBeforeLastPending(tx: Tx, contactId: string): Promise<ConsentStates["marketing"]> {
  const lastPending = await tx.consentEvent.findFirst({
    where: { contactId, purpose: "MARKETING", status: "PENDING" },
    orderBy: { occurredAt: "desc" },
  });
  if (!lastPending) return "NOT_SUBSCRIBED";
  const before = await tx.consentEvent.findFirst({
    where: { contactId, purpose: "MARKETING", occurredAt: { lt: lastPending.occurredAt } },
    orderBy: { occurredAt: "desc" },
  });
  return before?.status ?? "NOT_SUBSCRIBED";
}

/**
 * Applies a consent event to a contact: appends one ConsentEvent per purpose that changed and updates the
 * current state. An opt-out also cancels everything queued or held for the contact, on every number of the shop.
 */
export async function applyConsentEvent(
  tx: Tx,
  contact: { id: string; shopId: string; phoneE164: string },
  event: DomainConsentEvent,
  evidence: ConsentEvidence,
  /**
   * The contact's consent as the caller just read it under the contact's lock, in this transaction, and the
   * conversation it happens in when the caller holds it (else the shopper's latest one gets the timeline line).
   */
  known?: { current: ConsentStates; conversationId?: string },
): Promise<AppliedConsent> {
  const current = known?.current ?? (await loadConsent(tx, contact.id));
  const transition = nextConsent(current, event);
  const eventIds: AppliedConsent["eventIds"] = {};
  if (transition.changes.length > 0) {
    // Every changed purpose's event in one INSERT and every current state in one upsert (a STOP changes two).
    const recorded = await tx.consentEvent.createManyAndReturn({
      data: transition.changes.map((change) => ({
        shopId: contact.shopId,
        contactId: contact.id,
        phoneE164: contact.phoneE164,
        purpose: PURPOSE[change.purpose],
        status: change.to,
        source: evidence.source,
        occurredAt: evidence.occurredAt ?? new Date(),
        ipAddress: evidence.ipAddress ?? null,
        userAgent: evidence.userAgent ?? null,
        pageUrl: evidence.pageUrl ?? null,
        disclosureText: evidence.disclosureText ?? null,
        disclosureVersion: evidence.disclosureVersion ?? null,
        shopifyCustomerId: evidence.shopifyCustomerId ?? null,
        keyword: evidence.keyword ?? null,
        confirmingMessageId: evidence.confirmingMessageId ?? null,
        actor: evidence.actor ?? null,
        note: evidence.note ?? null,
      })),
      select: { id: true, purpose: true },
    });
    const eventIdFor = (change: ConsentChange) => recorded.find((r) => r.purpose === PURPOSE[change.purpose])!.id;
    for (const change of transition.changes) eventIds[change.purpose] = eventIdFor(change);
    const now = new Date();
    const rows = transition.changes.map(
      (change) =>
        Prisma.sql`(${contact.shopId}, ${contact.id}, CAST(${PURPOSE[change.purpose]} AS "ConsentPurpose"), CAST(${change.to} AS "ConsentStatus"),
          CAST(${evidence.source} AS "ConsentSource"), ${eventIdFor(change)}, ${now})`,
    );
    // A confirmed request keeps the source it was made from: a subscriber "from the storefront form" stays that
    // after their "Y" (the confirming text is its own event, with source KEYWORD).
    await tx.$executeRaw`
      INSERT INTO "ConsentState" ("shopId", "contactId", purpose, status, source, "lastEventId", "updatedAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("contactId", purpose) DO UPDATE
        SET status = EXCLUDED.status,
          source = CASE WHEN "ConsentState".status = 'PENDING' AND EXCLUDED.status = 'SUBSCRIBED'
            THEN "ConsentState".source ELSE EXCLUDED.source END,
          "lastEventId" = EXCLUDED."lastEventId", "updatedAt" = EXCLUDED."updatedAt"`;
    for (const change of transition.changes) {
      await noteConsentChangeForShopify(tx, {
        contactId: contact.id,
        change,
        source: evidence.source,
        consentEventId: eventIdFor(change),
      });
    }
    await noteOnTimeline(tx, contact, transition.changes, evidence, known?.conversationId);
  }
  if (event.type === "opt_out") await cancelPendingSends(tx, contact, "the shopper opted out");
  return { ...transition, eventIds };
}

/**
 * Staff see consent changes in the thread: "Opted out of all texts (by text)". An opt-out is any purpose turning
 * UNSUBSCRIBED; an opt-in is an opt-out undone, or a marketing subscription. A first text (transactional
 * consent by writing first) and a pending double opt-in are not worth a line.
 */
async function noteOnTimeline(
  tx: Tx,
  contact: { id: string; shopId: string },
  changes: ConsentChange[],
  evidence: ConsentEvidence,
  conversationId?: string,
) {
  const optedOut = changes.filter((c) => c.to === "UNSUBSCRIBED");
  const optedIn = changes.filter(
    (c) =>
      (c.from === "UNSUBSCRIBED" && c.to !== "UNSUBSCRIBED") || (c.purpose === "marketing" && c.to === "SUBSCRIBED"),
  );
  const kind = optedOut.length > 0 ? "opted_out" : optedIn.length > 0 ? "opted_in" : null;
  if (!kind) return;
  const id = conversationId ?? (await latestConversation(tx, contact.shopId, contact.id))?.id;
  if (!id) return;
  await recordConversationEvent(tx, {
    shopId: contact.shopId,
    conversationId: id,
    event: {
      kind,
      data: { source: evidence.source, purposes: (kind === "opted_out" ? optedOut : optedIn).map((c) => c.purpose) },
    },
    actorKind:
      evidence.source === "ADMIN"
        ? "STAFF"
        : evidence.source === "KEYWORD" || evidence.source === "INBOUND_MESSAGE"
          ? "SHOPPER"
          : "SYSTEM",
    actorStaffId: evidence.source === "ADMIN" ? (evidence.actor ?? null) : null,
    ...(evidence.occurredAt ? { at: evidence.occurredAt } : {}),
  });
}

/** Cancels every queued or held message to the contact (all of the shop's numbers, every sender). */
export async function cancelPendingSends(tx: Tx, contact: { id: string; shopId: string }, reason: string) {
  const cancelled = await tx.message.updateMany({
    where: {
      shopId: contact.shopId,
      contactId: contact.id,
      direction: "OUTBOUND",
      status: { in: ["QUEUED", "HELD"] },
      purpose: { not: "SYSTEM" },
    },
    data: { status: "CANCELLED", errorCode: "cancelled", errorReason: reason },
  });
  return cancelled.count;
}
