import {
  type ConsentChange,
  type ConsentEvent as DomainConsentEvent,
  type ConsentStates,
  type ConsentTransition,
  NO_CONSENT,
  nextConsent,
} from "~/domain/consent";
import { executeRaw } from "~/db.server";
import { type ConsentPurpose, type ConsentSource, Prisma } from "~/generated/prisma/client.ts";
import { newId } from "~/db/ids.server";
import { conversationEventWrite } from "~/services/inbox/conversation-events.server";
import { type Notice, writeWithNotices } from "~/services/realtime/notify.server";
import { shopifyConsentMark } from "~/services/shopify/consent-sync-marker.server";
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

/** A contact's events are looked up by shop and contact: tenant-scoped, and served by the (shopId, contactId, …) index. */
export type ContactKey = { shopId: string; contactId: string };

/** The marketing status just before the newest opt-out: START restores marketing only for former subscribers. */
export async function marketingBeforeLastOptOut(tx: Tx, contact: ContactKey): Promise<ConsentStates["marketing"]> {
  const lastOptOut = await tx.consentEvent.findFirst({
    where: { ...contact, purpose: "MARKETING", status: "UNSUBSCRIBED" },
    orderBy: { occurredAt: "desc" },
  });
  if (!lastOptOut) return "NOT_SUBSCRIBED";
  const before = await tx.consentEvent.findFirst({
    where: { ...contact, purpose: "MARKETING", occurredAt: { lt: lastOptOut.occurredAt } },
    orderBy: { occurredAt: "desc" },
  });
  return before?.status ?? "NOT_SUBSCRIBED";
}

/** The marketing status just before the newest PENDING: an expired request returns the contact to it. */
export async function marketingBeforeLastPending(tx: Tx, contact: ContactKey): Promise<ConsentStates["marketing"]> {
  const lastPending = await tx.consentEvent.findFirst({
    where: { ...contact, purpose: "MARKETING", status: "PENDING" },
    orderBy: { occurredAt: "desc" },
  });
  if (!lastPending) return "NOT_SUBSCRIBED";
  const before = await tx.consentEvent.findFirst({
    where: { ...contact, purpose: "MARKETING", occurredAt: { lt: lastPending.occurredAt } },
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
  const { writes, notices, ...applied } = await planConsentEvent(tx, contact, event, evidence, known);
  if (writes.length > 0) await writeWithNotices(tx, writes, notices);
  return applied;
}

/**
 * applyConsentEvent's decision and the writes that record it (see writeWithNotices), for a caller that makes them
 * in a statement of its own with other rows (the inbound text: its conversation and message).
 */
export async function planConsentEvent(
  tx: Tx,
  contact: { id: string; shopId: string; phoneE164: string },
  event: DomainConsentEvent,
  evidence: ConsentEvidence,
  known?: { current: ConsentStates; conversationId?: string },
): Promise<AppliedConsent & { writes: Prisma.Sql[]; notices: Notice[] }> {
  const current = known?.current ?? (await loadConsent(tx, contact.id));
  const transition = nextConsent(current, event);
  const eventIds: AppliedConsent["eventIds"] = {};
  // Every row the change writes goes in one statement, its notices at the end: the rows are independent of each
  // other (no row is written twice), so one round trip does what six did.
  const writes: Prisma.Sql[] = [];
  const notices: Notice[] = [];
  if (transition.changes.length > 0) {
    const now = new Date();
    const recorded = transition.changes.map((change) => ({ change, id: newId() }));
    for (const { change, id } of recorded) eventIds[change.purpose] = id;
    writes.push(Prisma.sql`
      INSERT INTO "ConsentEvent" (id, "shopId", "contactId", "phoneE164", purpose, status, source, "occurredAt", "ipAddress",
        "userAgent", "pageUrl", "disclosureText", "disclosureVersion", "shopifyCustomerId", keyword, "confirmingMessageId",
        actor, note, "createdAt")
      VALUES ${Prisma.join(
        recorded.map(
          ({ change, id }) =>
            Prisma.sql`(${id}, ${contact.shopId}, ${contact.id}, ${contact.phoneE164}, CAST(${PURPOSE[change.purpose]} AS "ConsentPurpose"),
              CAST(${change.to} AS "ConsentStatus"), CAST(${evidence.source} AS "ConsentSource"), ${evidence.occurredAt ?? now},
              ${evidence.ipAddress ?? null}, ${evidence.userAgent ?? null}, ${evidence.pageUrl ?? null}, ${evidence.disclosureText ?? null},
              ${evidence.disclosureVersion ?? null}, ${evidence.shopifyCustomerId ?? null}, ${evidence.keyword ?? null},
              ${evidence.confirmingMessageId ?? null}, ${evidence.actor ?? null}, ${evidence.note ?? null}, ${now})`,
        ),
      )}`);
    // A confirmed request keeps the source it was made from: a subscriber "from the storefront form" stays that
    // after their "Y" (the confirming text is its own event, with source KEYWORD).
    writes.push(Prisma.sql`
      INSERT INTO "ConsentState" ("shopId", "contactId", purpose, status, source, "lastEventId", "updatedAt")
      VALUES ${Prisma.join(
        recorded.map(
          ({ change, id }) =>
            Prisma.sql`(${contact.shopId}, ${contact.id}, CAST(${PURPOSE[change.purpose]} AS "ConsentPurpose"), CAST(${change.to} AS "ConsentStatus"),
              CAST(${evidence.source} AS "ConsentSource"), ${id}, ${now})`,
        ),
      )}
      ON CONFLICT ("contactId", purpose) DO UPDATE
        SET status = EXCLUDED.status,
          source = CASE WHEN "ConsentState".status = 'PENDING' AND EXCLUDED.status = 'SUBSCRIBED'
            THEN "ConsentState".source ELSE EXCLUDED.source END,
          "lastEventId" = EXCLUDED."lastEventId", "updatedAt" = EXCLUDED."updatedAt"`);
    for (const { change, id } of recorded) {
      const mark = shopifyConsentMark(
        { contactId: contact.id, change, source: evidence.source, consentEventId: id },
        now,
      );
      if (mark) {
        writes.push(mark.update);
        notices.push(mark.notice);
      }
    }
    const line = await timelineLine(tx, contact, transition.changes, evidence, known?.conversationId);
    if (line) {
      writes.push(line.insert);
      notices.push(line.notice);
    }
  }
  if (event.type === "opt_out") writes.push(pendingSendsCancel(contact, "the shopper opted out"));
  return { ...transition, eventIds, writes, notices };
}

/**
 * Staff see consent changes in the thread: "Opted out of all texts (by text)". An opt-out is any purpose turning
 * UNSUBSCRIBED; an opt-in is an opt-out undone, or a marketing subscription. A first text (transactional
 * consent by writing first) and a pending double opt-in are not worth a line. The line's INSERT, or null.
 */
async function timelineLine(
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
  if (!kind) return null;
  const id = conversationId ?? (await latestConversation(tx, contact.shopId, contact.id))?.id;
  if (!id) return null;
  return conversationEventWrite({
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
  return executeRaw(tx, pendingSendsCancel(contact, reason));
}

/** cancelPendingSends as an UPDATE, for a statement that writes more. */
function pendingSendsCancel(contact: { id: string; shopId: string }, reason: string) {
  return Prisma.sql`
    UPDATE "Message" SET status = 'CANCELLED', "errorCode" = 'cancelled', "errorReason" = ${reason}, "updatedAt" = ${new Date()}
    WHERE "shopId" = ${contact.shopId} AND "contactId" = ${contact.id} AND direction = 'OUTBOUND'
      AND status IN ('QUEUED', 'HELD') AND purpose <> 'SYSTEM'`;
}
